import { createRouter, createWebHistory } from 'vue-router';
import { onSessionEnded } from './api.ts';
import { session } from './session.ts';

/** Each page is its own chunk: the first screen loads the login or the report page, not all four. */
export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/', redirect: '/report' },
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/report', component: () => import('./pages/ReportPage.vue'), meta: { tab: true, title: '我要上报' } },
    { path: '/cases', component: () => import('./pages/CasesPage.vue'), meta: { tab: true, title: '我的上报' } },
    { path: '/cases/:id', component: () => import('./pages/CaseDetailPage.vue'), meta: { title: '案件详情' } },
    { path: '/me', component: () => import('./pages/MePage.vue'), meta: { tab: true, title: '我的' } },
    { path: '/:rest(.*)*', redirect: '/report' },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.public && !session.value) return { path: '/login', query: { next: to.fullPath } };
  if (to.path === '/login' && session.value) return { path: '/report' };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '我要上报'} · 城市管理`;
});

// An expired session (no working refresh) sends the person back to the login, then where they were.
onSessionEnded(() => {
  const here = router.currentRoute.value;
  if (here.path !== '/login') void router.replace({ path: '/login', query: { next: here.fullPath, expired: '1' } });
});
