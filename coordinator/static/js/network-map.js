// Network map: draws the map whose data the page carries as JSON.
//
// The page embeds <script type="application/json" id="network-data"> (nodes, edges, options,
// built by coordinator/network/web/map_data.py), <script type="application/json"
// id="network-texts"> (German texts) and, when offers have a reach, <script
// type="application/json" id="network-reach">. Nothing here is inline script, nothing is fetched, and
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

  var LABEL_SCREEN_PX = 14;      // department labels on screen at the default zoom
  var LABEL_MAX_CANVAS = 120;    // … but no larger than this in canvas units
  var OTHER_LABEL_THRESHOLD = 9; // other labels only from this on-screen size (zoomed in)

  // Each node carries its group's look itself: vis-network re-applies a group's colour on
  // every update of a grouped node, which undid the silo colours and label sizes.
  function flattenGroups(nodeList, groups) {
    nodeList.forEach(function (node) {
      var look = groups[node.group];
      if (!look) { return; }
      Object.keys(look).forEach(function (key) {
        if (node[key] === undefined) { node[key] = JSON.parse(JSON.stringify(look[key])); }
      });
      delete node.group;
    });
  }

  // Department labels drawn at a fixed size on a light background (not scaled by the number
  // of partners, so that every department can be read); the others scale and hide when small.
  function readableLabels(nodeList, options) {
    var scaling = options.nodes && options.nodes.scaling;
    if (scaling && scaling.label) { scaling.label.drawThreshold = OTHER_LABEL_THRESHOLD; }
    nodeList.forEach(function (node) {
      if (node.kind !== "department") { return; }
      node.scaling = { label: { enabled: false } };
      node.font = node.font || {};
      node.font.size = LABEL_SCREEN_PX;
      node.font.background = "rgba(255,255,255,0.85)";
    });
  }

  // Small parts of the network (isolated stakeholders, pairs, the "silo triangle") are laid
  // out far from the main part, which made the fitted map tiny. Each small part is moved as a
  // whole (its shape kept) to just outside the main part's box. Deterministic, so the map
  // looks the same on every visit and for every period of the time slider.
  function packOutliers(nodeList, edgeList) {
    if (nodeList.length < 4) { return; }
    var parent = {};
    function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
    nodeList.forEach(function (node) { parent[node.id] = node.id; });
    edgeList.forEach(function (edge) {
      if (parent[edge.from] === undefined || parent[edge.to] === undefined) { return; }
      parent[find(edge.from)] = find(edge.to);
    });
    var parts = {};
    nodeList.forEach(function (node) { (parts[find(node.id)] = parts[find(node.id)] || []).push(node); });
    var list = Object.keys(parts).map(function (key) { return parts[key]; });
    list.sort(function (a, b) { return b.length - a.length; });
    var main = list[0];
    if (main.length < nodeList.length / 2) { return; }  // no dominant part: leave as laid out
    var box = bounds(main);
    var margin = Math.max(box.maxX - box.minX, box.maxY - box.minY) * 0.08 + 40;
    list.slice(1).forEach(function (part) {
      var b = bounds(part);
      var cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
      var halfW = (b.maxX - b.minX) / 2, halfH = (b.maxY - b.minY) / 2;
      var tx = clamp(cx, box.minX - margin - halfW, box.maxX + margin + halfW);
      var ty = clamp(cy, box.minY - margin - halfH, box.maxY + margin + halfH);
      part.forEach(function (node) { node.x += tx - cx; node.y += ty - cy; });
    });
  }

  // A layout has no meaningful aspect ratio: stretch it (by at most MAX_STRETCH) along the
  // canvas' longer side so that a wide screen is used, and labels overlap less.
  var MAX_STRETCH = 1.8;
  function stretchToCanvas(list, width, height) {
    var box = bounds(list);
    var boxW = Math.max(box.maxX - box.minX, 1), boxH = Math.max(box.maxY - box.minY, 1);
    if (!width || !height || list.length < 3) { return; }
    var ratio = (width / height) / (boxW / boxH);
    var cx = (box.minX + box.maxX) / 2, cy = (box.minY + box.maxY) / 2;
    var sx = ratio > 1 ? Math.min(ratio, MAX_STRETCH) : 1;
    var sy = ratio < 1 ? Math.min(1 / ratio, MAX_STRETCH) : 1;
    list.forEach(function (node) { node.x = cx + (node.x - cx) * sx; node.y = cy + (node.y - cy) * sy; });
  }

  function bounds(list) {
    var box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
    list.forEach(function (node) {
      box.minX = Math.min(box.minX, node.x); box.maxX = Math.max(box.maxX, node.x);
      box.minY = Math.min(box.minY, node.y); box.maxY = Math.max(box.maxY, node.y);
    });
    return box;
  }

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

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

  flattenGroups(nodes, data.options.groups || {});
  readableLabels(nodes, data.options);

  var nodeSet = new window.vis.DataSet(nodes);
  var edgeSet = new window.vis.DataSet(edges);
  var network = new window.vis.Network(container, { nodes: nodeSet, edges: edgeSet }, data.options);

  container.visNetwork = network;  // for the browser console, the map tools and the tests
  // The offers' reach is read per request and comes in its own element (if there is any).
  var reachElement = document.getElementById("network-reach");
  container.visData = { nodes: nodeSet, edges: edgeSet, texts: texts, timeline: data.timeline,
                       reach: reachElement ? JSON.parse(reachElement.textContent) : null };

  function markReady() {
    // After the browser's settling (small networks) the positions are final: pack once.
    var positions = network.getPositions();
    var placed = nodes.map(function (node) {
      return { id: node.id, x: positions[node.id].x, y: positions[node.id].y };
    });
    packOutliers(placed, edges);
    stretchToCanvas(placed, container.clientWidth, container.clientHeight);
    placed.forEach(function (node) { network.moveNode(node.id, node.x, node.y); });
    fitAndLabel();
    network.on("zoom", scheduleLabelSize);
    container.setAttribute("data-state", "ready");
    container.setAttribute("data-nodes", String(nodes.length));
    container.setAttribute("data-edges", String(edges.length));
    container.dispatchEvent(new CustomEvent("network-map:ready"));
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

  // Department labels keep a readable size on screen whatever the zoom (the canvas scales
  // fonts with the view); the others appear as the user zooms in, and on hover.
  var departmentIds = nodes.filter(function (node) { return node.kind === "department"; })
    .map(function (node) { return node.id; });
  var labelTimer = null;

  function applyLabelSize() {
    labelTimer = null;
    var size = Math.min(LABEL_MAX_CANVAS, Math.max(LABEL_SCREEN_PX, LABEL_SCREEN_PX / network.getScale()));
    nodeSet.update(departmentIds.map(function (id) { return { id: id, font: { size: size } }; }));
  }

  function scheduleLabelSize() {
    if (labelTimer === null) { labelTimer = window.setTimeout(applyLabelSize, 120); }
  }

  function fitAndLabel() {
    network.fit({ animation: false });
    applyLabelSize();
  }
  container.fitMap = fitAndLabel;

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
        fitAndLabel();
      } else {
        var factor = action === "zoom-in" ? 1.4 : 1 / 1.4;
        network.moveTo({ scale: network.getScale() * factor, animation: false });
      }
    });
  }
})();
