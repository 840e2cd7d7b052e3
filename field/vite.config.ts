import { fileURLToPath } from 'node:url';
import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Vant's icon font is inlined as a data: WOFF2 with a fallback WOFF on at.alicdn.com, which Chromium
 * requests anyway; the Content-Security-Policy allows no third-party CDN, so the fallback is dropped
 * (as for /m/, mobile/vite.config.ts).
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
 * 城管通, the field staff's app: served at /field/ (locally by the gateway from field/dist, in the cloud
 * beside /console/ and /m/). Vant components on demand, each page its own chunk, Leaflet only in the
 * map's chunk. vite-plugin-pwa writes the web app manifest and builds src/sw.ts (Workbox precaching of
 * the built files, Background Sync of the queue); nothing comes from a CDN.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/field/',
  plugins: [
    vantIconFontWithoutCdn,
    vue(),
    Components({ resolvers: [VantResolver()], dts: false }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: '城管通',
        short_name: '城管通',
        description: '监督员与处置人员的任务、巡查上报、核实核查与处置，离线也能用',
        lang: 'zh-CN',
        start_url: '/field/',
        scope: '/field/',
        display: 'standalone',
        background_color: '#f7f8fa',
        theme_color: '#1989fa',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: { globPatterns: ['**/*.{js,css,html,png,svg,woff2,webmanifest}'] },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 300,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
