import { createApp } from 'vue';
import App from './App.vue';
import { loadConfig, startQueue } from './api.ts';
import { router } from './router.ts';

/** The app itself, loaded by main.ts once the first screen is drawn. */
// The API's URL comes from config.json in the cloud: read it before the first request. Then the queue
// is sent (app start is one of the moments it goes), and the service worker keeps the app for offline use.
void loadConfig().finally(() => {
  createApp(App).use(router).mount('#app');
  startQueue();
  if ('serviceWorker' in navigator) {
    void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
  }
});
