// Micro Models' service worker: after the first visit the page works
// offline. `scripts/build` writes this file into dist/ with one line before
// it, `const BUILD = { version, files }`: a hash of every built file and
// their names (scripts/service-worker.mjs), so each build caches its own
// files under its own name and the browser installs it as a new worker.
//
// The bundled datasets are compiled into the worker's wasm
// (session::bundled), so caching worker_bg.wasm caches them too.
/* global BUILD */
const CACHE = `micro-models-${BUILD.version}`;

// Files Trunk names by their content (app-<hash>_bg.wasm, style-<hash>.css)
// never change under their name: served from the cache first. Everything
// else (index.html, the worker's unhashed files) goes to the network first,
// so an online page never mixes an old worker with a new page, and falls
// back to the cache offline.
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(BUILD.files.map((file) => new Request(file, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('micro-models-') && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }
  event.respondWith(networkFirst(request));
});

/** The network's answer, kept for offline; offline, the cached copy (a page
 * with a query such as ?embed falls back to the cached page itself). */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const hit = await cache.match(request, { ignoreSearch: true })
      ?? (request.mode === 'navigate' ? await cache.match('./') : undefined);
    if (hit) return hit;
    throw offline;
  }
}
