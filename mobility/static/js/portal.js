// Progressive enhancement for the portal: everything works without it.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "kk";

  // Autocomplete from the taxonomy (kk, ru, en) into a <datalist>.
  function attach(input) {
    var kind = input.getAttribute("data-autocomplete");
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = "/api/v1/reference/" + kind + "/?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("[data-autocomplete]").forEach(attach);

  // "Add another skill": clone the last row and bump the formset's TOTAL_FORMS.
  function addRow(prefix) {
    var table = document.querySelector('[data-formset-prefix="' + prefix + '"] tbody');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!table || !total) return null;
    var index = parseInt(total.value, 10);
    var row = table.lastElementChild.cloneNode(true);
    row.querySelectorAll("input, select, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-"));
      });
      if (el.tagName === "INPUT") el.value = "";
    });
    table.appendChild(row);
    total.value = index + 1;
    var input = row.querySelector("input[data-autocomplete]");
    if (input) attach(input);
    return row;
  }
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var row = addRow(button.getAttribute("data-add-row"));
      if (row) row.querySelector("input").focus();
    });
  });

  // One-click suggested skills: fill the first empty skill row (adding one if needed).
  document.querySelectorAll("[data-add-skill]").forEach(function (chip) {
    chip.addEventListener("click", function () {
      var inputs = document.querySelectorAll('[data-formset-prefix="skills"] input[data-autocomplete]');
      var empty = Array.prototype.find.call(inputs, function (i) { return !i.value; });
      if (!empty) { var row = addRow("skills"); empty = row && row.querySelector("input"); }
      if (empty) { empty.value = chip.getAttribute("data-add-skill"); }
      chip.disabled = true;
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
