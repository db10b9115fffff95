// Service worker of the site (written by ccdir.site.offline from templates/sw.js): keeps the search shell,
// the pages visited and the search files already used, so that they open without a connection.
// Hand-written rather than Workbox: three rules, no build step, nothing to ship but this file.
const CACHE = "ccdir-1";
const SHELL = ["/", "/recherche/", "/favoris/", "/hors-ligne/", "/manifest.webmanifest", "/assets/style.css", "/assets/extras/offline.js", "/assets/extras/favoris.js", "/assets/icons/favicon.svg", "/assets/search/search.css", "/assets/search/search.js", "/assets/search/engine.js", "/assets/search/form.js", "/assets/search/frenchtext.js", "/assets/search/places.js", "/assets/search/results.js", "/assets/extras/platforms.js", "/plateformes.json", "/assets/i18n.js", "/en/", "/en/recherche/", "/en/favoris/", "/en/hors-ligne/"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("ccdir-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Network first (pages and search files change with each publication), the copy kept when offline. A
// page is looked up without its query (?quoi=…): the search page is the same file for every search.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(fetch(request).then((response) => {
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request.mode === "navigate" ? url.pathname : request, copy)));
    }
    return response;
  }).catch(async () => {
    const cache = await caches.open(CACHE);
    const found = await cache.match(request.mode === "navigate" ? url.pathname : request, { ignoreSearch: request.mode === "navigate" });
    if (found) return found;
    const english = url.pathname.startsWith("/en/");  // the /en/ pages' own offline page
    if (request.mode === "navigate") return (await cache.match(english ? "/en/hors-ligne/" : "/hors-ligne/")) || Response.error();
    return Response.error();
  }));
});
