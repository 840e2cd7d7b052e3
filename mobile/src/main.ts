import { createApp } from 'vue';
import App from './App.vue';
import { loadConfig } from './api.ts';
import { router } from './router.ts';
// The function-call components (toast, dialog) are not in templates, so their styles come in by hand.
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import './app.css';

// The API's URL comes from config.json in the cloud: read it before the first request.
void loadConfig().finally(() => createApp(App).use(router).mount('#app'));
