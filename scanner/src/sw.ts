/**
 * The scanner's service worker (`/scan-sw.js`, scope `/scan`): `/scan` and its script, style
 * and decoder load with no network. The page itself is fetched fresh whenever the network
 * answers (a new release arrives at once) and kept for when it does not; the content-hashed
 * files never change, so they come from the cache. Door API requests are never cached.
 */

const sw = self as unknown as ServiceWorkerGlobalScope;
/** Filled by scripts/build-scanner.mjs: this build's files, and a name that changes with them. */
declare const __SCAN_ASSETS__: string[];
declare const __SCAN_CACHE__: string;

const SHELL = '/scan';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(__SCAN_CACHE__)
      .then((cache) => cache.addAll([SHELL, ...__SCAN_ASSETS__]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith('tessera-scan-') && n !== __SCAN_CACHE__)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

async function shell(request: Request): Promise<Response> {
  const cache = await caches.open(__SCAN_CACHE__);
  try {
    const fresh = await fetch(request);
    if (fresh.ok) await cache.put(SHELL, fresh.clone());
    return fresh;
  } catch {
    return (await cache.match(SHELL)) ?? Response.error();
  }
}

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (url.pathname === SHELL && event.request.mode === 'navigate') {
    event.respondWith(shell(event.request));
  } else if (__SCAN_ASSETS__.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(event.request)));
  }
});
