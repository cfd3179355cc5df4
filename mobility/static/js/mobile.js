// Offline forms for mobile groups: entries go to a queue in localStorage first, then to the
// server. Each entry carries a random key the server stores as unique, so sending an entry
// twice (a retry, a second tab) is applied once. Nothing leaves the queue until the server
// has answered for it.
(function () {
  "use strict";
  var app = document.getElementById("mobile-app");
  if (!app) return;
  var KEY = "mobility.offline.queue";
  var status = document.getElementById("offline-status");
  var list = document.getElementById("offline-queue");

  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); render(queue); }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function render(queue) {
    list.textContent = "";
    queue.forEach(function (entry) {
      var li = document.createElement("li");
      li.className = "card";
      li.setAttribute("data-state", entry.state);
      li.textContent = (entry.kind === "note" ? "📝 " : "🪪 ") + (entry.label || entry.kind) + " — " + (entry.message || app.dataset.msgQueued);
      list.appendChild(li);
    });
  }

  function showStatus() {
    var online = navigator.onLine;
    status.textContent = online ? status.dataset.online : status.dataset.offline;
    status.classList.toggle("offline", !online);
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return;
    var queue = load();
    var next = queue.find(function (e) { return e.state === "queued"; });
    if (!next) return;
    flushing = true;
    fetch(app.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ client_key: next.client_key, kind: next.kind, payload: next.payload }),
    })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        var queue2 = load();
        var entry = queue2.find(function (e) { return e.client_key === next.client_key; });
        if (entry) {
          if (res.status === 201 || res.status === 200) {
            entry.state = "sent";
            entry.message = res.body.duplicate ? app.dataset.msgDuplicate : app.dataset.msgSent;
          } else if (res.status >= 400 && res.status < 500) {
            entry.state = "rejected";
            entry.message = app.dataset.msgRejected + " " + JSON.stringify(res.body.fields || res.body.error);
          }
          save(queue2);
        }
      })
      .catch(function () { /* still offline: keep the entry queued */ })
      .finally(function () { flushing = false; if (navigator.onLine) setTimeout(flush, 50); });
  }

  document.querySelectorAll(".offline-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var data = new FormData(form);
      var payload = {};
      data.forEach(function (value, key) {
        if (key === "documents") { (payload.documents = payload.documents || []).push(value); } else { payload[key] = value; }
      });
      var centre = form.querySelector("select[name=centre]");
      if (centre) payload.region = centre.selectedOptions[0].dataset.region;
      var queue = load();
      queue.push({
        client_key: uuid(), kind: form.dataset.kind, payload: payload, state: "queued",
        label: payload.last_name ? payload.last_name + " " + (payload.first_name || "") : (payload.case ? "#" + payload.case : ""),
      });
      save(queue);
      form.reset();
      flush();
    });
  });

  window.addEventListener("online", function () { showStatus(); flush(); });
  window.addEventListener("offline", showStatus);
  showStatus();
  render(load());
  flush();
  if ("serviceWorker" in navigator && app.dataset.swUrl) {
    navigator.serviceWorker.register(app.dataset.swUrl).catch(function () {});
  }
})();
