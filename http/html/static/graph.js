// graph.js draws the network page's neighbourhood (the JSON in
// #graph-data) with Cytoscape.js and shows the evidence of the node or link
// selected. No inline script: the page's CSP allows only our own files.
(function () {
  "use strict";
  function text(tag, s, cls) {
    var el = document.createElement(tag);
    el.textContent = s;
    if (cls) el.className = cls;
    return el;
  }
  function start() {
    var holder = document.getElementById("graph");
    var dataEl = document.getElementById("graph-data");
    if (!holder || !dataEl || typeof cytoscape !== "function") return;
    var sub = JSON.parse(dataEl.textContent);
    var elements = [];
    sub.nodes.forEach(function (n) {
      elements.push({ group: "nodes", data: { id: n.id, label: n.name || n.id, type: n.type, status: n.status, list: n.list || "", center: n.id === sub.center ? "yes" : "no", node: n } });
    });
    sub.edges.forEach(function (e) {
      elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.type + (e.share ? " " + e.share : ""), type: e.type, edge: e } });
    });
    var cy = cytoscape({
      container: holder,
      elements: elements,
      minZoom: 0.1,
      maxZoom: 1.5,
      layout: { name: "cose", animate: false, padding: 40, nodeRepulsion: 8000, idealEdgeLength: 90 },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 120, "background-color": "#7a8794", width: 18, height: 18 } },
        { selector: "node[type = 'entity']", style: { "background-color": "#b3261e", shape: "diamond" } },
        { selector: "node[type = 'party']", style: { "background-color": "#1f5fbf", shape: "round-rectangle" } },
        { selector: "node[status = 'blocked']", style: { "border-width": 3, "border-color": "#b3261e" } },
        { selector: "node[status = 'possibly-blocked']", style: { "border-width": 3, "border-color": "#c77700", "border-style": "dashed" } },
        { selector: "node[center = 'yes']", style: { width: 30, height: 30, "font-weight": "bold" } },
        { selector: "edge", style: { label: "data(label)", "font-size": 7, width: 1.5, "curve-style": "bezier", "line-color": "#9aa5b1", "target-arrow-shape": "none", "text-rotation": "autorotate" } },
        { selector: "edge[type = 'owns'], edge[type = 'controls']", style: { "target-arrow-shape": "triangle", "line-color": "#444", "target-arrow-color": "#444", width: 2.5 } },
        { selector: "edge[type ^= 'shared-']", style: { "line-style": "dashed" } },
        { selector: ":selected", style: { "overlay-opacity": 0.2 } }
      ]
    });
    var out = document.getElementById("graph-selected");
    function show(ele) {
      out.replaceChildren();
      if (ele.isNode()) {
        var n = ele.data("node");
        out.appendChild(text("h3", n.name || n.id));
        var dl = document.createElement("dl");
        [["ID", n.id], ["Type", n.type], ["List", n.list || ""], ["Status (OFAC 50% rule)", n.status], ["Programs", (n.programs || []).join(", ")]].forEach(function (kv) {
          if (!kv[1]) return;
          dl.appendChild(text("dt", kv[0]));
          dl.appendChild(text("dd", kv[1]));
        });
        out.appendChild(dl);
        var a = document.createElement("a");
        a.href = "/graph?id=" + encodeURIComponent(n.id);
        a.textContent = "Centre the network here";
        out.appendChild(a);
        return;
      }
      var e = ele.data("edge");
      out.appendChild(text("h3", e.source + " " + e.type + (e.share ? " " + e.share : "") + " " + e.target));
      var ul = document.createElement("ul");
      (e.evidence || []).forEach(function (ev) {
        ul.appendChild(text("li", ev.source + ", " + ev.field + ", record " + ev.record + (ev.value ? ": " + ev.value : ""), "evidence"));
      });
      out.appendChild(ul);
    }
    cy.on("tap", "node, edge", function (evt) { show(evt.target); });
    window.interdictGraph = cy;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
