import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { session } from './api/session';
import type { Role } from './api/types';

/** Each role's first page. */
export function homeFor(roles: readonly Role[]): RouteLocationRaw {
  if (roles.includes('agent') || roles.includes('dispatcher') || roles.includes('supervisor')) return { name: 'queue' };
  if (roles.includes('handler')) return { name: 'tasks' };
  if (roles.includes('leader') || roles.includes('admin')) return { name: 'dashboard' };
  return { name: 'forbidden' };
}

declare module 'vue-router' {
  interface RouteMeta {
    roles?: Role[];
    title?: string;
    /** A page of its own (the wall): no header, no menu. */
    bare?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录' } },
    { path: '/', name: 'home', redirect: () => (session.value ? homeFor(session.value.user.roles) : { name: 'login' }) },
    { path: '/queue', name: 'queue', component: () => import('./views/QueueView.vue'), meta: { roles: ['agent', 'dispatcher', 'supervisor', 'leader', 'admin'], title: '案件队列' } },
    { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { roles: ['agent', 'dispatcher', 'supervisor', 'handler', 'leader', 'admin'], title: '案件详情' } },
    { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { roles: ['handler', 'dispatcher', 'supervisor'], title: '我的任务' } },
    { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { roles: ['leader', 'agent', 'admin'], title: '领导驾驶舱' } },
    { path: '/live', name: 'live', component: () => import('./views/LiveMapView.vue'), meta: { roles: ['agent', 'dispatcher', 'leader', 'admin'], title: '实时地图' } },
    { path: '/wall', name: 'wall', component: () => import('./views/WallView.vue'), meta: { roles: ['agent', 'dispatcher', 'leader', 'admin'], title: '大屏', bare: true } },
    // 应用维护 (admin only): a non-admin who types the address gets 无权访问.
    { path: '/admin/staff', name: 'admin-staff', component: () => import('./views/admin/StaffView.vue'), meta: { roles: ['admin'], title: '人员' } },
    { path: '/admin/departments', name: 'admin-departments', component: () => import('./views/admin/DepartmentsView.vue'), meta: { roles: ['admin'], title: '部门' } },
    { path: '/admin/grids', name: 'admin-grids', component: () => import('./views/admin/GridsView.vue'), meta: { roles: ['admin'], title: '网格' } },
    { path: '/admin/categories', name: 'admin-categories', component: () => import('./views/admin/CategoriesView.vue'), meta: { roles: ['admin'], title: '类别' } },
    { path: '/admin/calendar', name: 'admin-calendar', component: () => import('./views/admin/CalendarView.vue'), meta: { roles: ['admin'], title: '日历' } },
    { path: '/admin/api-keys', name: 'admin-api-keys', component: () => import('./views/admin/ApiKeysView.vue'), meta: { roles: ['admin'], title: '开放接口' } },
    { path: '/admin/audit', name: 'admin-audit', component: () => import('./views/admin/AuditView.vue'), meta: { roles: ['admin'], title: '操作日志' } },
    { path: '/forbidden', name: 'forbidden', component: () => import('./views/ForbiddenView.vue'), meta: { title: '无权访问' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => {
  const user = session.value?.user;
  if (to.name === 'login') return user ? homeFor(user.roles) : true;
  if (!user) return { name: 'login', query: to.name !== 'home' && to.name !== 'forbidden' ? { next: to.fullPath } : {} };
  if (to.meta.roles && !to.meta.roles.some((role) => user.roles.includes(role))) return { name: 'forbidden' };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ? `${to.meta.title} · ` : ''}CityGrid 数字城管指挥中心`;
});
