import { createRouter, createWebHistory } from 'vue-router';
import { client, session } from './api.ts';
import TasksPage from './pages/TasksPage.vue';

/**
 * The task list — the first screen, also offline — comes with the app (boot.ts, after first-screen.ts
 * drew the kept list); every other page is its own chunk.
 */
export const router = createRouter({
  history: createWebHistory('/field/'),
  routes: [
    { path: '/', redirect: '/tasks' },
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/tasks', component: TasksPage, meta: { tab: true, title: '任务' } },
    { path: '/tasks/:id', component: () => import('./pages/TaskDetailPage.vue'), meta: { title: '任务详情' } },
    { path: '/tasks/:id/:action', component: () => import('./pages/ActionPage.vue'), meta: { title: '处置' } },
    { path: '/patrol', component: () => import('./pages/PatrolPage.vue'), meta: { tab: true, title: '巡查上报' } },
    { path: '/me', component: () => import('./pages/MePage.vue'), meta: { tab: true, title: '我的' } },
    { path: '/:rest(.*)*', redirect: '/tasks' },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.public && !session.value) return { path: '/login', query: { next: to.fullPath } };
  if (to.path === '/login' && session.value) return { path: '/tasks' };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '任务'} · 城管通`;
});

// An expired session (no working refresh) sends the person back to the login, then where they were.
client.onSessionEnded(() => {
  const here = router.currentRoute.value;
  if (here.path !== '/login') void router.replace({ path: '/login', query: { next: here.fullPath, expired: '1' } });
});
