import { fileURLToPath } from 'node:url';
import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';
import { phoneAppBuild, vantIconFontWithoutCdn } from '../web-core/vite.ts';

/**
 * The citizens' H5 page: served at /m/ (locally by the gateway from mobile/dist, in the cloud as a
 * CloudFront origin path). Vant components are imported on demand (only those the templates use, with
 * their CSS); each page is its own chunk so the first screen loads only what it shows.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/m/',
  plugins: [vantIconFontWithoutCdn, vue(), Components({ resolvers: [VantResolver()], dts: false })],
  build: phoneAppBuild,
});
