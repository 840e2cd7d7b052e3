import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.ts';
// The function-call components (toast, dialog) are not in templates, so their styles come in by hand.
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import './app.css';

createApp(App).use(router).mount('#app');
