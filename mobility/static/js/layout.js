// The shared layout's small behaviours (no inline scripts: the CSP forbids them).
// 1. On a phone the main navigation is one "Menu" button; without JavaScript it stays open.
// 2. A form or button with data-confirm="question" asks before it submits (withdrawing, deleting).
// 3. Signing out (a form with data-sign-out) deletes the mobile group's offline queues from this
//    device (mobile.js), asking first (data-unsent-warning) when some entries are not yet sent.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      document.documentElement.classList.add("has-menu-toggle");
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("open", open);
      });
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  var OFFLINE_QUEUES = "mobility.offline.queue";
  function offlineQueues() {
    var names = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf(OFFLINE_QUEUES) === 0) names.push(name);
      }
    } catch (e) { /* storage disabled: nothing kept */ }
    return names;
  }
  function unsent(names) {
    return names.some(function (name) {
      try {
        return JSON.parse(localStorage.getItem(name) || "[]").some(function (e) { return e.state === "queued"; });
      } catch (e) { return false; }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-sign-out")) return;
    var names = offlineQueues();
    var warning = form.getAttribute("data-unsent-warning");
    if (warning && unsent(names) && !window.confirm(warning)) {
      event.preventDefault();
      return;
    }
    // The mobile page stops writing first (a send still under way would put its queue back).
    document.dispatchEvent(new CustomEvent("mobility:sign-out"));
    names.forEach(function (name) { localStorage.removeItem(name); });
  });
})();
