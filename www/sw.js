// Keeps the page's own files so litview works offline once it has loaded. It caches nothing but
// the page's own assets, and never touches requests to anywhere else (the page makes none).
const CACHE = 'litview-v2';
const ASSETS = [
  './', './index.html', './app.js', './render.js', './worker.js', './shards.js', './style.css', './litview.js', './litview_bg.wasm',
  './examples/000_f64150ce26b5959b.txt', './examples/001_5452ab4f773b0520.txt', './examples/002_e761f05744a40d98.txt',
  './examples/003_d1ca3af4f330edf7.txt', './examples/004_2ad11577413c318a.txt',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

// Network first, so a new release is seen at once; the cache when offline.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok) (await caches.open(CACHE)).put(event.request, response.clone());
      return response;
    } catch (error) {
      const cached = await caches.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
