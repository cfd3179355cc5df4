// Progressive enhancement for the employer pages: everything works without it.
(function () {
  "use strict";

  function listOf(target) {
    return document.querySelector('textarea[data-skill-list="' + target + '"]');
  }

  function addSkill(target, name) {
    var area = listOf(target);
    name = (name || "").trim();
    if (!area || !name) return false;
    var lines = area.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    var known = lines.map(function (l) { return l.toLowerCase(); });
    if (known.indexOf(name.toLowerCase()) === -1) lines.push(name);
    area.value = lines.join("\n");
    return true;
  }

  // Suggested skills of the occupation: one click adds them to the required or optional list.
  document.querySelectorAll("[data-skill-target]").forEach(function (chip) {
    chip.addEventListener("click", function () {
      if (addSkill(chip.getAttribute("data-skill-target"), chip.getAttribute("data-skill"))) {
        chip.disabled = true;
        chip.setAttribute("aria-pressed", "true");
      }
    });
  });

  // "Find a skill" (taxonomy autocomplete from portal.js), then add as required or optional.
  var input = document.querySelector("[data-skill-input]");
  document.querySelectorAll("[data-skill-add]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (input && addSkill(button.getAttribute("data-skill-add"), input.value)) {
        input.value = "";
        input.focus();
      }
    });
  });

  // "Tick all" for bulk actions.
  document.querySelectorAll("[data-check-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-check-all");
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        box.checked = true;
      });
    });
  });

  // Select the invitation link on focus, for copying.
  document.querySelectorAll(".copy-link").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
