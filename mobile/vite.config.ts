import { fileURLToPath } from 'node:url';
import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Vant's icon font is inlined as a data: WOFF2 with a fallback WOFF on at.alicdn.com, which Chromium
 * requests anyway. The page's Content-Security-Policy allows fonts from itself and data: only (no
 * third-party CDN), so the fallback is dropped from Vant's CSS: every browser the page supports reads
 * WOFF2.
 */
const vantIconFontWithoutCdn: Plugin = {
  name: 'citygrid-vant-icon-font-without-cdn',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/.test(id)) return undefined;
    const stripped = code.replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\(["']woff["']\)/g, '');
    if (stripped === code) throw new Error('Vant\'s icon font no longer names its at.alicdn.com fallback: check the Content-Security-Policy (font-src) against its CSS');
    return { code: stripped, map: null };
  },
};

/**
 * The citizens' H5 page: served at /m/ (locally by the gateway from mobile/dist, in the cloud as a
 * CloudFront origin path). Vant components are imported on demand (only those the templates use, with
 * their CSS); each page is its own chunk so the first screen loads only what it shows.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/m/',
  plugins: [vantIconFontWithoutCdn, vue(), Components({ resolvers: [VantResolver()], dts: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Measured by the browser test (docs/mobile.md); 250 kB gzip is the first screen's budget.
    chunkSizeWarningLimit: 300,
    // Rolldown's "plugins took N% of the build" notice only reflects a busy machine here.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
