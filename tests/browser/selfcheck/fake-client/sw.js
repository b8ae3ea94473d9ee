// sw.js — the fake client's service worker: the page's own files from the cache first (so a reload
// works offline), refreshed from the network when it answers. API requests are not touched: they go
// from the page straight to the network, so the browser's offline switch applies to them.
const CACHE = 'fake-client-v1';
const FILES = ['./', './index.html'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const key = url.pathname === '/' ? './' : e.request;
    const hit = await cache.match(key, { ignoreSearch: true });
    const fresh = fetch(e.request).then((res) => {
      if (res.ok) cache.put(key, res.clone());
      return res;
    });
    if (hit) {
      fresh.catch(() => {});
      return hit;
    }
    return fresh;
  })());
});
