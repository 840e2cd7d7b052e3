import type { BuildEnvironmentOptions, Plugin } from 'vite';

/**
 * Vant's icon font is inlined as a data: WOFF2 with a fallback WOFF on at.alicdn.com, which Chromium
 * requests anyway. The apps' Content-Security-Policy allows fonts from themselves and data: only (no
 * third-party CDN), so the fallback is dropped from Vant's CSS: every browser the apps support reads
 * WOFF2. Used by the Vant apps, /m/ and /field/ (their vite.config.ts).
 */
export const vantIconFontWithoutCdn: Plugin = {
  name: 'citygrid-vant-icon-font-without-cdn',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/.test(id)) return undefined;
    const stripped = code.replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\(["']woff["']\)/g, '');
    if (stripped === code) throw new Error('Vant\'s icon font no longer names its at.alicdn.com fallback: check the Content-Security-Policy (font-src) against its CSS');
    return { code: stripped, map: null };
  },
};

/** The phone apps' build: dist/ beside the sources, 300 kB chunk warning (the first screen's budget is measured by the bench). */
export const phoneAppBuild: BuildEnvironmentOptions = {
  outDir: 'dist',
  emptyOutDir: true,
  chunkSizeWarningLimit: 300,
  // Rolldown's "plugins took N% of the build" notice only reflects a busy machine here.
  rolldownOptions: { checks: { bundlerTimings: false } },
};
