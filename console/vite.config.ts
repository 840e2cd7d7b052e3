import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The command-center console: served under /console/ (locally by the gateway from dist/, in the cloud
 * from S3 behind CloudFront). Nothing here is imported by the API's functions.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite console` during development: the API of a running `npm start`.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/dev': 'http://127.0.0.1:3000' },
  },
});
