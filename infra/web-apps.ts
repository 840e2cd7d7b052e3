/** A web app of this repository: its source folder, built by Vite into `dist/`, served under a prefix. */
export interface WebApp {
  name: string;
  /** URL prefix with both slashes, e.g. `/console/` (also the app's Vite `base`). */
  prefix: string;
  /** Source folder relative to the repository root (holds `vite.config.ts`). */
  folder: string;
}

/**
 * The web apps CityGrid serves: locally through the gateway's static mounts, in the cloud from one
 * private bucket behind CloudFront (each app under its prefix).
 */
export const WEB_APPS: WebApp[] = [
  { name: 'console', prefix: '/console/', folder: 'console' },
  { name: 'mobile', prefix: '/m/', folder: 'mobile' },
];
