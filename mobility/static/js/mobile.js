// Offline forms for mobile groups: entries go to a queue in localStorage first, then to the
// server. Each entry carries a random key the server stores as unique, so sending an entry
// twice (a retry, a second tab) is applied once. Nothing leaves the queue until the server
// has answered for it.
//
// - One queue per signed-in staff member (mobility.offline.queue.<user id>). Each entry says who
//   queued it and the server refuses it under anyone else; signing out clears the queues
//   (layout.js), and opening this page drops any queue that is not the signed-in person's.
// - What the server has answered for (sent, refused) keeps no personal data on the device: the
//   form's values are deleted at once, the line shown in the list after a day. An entry not sent
//   within data-max-age-hours is deleted too, and the page says so.
// - A failed send (no network, a server error, too many requests) is retried with exponential
//   back-off (2 s, 4 s, 8 s … capped at 5 minutes) and the page shows the error and the next try.
(function () {
  "use strict";
  var app = document.getElementById("mobile-app");
  if (!app) return;
  var PREFIX = "mobility.offline.queue";
  var user = Number(app.dataset.user);
  var KEY = PREFIX + "." + user;
  var MAX_AGE = Number(app.dataset.maxAgeHours || 72) * 3600 * 1000;
  var KEEP_DONE = 24 * 3600 * 1000;
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 5 * 60 * 1000;
  var status = document.getElementById("offline-status");
  var problem = document.getElementById("offline-error");
  var problemText = document.getElementById("offline-error-text");
  var retryNow = document.getElementById("offline-retry");
  var list = document.getElementById("offline-queue");
  var timer = null;
  var stopped = false; // signed out, or the session is someone else's: wait for a reload

  function msg(name, values) {
    var text = app.dataset[name] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  // Queues of anyone else (and the old shared queue) never stay on this device.
  for (var i = localStorage.length - 1; i >= 0; i--) {
    var name = localStorage.key(i);
    if (name && name.indexOf(PREFIX) === 0 && name !== KEY) localStorage.removeItem(name);
  }

  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  var signedOut = false; // set by layout.js as the person signs out: nothing is written after
  document.addEventListener("mobility:sign-out", function () {
    signedOut = stopped = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  function save(queue) {
    if (signedOut) return;
    localStorage.setItem(KEY, JSON.stringify(queue));
    render(queue);
  }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function initials(label) {
    return (label || "").split(/\s+/).filter(Boolean).map(function (w) { return w.charAt(0) + "."; }).join(" ");
  }

  function finish(entry, state, message) {
    entry.state = state;
    entry.message = message;
    entry.done_at = Date.now();
    delete entry.payload; // the server has it (or has refused it): nothing personal stays here
    if (entry.kind === "registration") entry.label = initials(entry.label);
  }

  // Expire what waited too long, forget what was answered for a day ago.
  function tidy(queue) {
    var now = Date.now();
    queue.forEach(function (entry) {
      if (entry.state === "queued" && now - (entry.created_at || 0) > MAX_AGE) {
        finish(entry, "expired", msg("msgExpired"));
      }
    });
    return queue.filter(function (entry) { return entry.state === "queued" || now - (entry.done_at || 0) < KEEP_DONE; });
  }

  function render(queue) {
    list.textContent = "";
    queue.forEach(function (entry) {
      var li = document.createElement("li");
      li.className = "card";
      li.setAttribute("data-state", entry.state);
      li.textContent = (entry.label || "") + " — " + (entry.message || msg("msgQueued"));
      list.appendChild(li);
    });
  }

  function showStatus() {
    var online = navigator.onLine;
    status.textContent = online ? status.dataset.online : status.dataset.offline;
    status.classList.toggle("offline", !online);
  }

  function showProblem(text, canRetry) {
    problemText.textContent = text;
    retryNow.hidden = !canRetry;
    problem.hidden = false;
  }

  function clearProblem() { problem.hidden = true; problemText.textContent = ""; }

  function schedule(queue) {
    if (timer) { clearTimeout(timer); timer = null; }
    var waiting = queue.filter(function (e) { return e.state === "queued"; });
    if (!waiting.length || stopped) return;
    var soonest = Math.min.apply(null, waiting.map(function (e) { return e.next_at || 0; }));
    timer = setTimeout(flush, Math.max(0, soonest - Date.now()));
  }

  function failed(entry) {
    entry.attempts = (entry.attempts || 0) + 1;
    var delay = Math.min(MAX_DELAY, FIRST_DELAY * Math.pow(2, entry.attempts - 1));
    delay = Math.round(delay * (0.9 + Math.random() * 0.2)); // spread the devices' retries
    entry.next_at = Date.now() + delay;
    entry.message = msg("msgRetry", { attempts: entry.attempts, seconds: Math.round(delay / 1000) });
    showProblem(entry.message, true);
    problem.setAttribute("data-attempts", String(entry.attempts));
    problem.setAttribute("data-delay", String(delay));
  }

  function update(key, change) {
    var queue = load();
    var entry = queue.find(function (e) { return e.client_key === key; });
    if (entry) change(entry);
    save(queue);
    return queue;
  }

  var flushing = false;
  function flush() {
    timer = null;
    if (flushing || stopped || !navigator.onLine) return;
    var queue = tidy(load());
    save(queue);
    var now = Date.now();
    var next = queue.find(function (e) { return e.state === "queued" && (e.next_at || 0) <= now; });
    if (!next) { schedule(queue); return; }
    flushing = true;
    fetch(app.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // signed out: the sign-in page's redirect is not an answer
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ client_key: next.client_key, kind: next.kind, payload: next.payload, queued_by: next.queued_by }),
    })
      .then(function (r) {
        return r.text().then(function (text) {
          var body = {};
          try { body = JSON.parse(text); } catch (e) { /* not JSON: an error page */ }
          return { status: r.status, redirected: r.type === "opaqueredirect", body: body };
        });
      })
      .then(function (res) {
        queue = update(next.client_key, function (entry) {
          if (res.redirected || res.status === 401) {
            stopped = true;
            showProblem(msg("msgSignedOut"), false);
          } else if (res.status === 201 || res.status === 200) {
            finish(entry, "sent", res.body.duplicate ? msg("msgDuplicate") : msg("msgSent"));
            clearProblem();
          } else if (res.status === 403) {
            stopped = true; // this page's queue is not the signed-in person's: keep it, send nothing
            showProblem(msg("msgOtherUser"), false);
          } else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
            var why = res.body.fields ? JSON.stringify(res.body.fields) : (res.body.error || res.status);
            finish(entry, "rejected", msg("msgRejected") + " " + why);
          } else {
            failed(entry);
          }
        });
      })
      .catch(function () {
        queue = update(next.client_key, failed);
      })
      .finally(function () {
        flushing = false;
        schedule(queue);
      });
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
      var queue = tidy(load());
      queue.push({
        client_key: uuid(), kind: form.dataset.kind, payload: payload, state: "queued", queued_by: user,
        created_at: Date.now(), attempts: 0, next_at: 0,
        label: payload.last_name ? payload.last_name + " " + (payload.first_name || "") : (payload.case ? "#" + payload.case : ""),
      });
      save(queue);
      form.reset();
      flush();
    });
  });

  function retryAll() {
    var queue = load();
    queue.forEach(function (entry) { if (entry.state === "queued") entry.next_at = 0; });
    save(queue);
    flush();
  }

  retryNow.addEventListener("click", retryAll);
  window.addEventListener("online", function () { showStatus(); retryAll(); });
  window.addEventListener("offline", showStatus);
  showStatus();
  save(tidy(load()));
  flush();
  if ("serviceWorker" in navigator && app.dataset.swUrl) {
    navigator.serviceWorker.register(app.dataset.swUrl).catch(function () {});
  }
})();
