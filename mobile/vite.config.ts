import { fileURLToPath } from 'node:url';
import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

/**
 * The citizens' H5 page: served at /m/ (locally by the gateway from mobile/dist, in the cloud as a
 * CloudFront origin path). Vant components are imported on demand (only those the templates use, with
 * their CSS); each page is its own chunk so the first screen loads only what it shows.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/m/',
  plugins: [vue(), Components({ resolvers: [VantResolver()], dts: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Measured by the browser test (docs/mobile.md); 250 kB gzip is the first screen's budget.
    chunkSizeWarningLimit: 300,
    // Rolldown's "plugins took N% of the build" notice only reflects a busy machine here.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
