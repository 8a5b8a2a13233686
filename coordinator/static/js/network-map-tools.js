// Tools of the main network map: "Akteur suchen und hervorheben", "Silos zeigen",
// "Angebote: Reichweite zeigen", "Zu den isolierten Ressorts" and the period slider. All are native form controls (type-ahead via
// <datalist>, a checkbox, a button, <input type="range">), so keyboards and screen readers
// work as with any form; every result is also announced in the status line.
//
// Runs once network-map.js has drawn the map (event "network-map:ready"); names reach the
// page as option values and textContent only.
(function () {
  "use strict";

  var container = document.getElementById("network-map");
  var tools = document.getElementById("network-map-tools");
  if (!container || !tools) { return; }

  // Okabe–Ito colours (told apart with colour-vision deficiencies); further groups grey.
  var GROUP_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                       "#CC79A7", "#000000"];
  var REST_COLOUR = "#bbbbbb";
  var FADED = 0.2;
  // Reach of the providers' offers: colour, border pattern and a sign in the label, so that
  // no status is told by colour alone (the legend and the table say the same in words).
  var REACH_STYLES = {
    reaches: { background: "#009E73", border: "#004d38", dashes: false },
    flagged: { background: "#E69F00", border: "#1b1b1b", dashes: [8, 4] },
    no_counts: { background: "#ffffff", border: "#555555", dashes: [2, 4] }
  };
  var NOT_PROVIDER = { background: "#eeeeee", border: "#9a9a9a" };
  var NOT_PROVIDER_OPACITY = 0.35;
  var EDGE_COLOUR = "#8a9099";  // as in map_data.py
  var FADED_EDGES = 0.4;

  function start() {
    var network = container.visNetwork;
    var nodeSet = container.visData.nodes;
    var edgeSet = container.visData.edges;
    var texts = container.visData.texts;
    var timeline = container.visData.timeline;
    var status = document.getElementById("map-status");
    tools.hidden = false;

    function fill(template, values) {
      return template.replace(/\{(\w+)\}/g, function (match, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
      });
    }

    function announce(text) {
      if (status) { status.textContent = text; }
    }

    function nameOf(node) { return node.name || node.label; }

    // --- search ---------------------------------------------------------------------------
    var search = document.getElementById("map-search");
    var list = document.getElementById("map-search-names");
    var allNodes = nodeSet.get();
    allNodes.slice().sort(function (a, b) { return nameOf(a).localeCompare(nameOf(b), "de"); })
      .forEach(function (node) {
        var option = document.createElement("option");
        option.value = nameOf(node);
        list.appendChild(option);
      });

    function highlight() {
      var query = search.value.trim();
      if (!query) { return; }
      var lower = query.toLocaleLowerCase();
      var exact = allNodes.filter(function (node) { return nameOf(node).toLocaleLowerCase() === lower; });
      var partial = exact.length ? exact : allNodes.filter(function (node) {
        return nameOf(node).toLocaleLowerCase().indexOf(lower) !== -1;
      });
      if (partial.length !== 1) {
        announce(fill(partial.length ? texts.ambiguous : texts.not_found, { query: query }));
        return;
      }
      var node = partial[0];
      network.selectNodes([node.id], true);
      network.focus(node.id, { scale: Math.max(network.getScale(), 1), animation: false });
      announce(fill(texts.found, { name: nameOf(node), count: network.getConnectedNodes(node.id).length }));
    }

    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); highlight(); }
    });
    search.addEventListener("change", highlight);

    // --- isolated departments ---------------------------------------------------------------
    function showIsolated() {
      var isolated = allNodes.filter(function (node) { return node.isolated; });
      if (!isolated.length) { announce(texts.isolated_none); return; }
      var ids = isolated.map(function (node) { return node.id; });
      network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.2 });
      network.selectNodes(ids, false);
      announce(fill(texts.isolated_shown, { names: isolated.map(nameOf).join(", ") }));
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-map-tool]");
      if (!button) { return; }
      if (button.getAttribute("data-map-tool") === "search") { highlight(); } else { showIsolated(); }
    });

    // --- silos ---------------------------------------------------------------------------
    var silos = document.getElementById("map-silos");
    var legend = document.getElementById("map-silo-legend");
    var original = {};
    allNodes.forEach(function (node) {
      // vis-network's defaults where a node has none of its own (1 px, solid).
      original[node.id] = { color: node.color, label: node.label,
                            borderWidth: node.borderWidth === undefined ? 1 : node.borderWidth,
                            shapeProperties: node.shapeProperties || { borderDashes: false } };
    });

    function groupColour(number) {
      return number < GROUP_COLOURS.length ? GROUP_COLOURS[number] : REST_COLOUR;
    }

    // Node styles come from independent states (silo colours or reach, the slider's active
    // nodes); one update sets all of them.
    var silosOn = false;
    var reachOn = false;
    var reach = container.visData.reach || {};
    var activeNodes = null;  // null: the whole scope, every node active

    function look(background, border) {
      return { background: background, border: border,
               highlight: { background: background, border: "#1b1b1b" },
               hover: { background: background, border: "#1b1b1b" } };
    }

    function restyle() {
      nodeSet.update(allNodes.map(function (node) {
        var before = original[node.id];
        var opacity = !activeNodes || activeNodes[node.id] ? 1 : FADED;
        var style = { id: node.id, color: before.color, label: before.label,
                      borderWidth: before.borderWidth, shapeProperties: before.shapeProperties };
        if (silosOn) {
          var colour = node.community === undefined ? "#ffffff" : groupColour(node.community);
          style.color = look(colour, "#1b1b1b");
        } else if (reachOn) {
          var status = reach[String(node.id)];
          var reachStyle = REACH_STYLES[status];
          if (reachStyle) {
            style.color = look(reachStyle.background, reachStyle.border);
            style.borderWidth = 3;
            style.shapeProperties = { borderDashes: reachStyle.dashes };
            style.label = texts.reach_marks[status] + " " + before.label;
          } else {
            style.color = look(NOT_PROVIDER.background, NOT_PROVIDER.border);
            opacity = Math.min(opacity, NOT_PROVIDER_OPACITY);
          }
        }
        style.opacity = opacity;
        return style;
      }));
    }

    function showSilos(on) {
      silosOn = on;
      restyle();
      legend.textContent = "";
      legend.hidden = !on;
      if (on) {
        var sizes = {};
        allNodes.forEach(function (node) {
          if (node.community !== undefined) { sizes[node.community] = (sizes[node.community] || 0) + 1; }
        });
        Object.keys(sizes).map(Number).sort(function (a, b) { return a - b; }).forEach(function (number) {
          if (number > GROUP_COLOURS.length) { return; }
          var item = document.createElement("li");
          var swatch = document.createElement("span");
          swatch.className = "legend__swatch";
          swatch.setAttribute("aria-hidden", "true");
          swatch.style.background = groupColour(number);
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(number === GROUP_COLOURS.length
            ? texts.community_rest
            : fill(texts.community, { number: number + 1, count: sizes[number] })));
          legend.appendChild(item);
        });
        announce(fill(texts.silos_on, { count: Object.keys(sizes).length }));
      } else {
        announce(texts.silos_off);
      }
    }

    if (silos) {
      silos.addEventListener("change", function () {
        if (silos.checked && reachBox && reachBox.checked) { reachBox.checked = false; showReach(false, true); }
        showSilos(silos.checked);
      });
    }

    // --- reach of the providers' offers -------------------------------------------------------
    var reachBox = document.getElementById("map-reach");
    var reachLegend = document.getElementById("map-reach-legend");

    // ``quiet``: switched off because the silos take over (they announce themselves).
    function showReach(on, quiet) {
      reachOn = on;
      if (reachLegend) { reachLegend.hidden = !on; }
      container.setAttribute("data-reach", on ? "on" : "off");
      // Lighter ties, so that the marked providers stand out.
      edgeSet.update(allEdges.map(function (edge) {
        return { id: edge.id, color: { color: EDGE_COLOUR, highlight: "#1b1b1b", opacity: on ? FADED_EDGES : 1 } };
      }));
      if (quiet) { return; }
      restyle();
      if (on) {
        var totals = { reaches: 0, flagged: 0, no_counts: 0 };
        Object.keys(reach).forEach(function (id) { totals[reach[id]] += 1; });
        announce(fill(texts.reach_on, totals));
      } else {
        announce(texts.reach_off);
      }
    }

    if (reachBox) {
      reachBox.addEventListener("change", function () {
        if (reachBox.checked && silos && silos.checked) { silos.checked = false; showSilos(false); }
        showReach(reachBox.checked);
      });
    }

    // --- period slider ---------------------------------------------------------------------
    var slider = document.getElementById("map-period");
    var output = document.getElementById("map-period-label");
    var allEdges = edgeSet.get();

    function edgeWidth(weight) {
      return Math.round((1 + Math.min(8, 1.6 * Math.log2(Math.max(weight, 1)))) * 10) / 10;
    }

    function showPeriod(index) {
      var whole = index >= timeline.labels.length;
      var active = {};
      var shown = 0;
      edgeSet.update(allEdges.map(function (edge) {
        if (whole) { return { id: edge.id, hidden: false, width: edge.width }; }
        var count = (edge.quarters || {})[String(index)];
        if (count) {
          active[edge.from] = active[edge.to] = true;
          shown += 1;
        }
        return { id: edge.id, hidden: !count, width: count ? edgeWidth(count) : edge.width };
      }));
      activeNodes = whole ? null : active;
      restyle();
      var label = whole ? texts.all_periods : timeline.labels[index];
      if (!whole && index === timeline.incomplete) { label += " " + texts.incomplete; }
      output.textContent = label;
      slider.setAttribute("aria-valuetext", label);
      container.setAttribute("data-period", whole ? "all" : String(index));
      announce(whole ? label : fill(texts.period_summary, {
        period: label, ties: shown, active: Object.keys(active).length
      }));
    }

    if (slider && timeline) {
      slider.addEventListener("input", function () { showPeriod(Number(slider.value)); });
      slider.setAttribute("aria-valuetext", texts.all_periods);
    }
  }

  if (container.getAttribute("data-state") === "ready") {
    start();
  } else {
    container.addEventListener("network-map:ready", start, { once: true });
  }
})();
