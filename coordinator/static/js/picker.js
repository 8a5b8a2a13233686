// Type-ahead for participants (ARIA 1.2 combobox with a grouped listbox).
// Progressive enhancement: without this file the activity form offers a search button that
// reloads the form with matches to tick, and the list filter searches by name.
//
// [data-picker]         activity form: each chosen name becomes a ticked checkbox; the box is
//                       cleared for the next name. Enter in the empty box submits the form.
// [data-picker-single]  list filter: the chosen name fills the box, its id a hidden field.
//
// Messages come translated from data-msg-* attributes of the element (none are hard-coded).
(function () {
  "use strict";

  var DELAY = 120;
  var counter = 0;

  function text(el, value) { el.textContent = value; return el; }

  function make(tag, className, attrs) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    Object.keys(attrs || {}).forEach(function (key) { el.setAttribute(key, attrs[key]); });
    return el;
  }

  function badge(kind, label) {
    var span = make("span", "badge badge--" + kind);
    span.appendChild(make("span", "badge__icon", { "aria-hidden": "true" }));
    span.appendChild(document.createTextNode(label));
    return span;
  }

  function message(root, key, values) {
    var template = root.getAttribute("data-msg-" + key) || "";
    return template.replace(/%\((\w+)\)[sd]/g, function (_m, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  // One combobox on `input`; `choose(result)` is called with the chosen JSON entry.
  function Combobox(root, input, url, choose, excluded) {
    var id = input.id || ("picker-" + (++counter));
    input.id = id;
    var listbox = make("ul", "picker__listbox", { id: id + "-listbox", role: "listbox",
      "aria-label": message(root, "listbox") });
    listbox.hidden = true;
    input.parentNode.appendChild(listbox);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    var status = root.querySelector("[data-picker-status]");

    var results = [];
    var active = -1;
    var timer = null;
    var sequence = 0;
    var pendingQuery = null;   // the text suggestions are under way for
    var committing = 0;        // names taken with Enter whose match is still on its way
    var submitWhenDone = false;

    function announce(value) { if (status) { text(status, value); } }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      active = options.length ? (index + options.length) % options.length : -1;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      results = data.results || [];
      listbox.replaceChildren();
      var groups = [];
      var byGroup = {};
      results.forEach(function (result, index) {
        if (!byGroup[result.group]) {
          byGroup[result.group] = [];
          groups.push({ key: result.group, label: result.group_label });
        }
        byGroup[result.group].push({ result: result, index: index });
      });
      groups.forEach(function (group, g) {
        var wrapper = make("li", "", { role: "presentation" });
        var labelId = id + "-group-" + g;
        wrapper.appendChild(text(make("div", "picker__group-label", { id: labelId,
          role: "presentation" }), group.label));
        var list = make("ul", "picker__group", { role: "group", "aria-labelledby": labelId });
        byGroup[group.key].forEach(function (entry) {
          var option = make("li", "picker__option", { id: id + "-option-" + entry.index,
            role: "option", "aria-selected": "false", "data-index": String(entry.index) });
          option.appendChild(text(make("span", "picker__name"), entry.result.name));
          option.appendChild(badge(entry.result.kind, entry.result.kind_label));
          if (entry.result.inactive) {
            option.appendChild(text(make("span", "muted"), message(root, "inactive")));
          }
          list.appendChild(option);
        });
        wrapper.appendChild(list);
        listbox.appendChild(wrapper);
      });
      if (data.more) {
        listbox.appendChild(text(make("li", "picker__more", { role: "presentation" }),
          message(root, "more")));
      }
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        setActive(0);
        announce(message(root, "results", { count: results.length }));
      } else {
        close();
        announce(input.value.trim() ? message(root, "none") : "");
      }
    }

    function fetchResults(query) {
      var params = new URLSearchParams({ q: query });
      excluded().forEach(function (value) { params.append("exclude", value); });
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      return fetch(url + sep + params.toString(), { credentials: "same-origin",
        headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .catch(function () { return { results: [] }; });
    }

    function search(query) {
      var mine = ++sequence;
      pendingQuery = query;
      fetchResults(query).then(function (data) {
        if (mine !== sequence) { return; }
        pendingQuery = null;
        render(data);
      });
    }

    // Enter before the suggestions arrived (a fast typist): take the first match for the
    // text typed so far, and free the box at once for the next name.
    function commit(query) {
      clearTimeout(timer);
      sequence++;  // a suggestion list still on its way is no longer wanted
      pendingQuery = null;
      close();
      if (root.hasAttribute("data-picker")) { input.value = ""; }
      committing++;
      fetchResults(query).then(function (data) {
        committing--;
        var first = (data.results || [])[0];
        if (first) {
          choose(first);
        } else {
          submitWhenDone = false;
          if (!input.value) { input.value = query; }
          announce(message(root, "none"));
        }
        if (committing === 0 && submitWhenDone && input.form) {
          submitWhenDone = false;
          input.form.requestSubmit();
        }
      });
    }

    function schedule() {
      clearTimeout(timer);
      var query = input.value.trim();
      pendingQuery = query;
      timer = setTimeout(function () { search(query); }, DELAY);
    }

    function pick(index) {
      var result = results[index];
      if (!result) { return; }
      close();
      choose(result);
    }

    input.addEventListener("input", function () {
      if (input.value.trim()) { schedule(); } else { clearTimeout(timer); pendingQuery = null; close(); }
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (open) { setActive(active + (event.key === "ArrowDown" ? 1 : -1)); }
        else { clearTimeout(timer); search(input.value.trim()); }
      } else if (event.key === "Enter") {
        if (!input.value.trim() && committing > 0) {
          event.preventDefault();  // send the form once the last name is in
          submitWhenDone = true;
        } else if (open && active >= 0 && pendingQuery === null) {
          event.preventDefault();
          pick(active);
        } else if (pendingQuery !== null && input.value.trim()) {
          event.preventDefault();
          commit(input.value.trim());
        } else if (input.value.trim() && root.hasAttribute("data-picker")) {
          event.preventDefault();  // no match: say so instead of sending the form
          announce(message(root, "none"));
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });

    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { pick(Number(option.getAttribute("data-index"))); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // The activity form: many participants.
  document.querySelectorAll("[data-picker]").forEach(function (root) {
    var input = root.querySelector(".picker__input");
    var chosen = root.querySelector("[data-picker-chosen]");
    var empty = root.querySelector("[data-picker-empty]");
    var name = root.getAttribute("data-field-name");
    if (!input || !chosen) { return; }
    // The type-ahead replaces the search button (which would otherwise be the form's default
    // button for the Enter key) and the server-rendered suggestions.
    root.querySelectorAll(".picker__find").forEach(function (button) { button.remove(); });
    root.querySelectorAll("[data-picker-fallback]").forEach(function (part) {
      part.querySelectorAll("input:checked").forEach(function (box) {
        chosen.appendChild(box.closest("li"));
      });
      part.hidden = true;
    });

    function chosenIds() {
      return Array.prototype.map.call(chosen.querySelectorAll("input:checked"),
        function (box) { return box.value; });
    }

    function update() {
      if (empty) { empty.hidden = chosen.querySelector("input:checked") !== null; }
    }
    chosen.addEventListener("change", update);

    new Combobox(root, input, root.getAttribute("data-search-url"), function (result) {
      var box = root.querySelector("input[type=checkbox][value='" + result.id + "']");
      if (box) {
        box.checked = true;
        chosen.appendChild(box.closest("li"));
      } else {
        var item = make("li");
        box = make("input", "", { type: "checkbox", name: name, value: String(result.id),
          id: name + "-picked-" + result.id });
        box.checked = true;
        var label = make("label", "", { "for": box.id });
        label.appendChild(document.createTextNode(result.name + " "));
        label.appendChild(badge(result.kind, result.kind_label));
        item.appendChild(box);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(label);
        chosen.appendChild(item);
      }
      update();
      input.value = "";
      var status = root.querySelector("[data-picker-status]");
      if (status) {
        text(status, message(root, "added", { name: result.name, count: chosenIds().length }));
      }
    }, chosenIds);
  });

  // The list filter: one participant.
  document.querySelectorAll("[data-picker-single]").forEach(function (root) {
    var input = root.querySelector(".picker__input");
    var hidden = root.querySelector("[data-picker-id]");
    if (!input || !hidden) { return; }
    input.addEventListener("input", function () { hidden.value = ""; });
    new Combobox(root, input, root.getAttribute("data-search-url"), function (result) {
      input.value = result.name;
      hidden.value = String(result.id);
      var status = root.querySelector("[data-picker-status]");
      if (status) { text(status, message(root, "chosen", { name: result.name })); }
    }, function () { return []; });
  });
})();
