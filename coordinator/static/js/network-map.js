// Network map: draws the map whose data the page carries as JSON.
//
// The page embeds <script type="application/json" id="network-data"> (nodes, edges, options,
// built by coordinator/network/mapdata.py) and <script type="application/json"
// id="network-texts"> (German texts). Nothing here is inline script, nothing is fetched, and
// every text from the data reaches the page as DOM text (textContent), never as HTML: the
// labels are drawn on the canvas, the tooltips are elements built here.
(function () {
  "use strict";

  var container = document.getElementById("network-map");
  var dataElement = document.getElementById("network-data");
  var textElement = document.getElementById("network-texts");
  if (!container || !dataElement || !textElement) { return; }
  if (typeof window.vis === "undefined" || !window.vis.Network) {
    container.setAttribute("data-state", "unavailable");
    return;
  }

  var data = JSON.parse(dataElement.textContent);
  var texts = JSON.parse(textElement.textContent);
  var lang = document.documentElement.getAttribute("lang") || "de";
  var egoBase = container.getAttribute("data-ego-url") || "";
  var egoQuery = container.getAttribute("data-ego-query") || "";
  var detailBase = container.getAttribute("data-detail-url") || "";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function formatDate(iso) {
    if (!iso) { return ""; }
    var parts = iso.split("-");
    var date = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
    try {
      return date.toLocaleDateString(lang, { day: "2-digit", month: "2-digit", year: "numeric" });
    } catch (error) {
      return iso;
    }
  }

  // A tooltip as an element, so vis-network shows it as given (text only, no markup).
  function tooltip(lines) {
    var box = document.createElement("div");
    box.className = "map-tooltip";
    lines.forEach(function (line, index) {
      if (!line) { return; }
      var row = document.createElement(index === 0 ? "strong" : "span");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  var names = {};
  var nodes = data.nodes.map(function (node) {
    names[node.id] = node.name || node.label;
    node.title = tooltip([
      names[node.id],
      texts.kinds[node.kind] || "",
      fill(texts.partners, { count: node.degree, weighted: node.strength }),
      node.isolated ? texts.isolated : "",
      node.id === data.focus ? texts.focus : texts.click
    ]);
    return node;
  });
  var edges = data.edges.map(function (edge) {
    edge.title = tooltip([
      fill(texts.tie, { a: names[edge.from], b: names[edge.to] }),
      fill(texts.activities, { count: edge.weight }),
      edge.last ? fill(texts.last, { date: formatDate(edge.last) }) : ""
    ]);
    return edge;
  });

  var network = new window.vis.Network(
    container,
    { nodes: new window.vis.DataSet(nodes), edges: new window.vis.DataSet(edges) },
    data.options
  );

  container.visNetwork = network;  // for the browser console and the browser tests

  function markReady() {
    container.setAttribute("data-state", "ready");
    container.setAttribute("data-nodes", String(nodes.length));
    container.setAttribute("data-edges", String(edges.length));
  }

  if (data.physics) {
    // Let small networks settle once, then hold still (the map stays as the user left it).
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // A click on a node opens its ego view; on the ego view, a click on the centre opens the
  // stakeholder's page.
  network.on("click", function (params) {
    if (!params.nodes || params.nodes.length !== 1) { return; }
    var id = Number(params.nodes[0]);
    if (!isFinite(id)) { return; }
    if (id === data.focus && detailBase) {
      window.location.assign(detailBase + encodeURIComponent(String(id)));
    } else if (egoBase) {
      window.location.assign(egoBase + encodeURIComponent(String(id)) + egoQuery);
    }
  });

  // Buttons for zooming without a mouse wheel (keyboard users, touch pads).
  var controls = document.getElementById("network-map-controls");
  if (controls) {
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-map-action]");
      if (!button) { return; }
      var action = button.getAttribute("data-map-action");
      if (action === "fit") {
        network.fit({ animation: false });
      } else {
        var factor = action === "zoom-in" ? 1.4 : 1 / 1.4;
        network.moveTo({ scale: network.getScale() * factor, animation: false });
      }
    });
  }
})();
