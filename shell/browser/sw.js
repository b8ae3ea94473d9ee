// Kehu's service worker: the client's own files (page, boot.js, page.css, crm.js, crm.wasm, fonts) load without the network,
// so a tab reloaded while offline comes back to its cache and outbox (SPEC §6). Only those files are
// handled; every API request goes to the network untouched, and its failure is the client's to show.
//
// Network first: online, every load gets the server's current files (a client never runs against a newer
// server with old code once it can reach it) and the copies here are refreshed; offline, or when the
// server does not answer, the last copies are served. Browsers run service workers only in a secure
// context: https, or http on localhost/127.0.0.1.
'use strict';

var CACHE = 'kehu-client';
// Fetched at install so the first offline reload works even if the page never asked for one of them
// while the worker was in control. The second font loads on demand and is kept once it was loaded.
var PRECACHE = ['./', 'boot.js', 'page.css', 'crm.js', 'crm.wasm', 'fonts/kehu-ui.ttf'];

function isClientFile(url) {
  if (url.origin !== self.location.origin) return false;
  var path = url.pathname;
  return path === '/' || path === '/index.html' || path === '/boot.js' || path === '/page.css' ||
         path === '/crm.js' || path === '/crm.wasm' ||
         /^\/fonts\/[\w.-]+\.ttf$/.test(path);
}

// The page is stored under "./" whatever its query (?test=1, ?lang=en): there is one page.
function cacheKey(request) {
  var url = new URL(request.url);
  return url.pathname === '/' || url.pathname === '/index.html' ? './' : url.pathname;
}

// The API never reaches this worker where the browser can route around it (Service Worker Static
// Routing): otherwise every request wakes the worker for a fetch event it lets pass, which costs each
// queued edit's replay a round trip through the worker's thread.
function routeApiToNetwork(event) {
  if (typeof event.addRoutes !== 'function' || typeof URLPattern !== 'function') return Promise.resolve();
  return new Promise(function (resolve) {  // a throw inside becomes the rejection the catch takes
    resolve(event.addRoutes([{ condition: { urlPattern: new URLPattern({ pathname: '/api/*' }) }, source: 'network' }]));
  }).catch(function () { /* rules this browser does not take: the fetch handler lets the API pass */ });
}

self.addEventListener('install', function (event) {
  event.waitUntil(routeApiToNetwork(event).then(function () { return caches.open(CACHE); }).then(function (cache) {
    return cache.addAll(PRECACHE.map(function (p) { return new Request(p, { cache: 'no-store' }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || !isClientFile(new URL(request.url))) return;
  var key = cacheKey(request);
  event.respondWith(fetch(request, { cache: 'no-store' }).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(key, copy); }));
    }
    return response;
  }).catch(function (error) {
    return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (cached) {
      if (cached) return cached;
      throw error;
    });
  }));
});
