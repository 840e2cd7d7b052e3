/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { loadWebConfig } from '../../web-core/config.ts';
import type { User } from '../../web-core/session.ts';
import { workerSession } from '../../web-core/worker-session.ts';
import { drainQueue } from './queue.ts';
import { config, fieldClient } from './transport.ts';

/**
 * The field app's service worker: the built app (index.html, JS, CSS, icons) precached by Workbox, so
 * the app opens with no network; every page below /field/ answered with the cached index.html (the
 * router takes it from there); and Background Sync: when the browser has it, the queue is sent from here
 * once the connection returns, even with the app closed. API answers are never cached here — the app
 * keeps what it needs in IndexedDB (db.ts).
 */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL(`${import.meta.env.BASE_URL}index.html`), { allowlist: [/^\/field\//] }));
void self.skipWaiting();
clientsClaim();

async function sendFromWorker(): Promise<void> {
  await loadWebConfig(import.meta.env.BASE_URL, config);
  const holder = workerSession<User>('citygrid-field');
  if (!(await holder.load())) return;
  const sent = await drainQueue(fieldClient(holder).queueDeps, false);
  if (sent > 0) for (const client of await self.clients.matchAll()) client.postMessage('citygrid-field-queue-changed');
}

self.addEventListener('sync', (event) => {
  const sync = event as ExtendableEvent & { tag: string };
  if (sync.tag === 'citygrid-field-queue') sync.waitUntil(sendFromWorker());
});
