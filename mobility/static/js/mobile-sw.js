// Keeps the mobile-group page and its assets available offline (network first, cache as
// fallback). Entries themselves live in localStorage; see mobile.js.
var CACHE = "mobility-mobile-v1";
self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  event.respondWith(
    fetch(request)
      .then(function (response) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        return response;
      })
      .catch(function () { return caches.match(request); })
  );
});
