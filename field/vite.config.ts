import { fileURLToPath } from 'node:url';
import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { phoneAppBuild, vantIconFontWithoutCdn } from '../web-core/vite.ts';

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
  build: phoneAppBuild,
});
