import { createApp } from 'vue';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { whenSessionLost } from './api/client';
import { loadConfig } from './api/config';
import { router } from './router';

await loadConfig();
whenSessionLost(() => {
  const next = router.currentRoute.value.fullPath;
  void router.replace({ name: 'login', query: next && next !== '/login' ? { next } : {} });
});
createApp(App).use(router).mount('#app');
