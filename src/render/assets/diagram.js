// A shared Stroma diagram: the side panel (an edge's evidence, a node's facts) and the search.
// Data from the graph goes into the page only as text (textContent), never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stroma-data").textContent);
  var panel = document.getElementById("panel");
  var svg = document.querySelector("#diagram svg");
  var selected = null;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function cite(c) {
    var text = c.number !== null && c.number !== undefined ? "[" + c.number + "] " : "";
    text += c.first_author || "";
    if (c.year !== null && c.year !== undefined) text += " " + c.year;
    return text.trim() || c.iri;
  }
  function facts(parent, rows) {
    var dl = add(parent, el("dl"));
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "" ||
          (Array.isArray(row[1]) && row[1].length === 0)) return;
      add(dl, el("dt", null, row[0]));
      add(dl, el("dd", row[2] || null, Array.isArray(row[1]) ? row[1].join("; ") : row[1]));
    });
    return dl;
  }
  function direction(polarity) {
    if (polarity === "positive") return "positive (activates, increases)";
    if (polarity === "negative") return "negative (inhibits, decreases)";
    return polarity || "";
  }
  function select(g) {
    if (selected) selected.classList.remove("selected");
    selected = g;
    if (g) g.classList.add("selected");
  }

  function showStatement(parent, e) {
    var box = add(parent, el("div", "statement"));
    add(box, el("div", "id", e.statement));
    var rows = [];
    if (e.qualifiers && e.qualifiers.length) {
      // One row per qualifier, its values together ("reported in: Figure 1; Table 2").
      e.qualifiers.forEach(function (q) {
        var last = rows[rows.length - 1];
        if (last && last[0] === q[0]) last[1].push(q[1]);
        else rows.push([q[0], [q[1]]]);
      });
    } else {
      rows.push(["organism", e.organisms], ["product", e.products],
                ["cell type", e.cell_types], ["disease model", e.disease_models]);
    }
    if (e.comparison) {
      var against = e.comparison.compared_with.length ? e.comparison.compared_with.join(", ") : "the comparator";
      var link = e.comparison.outcome === "higher" || e.comparison.outcome === "lower" ? " than " : " to ";
      rows.push(["comparison", e.comparison.outcome + link + against]);
    }
    facts(box, rows);
    if (e.comment) add(box, el("p", "comment", e.comment));
    if (!e.studies.length) {
      add(box, el("p", "muted", "no study"));
      return;
    }
    var list = add(box, el("ul", "studies"));
    e.studies.forEach(function (c) {
      var li = add(list, el("li", "study"));
      add(li, el("span", "cite", cite(c)));
      if (c.title) { li.appendChild(document.createTextNode(" — ")); add(li, el("span", "title", c.title)); }
    });
  }

  function showEdge(id) {
    var edge = data.edges[id];
    if (!edge) return;
    clear();
    panel.dataset.showing = id;
    var h = add(panel, el("h2", "relation"));
    add(h, el("span", "subject", edge.subject.label));
    h.appendChild(document.createTextNode(" → "));
    add(h, el("span", "predicate " + (edge.polarity || ""), edge.relation));
    h.appendChild(document.createTextNode(" → "));
    add(h, el("span", "object", edge.object.label));
    facts(panel, [["subject", edge.subject.id || edge.subject.iri, "iri"],
                  ["object", edge.object.id || edge.object.iri, "iri"],
                  ["direction", direction(edge.polarity)]]);
    if (edge.places.length) {
      add(panel, el("h3", null, "On the traced paths"));
      edge.places.forEach(function (place) {
        var path = data.paths.filter(function (p) { return p.rank === place.path; })[0];
        var text = "path " + place.path + ", hop " + place.hop + " of " + place.length;
        if (path && path.coherence) text += " — " + path.coherence;
        var p = add(panel, el("p", "place", text));
        if (place.new_context) add(p, el("span", "change", " ≠ the context changes at this hop"));
      });
    } else if (edge.context_change) {
      add(panel, el("p", "change", "≠ the context changes at this hop"));
    }
    var n = edge.evidence.length;
    add(panel, el("h3", null, n === 1 ? "1 statement" : n + " statements"));
    if (!n) add(panel, el("p", "muted", "no statement behind this relation"));
    edge.evidence.forEach(function (e) { showStatement(panel, e); });
  }

  function showNode(id) {
    var node = data.nodes[id];
    if (!node) return;
    clear();
    panel.dataset.showing = id;
    add(panel, el("h2", "label", node.label));
    facts(panel, [["kind", node.kind], ["types", node.types], ["id", node.id, "iri"],
                  ["IRI", node.iri, "iri"], ["synonyms", node.synonyms]]);
    var out = 0, into = 0;
    Object.keys(data.edges).forEach(function (k) {
      if (data.edges[k].from === id) out++;
      if (data.edges[k].to === id) into++;
    });
    add(panel, el("p", "muted", out + " edge(s) out, " + into + " in, in this diagram"));
  }

  if (svg) {
    svg.querySelectorAll("g.edge").forEach(function (g) {
      if (!data.edges[g.id]) return;
      // A wide invisible stroke under the edge, so a thin line is easy to click.
      var path = g.querySelector("path");
      if (path) {
        var area = path.cloneNode(false);
        area.setAttribute("class", "hit-area");
        path.parentNode.insertBefore(area, path);
      }
    });
    svg.addEventListener("click", function (event) {
      var g = event.target.closest("g.edge, g.node");
      if (!g) return;
      event.preventDefault();
      if (g.classList.contains("edge") && data.edges[g.id]) { select(g); showEdge(g.id); }
      else if (g.classList.contains("node") && data.nodes[g.id]) { select(g); showNode(g.id); }
    });
  }

  // Search: nodes whose label or synonyms contain the text (case and accents ignored).
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var input = document.getElementById("search");
  var count = document.getElementById("matches");
  function search() {
    var q = fold(input.value);
    var hits = {};
    var n = 0;
    Object.keys(data.nodes).forEach(function (id) {
      var node = data.nodes[id];
      var names = [node.label].concat(node.synonyms || []);
      if (q && names.some(function (name) { return fold(name).indexOf(q) >= 0; })) { hits[id] = true; n++; }
    });
    if (!svg) return;
    svg.querySelectorAll("g.node").forEach(function (g) {
      if (!data.nodes[g.id]) return;
      g.classList.toggle("hit", !!hits[g.id]);
      g.classList.toggle("dim", !!q && !hits[g.id]);
    });
    svg.querySelectorAll("g.edge").forEach(function (g) {
      var edge = data.edges[g.id];
      if (!edge) return;
      g.classList.toggle("dim", !!q && !(hits[edge.from] || hits[edge.to]));
    });
    count.textContent = q ? (n === 1 ? "1 match" : n + " matches") : "";
  }
  if (input) input.addEventListener("input", search);
})();
