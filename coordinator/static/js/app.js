// Progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Confirm destructive actions (forms marked data-confirm).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // Filter boxes for long checkbox lists (participants, fields of work).
  document.querySelectorAll("input[data-filter-target]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-target"));
    if (!list) { return; }
    input.closest("label").hidden = false;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("de");
      list.querySelectorAll("li").forEach(function (item) {
        var box = item.querySelector("input");
        var text = item.textContent.toLocaleLowerCase("de");
        item.hidden = needle !== "" && text.indexOf(needle) === -1 && !(box && box.checked);
      });
    });
  });

  // Submit filter forms when a select changes only if the form asks for it.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
