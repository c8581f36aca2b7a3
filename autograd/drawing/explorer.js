// The explorer's page script (see explorer.py). AG_DATA holds the fully expanded drawing:
// nodes (each with its card), edges between them, the scopes, and the scopes `draw` opens.
// The picture is the current choice of open scopes, written as DOT here and laid out by
// Graphviz in WebAssembly (Viz, bundled beside this script).
const root = document.getElementById(AG_DATA.id);
const picture = root.querySelector(".ag-picture");
const card = root.querySelector(".ag-card");
const nodes = AG_DATA.nodes;
const scopeSize = new Map(AG_DATA.scopes.map(s => [s.path, s.count]));
const open = new Set(AG_DATA.open);
const HIGHLIGHT = "#ff7f0e", SELECTED = "#1f6feb", LARGE = 150, HUB = 12;
const DEVICE_COLOURS = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69"];
let highlighted = new Set(), selected = null, colourBy = "structure", view = null;
let vizReady = Viz.instance();

const inputsOf = nodes.map(() => []), outputsOf = nodes.map(() => []);
for (const [src, dst, kind] of AG_DATA.edges) {
  if (kind !== "update") { inputsOf[dst].push(src); outputsOf[src].push(dst); }   // updates: writes
}

function scopePath(node, level) { return node.path.slice(0, level).join("/"); }

// The visible stand-in of a node: its outermost closed scope, or itself.
function representative(i) {
  const node = nodes[i];
  for (let level = 1; level < node.path.length; level++) {
    const path = scopePath(node, level);
    if (!open.has(path)) return "s:" + path;
  }
  return "n:" + i;
}

// What the pictures need of the scopes and the colour scales, found once: the scopes
// holding a forward op, the newest node of each scope (nodes come in creation order), the
// devices, and the largest compute time and output size.
const forwardScopes = new Set(), newestInScope = new Map();
nodes.forEach((node, i) => {
  for (let level = 1; level < node.path.length; level++) {
    const path = scopePath(node, level);
    newestInScope.set(path, i);
    if (node.kind !== "gradient") forwardScopes.add(path);
  }
});
const DEVICES = [...new Set(nodes.map(n => n.device))].sort();
const MOST = {micros: Math.max(1, ...nodes.map(n => n.micros || 0)),
              bytes: Math.max(1, ...nodes.map(n => n.bytes || 0))};

// Whether a visible stand-in belongs to the backward pass: a gradient op, or a scope that
// holds only gradient ops.
function backward(rep) {
  return rep.startsWith("s:") ? !forwardScopes.has(rep.slice(2)) :
    nodes[Number(rep.slice(2))].kind === "gradient";
}

// The newest node a visible stand-in holds.
function newest(rep) {
  return rep.startsWith("n:") ? Number(rep.slice(2)) : newestInScope.get(rep.slice(2));
}

function quote(text) {
  return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"')
    .replace(/\n/g, "\\n") + '"';
}

function fill(i) {
  const node = nodes[i];
  if (colourBy === "device") {
    return node.device ? DEVICE_COLOURS[DEVICES.indexOf(node.device) % DEVICE_COLOURS.length]
                       : "#ffffff";
  }
  if (colourBy === "time" || colourBy === "memory") {
    const field = colourBy === "time" ? "micros" : "bytes";
    const heat = (node[field] || 0) / MOST[field];
    const fade = Math.round(255 - 180 * heat).toString(16).padStart(2, "0");
    return "#ff" + fade + fade;
  }
  return (AG_DATA.kinds[node.kind] || AG_DATA.kinds.op).fill;
}

// DOT of the current state: open scopes are clusters, closed ones single boxes.
function dot() {
  const members = new Map();   // cluster path ("" = top) -> lines
  const add = (cluster, line) => {
    if (!members.has(cluster)) members.set(cluster, []);
    members.get(cluster).push(line);
  };
  const seen = new Set();
  nodes.forEach((node, i) => {
    const rep = representative(i);
    if (seen.has(rep)) return;
    seen.add(rep);
    const id = quote(AG_DATA.id + "|" + rep);
    if (rep.startsWith("s:")) {
      const path = rep.slice(2), parts = path.split("/");
      add(parts.slice(0, -1).join("/"), `${id} [id=${id}, label=${quote(parts[parts.length - 1] +
        "/\n" + scopeSize.get(path) + " nodes")}, shape=box3d, style=filled, ` +
        `fillcolor="${AG_DATA.kinds.scope.fill}", tooltip=${quote("open " + path)}]`);
    } else {
      const kind = AG_DATA.kinds[node.kind] || AG_DATA.kinds.op;
      add(node.path.slice(0, -1).join("/"), `${id} [id=${id}, label=${quote(node.label)}, ` +
          `shape=${kind.shape}, style=filled, fillcolor="${fill(i)}", ` +
          `tooltip=${quote(node.type + " " + node.name)}]`);
    }
  });
  const pairs = new Map();   // "a>b" -> [a, b, kind]
  for (const [src, dst, kind] of AG_DATA.edges) {
    const a = representative(src), b = representative(dst);
    if (a !== b && !pairs.has(a + ">" + b)) pairs.set(a + ">" + b, [a, b, kind]);
  }
  // A node that feeds very many others (a weight read at every step of an unrolled RNN)
  // gets a stub, as draw's bookkeeping does, instead of edges across the whole picture.
  const fanOut = new Map();
  for (const [a] of pairs.values()) fanOut.set(a, (fanOut.get(a) || 0) + 1);
  const stubs = new Set([...fanOut].filter(([, n]) => n > HUB).map(([a]) => a));
  // In a big picture the forward values the backward pass reads would be edges across
  // the whole height (and most of Graphviz's work): each gets a short stub instead, except
  // from the nodes that feed only the backward pass (the loss), whose edges keep the
  // backward pass below the forward one.
  const readBack = new Map(), feedsForward = new Set();
  for (const [a, b] of pairs.values()) if (!backward(a) && !backward(b)) feedsForward.add(a);
  if (pairs.size > LARGE) {
    for (const [a, b] of pairs.values()) {
      if (!stubs.has(a) && feedsForward.has(a) && !backward(a) && backward(b)) {
        readBack.set(a, (readBack.get(a) || 0) + 1);
      }
    }
    // the last of them in creation order (a topological order) keeps its edges, so that
    // the backward pass is laid out below the forward one
    const last = [...readBack.keys()].reduce((best, a) => !best || newest(a) > newest(best) ?
                                              a : best, null);
    readBack.delete(last);
  }
  // and so does a node that many others feed (a sum over every step), in a big picture
  const fanIn = new Map();
  for (const [a, b] of pairs.values()) {
    if (!stubs.has(a) && !(readBack.has(a) && backward(b))) fanIn.set(b, (fanIn.get(b) || 0) + 1);
  }
  const sinks = new Set(pairs.size > LARGE ?
    [...fanIn].filter(([, n]) => n > HUB).map(([b]) => b) : []);
  const edges = new Set();
  for (const [a, b, kind] of pairs.values()) {
    if (stubs.has(a) || (readBack.has(a) && backward(b)) || sinks.has(b)) continue;
    const style = kind === "control" ? ", style=dashed" : kind === "update" ?
      ', color="#2e8b57"' : "";
    edges.add(`${quote(AG_DATA.id + "|" + a)} -> ${quote(AG_DATA.id + "|" + b)} [id=${
      quote(AG_DATA.id + "|e:" + a + ">" + b)}${style}]`);
  }
  // a stub: a short grey label beside `rep`, on an edge out of it (or into it)
  const stub = (rep, text, into) => {
    const name = quote(AG_DATA.id + "|stub:" + text.split(" ")[0] + ":" + rep);
    const where = rep.startsWith("s:") ? rep.slice(2).split("/").slice(0, -1) :
      nodes[Number(rep.slice(2))].path.slice(0, -1);
    add(where.join("/"), `${name} [label=${quote(text)}, shape=plaintext, ` +
                         'fontcolor="#9a9a9a", fontsize=9]');
    const here = quote(AG_DATA.id + "|" + rep);
    edges.add(into ? `${name} -> ${here} [color="#9a9a9a"]` :
                     `${here} -> ${name} [color="#9a9a9a", arrowhead=none]`);
  };
  for (const a of stubs) stub(a, "feeds " + fanOut.get(a) + " nodes", false);
  for (const [a, n] of readBack) stub(a, "read by " + n + " backward", false);
  for (const b of sinks) stub(b, "from " + fanIn.get(b) + " nodes", true);
  const clusters = [...members.keys()].filter(path => path);
  for (const path of clusters) {           // every open scope above a member is a cluster
    const parts = path.split("/");
    for (let level = 1; level < parts.length; level++) {
      const above = parts.slice(0, level).join("/");
      if (!members.has(above)) members.set(above, []);
    }
  }
  const write = (path, indent) => {
    const lines = (members.get(path) || []).map(line => indent + line);
    const children = [...members.keys()].filter(p => p && p.split("/").slice(0, -1).join("/")
                                                      === path).sort();
    for (const child of children) {
      const name = child.split("/").pop();
      lines.push(`${indent}subgraph ${quote("cluster_" + child)} {`);
      lines.push(`${indent}  id=${quote(AG_DATA.id + "|c:" + child)}; label=${quote(name +
        "/")}; style="rounded,filled"; fillcolor="#f7f5ff"; tooltip=${quote("close " + child)};`);
      lines.push(...write(child, indent + "  "));
      lines.push(`${indent}}`);
    }
    return lines;
  };
  // a big picture also trades Graphviz's crossing minimisation for speed
  const quick = edges.size > LARGE ? " mclimit=0.1, nslimit=1, nslimit1=1, searchsize=10, " +
    "remincross=false, splines=line," : "";
  return ["digraph G {", `  graph [rankdir=TB,${quick} fontname="Helvetica", fontsize=11];`,
          '  node [fontname="Helvetica", fontsize=10]; edge [arrowsize=0.6];',
          ...write("", "  "), ...[...edges].map(e => "  " + e), "}"].join("\n");
}

function render() {
  root.dataset.state = "layout";
  return vizReady.then(viz => {
    const svg = viz.renderSVGElement(dot());
    svg.style.transformOrigin = "0 0";
    svg.removeAttribute("width"); svg.removeAttribute("height");
    picture.replaceChildren(svg);
    view = {scale: 1, x: 0, y: 0};
    fit();
    wire(svg);
    paint();
    root.dataset.state = "ready";
    root.dataset.visible = String(svg.querySelectorAll("g.node").length);
  }).catch(error => {
    picture.textContent = "layout failed: " + error;
    root.dataset.state = "error";
  });
}

function elementOf(target) {
  const g = target.closest("g.node, g.cluster");
  return g && g.id.startsWith(AG_DATA.id + "|") ? g : null;
}

// Nodes and scope frames act on a click, or on Enter or Space once reached with Tab.
function wire(svg) {
  for (const g of svg.querySelectorAll("g.node, g.cluster")) {
    if (!g.id.startsWith(AG_DATA.id + "|")) continue;
    const link = g.querySelector("a"), title = g.querySelector("title");
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", (link && link.getAttribute("xlink:title")) ||
                                 (title && title.textContent) || g.id);
  }
  svg.addEventListener("click", event => act(elementOf(event.target)));
  svg.addEventListener("keydown", event => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();
    act(elementOf(event.target));
  });
}

function act(g) {
  if (!g) return;
  const what = g.id.slice(AG_DATA.id.length + 1);
  if (what.startsWith("s:")) { open.add(what.slice(2)); render(); }
  else if (what.startsWith("c:")) {
    const path = what.slice(2);
    for (const p of [...open]) if (p === path || p.startsWith(path + "/")) open.delete(p);
    render();
  } else if (what.startsWith("n:")) { select(Number(what.slice(2))); }
}

// Highlights and the selection are painted on the laid-out picture (no new layout).
function paint() {
  const svg = picture.querySelector("svg");
  if (!svg) return;
  const marked = new Set([...highlighted].map(representative));
  for (const g of svg.querySelectorAll("g.node")) {
    const what = g.id.slice(AG_DATA.id.length + 1);
    const shape = g.querySelector("polygon, ellipse, path");
    if (!shape) continue;
    const isSelected = selected !== null && what === representative(selected);
    shape.setAttribute("stroke", isSelected ? SELECTED : marked.has(what) ? HIGHLIGHT : "black");
    shape.setAttribute("stroke-width", isSelected || marked.has(what) ? "3" : "1");
    g.classList.toggle("ag-highlight", marked.has(what));
  }
}

function select(i) {
  selected = i;
  const node = nodes[i];
  const rows = [["type", node.type], ["kind", node.kind], ["device", node.device || "(none)"],
                ["created at", node.site], ["ops drawn here", node.ops]];
  if (node.micros) rows.push(["compute time", node.micros.toFixed(1) + " us"]);
  const esc = text => String(text).replace(/[&<>]/g, c => ({"&": "&amp;", "<": "&lt;",
                                                               ">": "&gt;"}[c]));
  let text = `<div class="ag-card-name" style="font-weight: bold; word-break: break-all">${
    esc(node.name)}</div><table>` + rows.map(([k, v]) => `<tr><td>${k}</td><td>${esc(v)}</td>` +
    "</tr>").join("") + "</table>";
  text += "<div><b>outputs</b></div>" + node.outputs.map(([name, label, shape, dtype]) =>
    `<div class="ag-output" data-shape="${esc(shape)}">${esc(name)}: ${esc(label)} ` +
    `${esc(dtype)}</div>`).join("");
  if (node.inputs.length) text += "<div><b>inputs</b></div>" + node.inputs.map(
    ([name, label]) => `<div>${esc(name)}: ${esc(label)}</div>`).join("");
  if (node.control.length) text += "<div><b>runs after</b> " + esc(node.control.join(", ")) +
    "</div>";
  const attrs = Object.entries(node.attrs);
  if (attrs.length) text += "<div><b>attributes</b></div>" + attrs.map(([k, v]) =>
    `<div><code>${esc(k)}</code> = ${esc(v)}</div>`).join("");
  if (node.value) text += valueHtml("value", node.value, esc);
  if (node.gradient) text += valueHtml("gradient flowing in", node.gradient, esc);
  if (node.why_no_gradient) text += `<div class="ag-why"><b>no gradient</b> ${
    esc(node.why_no_gradient)}</div>`;
  if (node.bytes) rows.push(["output bytes", node.bytes]);
  text += '<div style="margin-top: 6px"><button class="ag-trace-in">trace inputs</button> ' +
          '<button class="ag-trace-out">trace outputs</button> ' +
          '<button class="ag-clear">clear</button></div>';
  card.innerHTML = text;
  card.querySelector(".ag-trace-in").onclick = () => trace(i, inputsOf);
  card.querySelector(".ag-trace-out").onclick = () => trace(i, outputsOf);
  card.querySelector(".ag-clear").onclick = () => { highlighted = new Set(); paint(); count(""); };
  paint();
}

function valueHtml(title, value, esc) {
  let text = `<div class="ag-${title === "value" ? "value" : "gradient"}"><b>${title}</b> ${
    esc(JSON.stringify(value.shape))} ${esc(value.dtype)}</div>`;
  if (value.histogram) {
    text += `<div class="ag-stats">min ${value.min.toPrecision(4)} &middot; mean ${
      value.mean.toPrecision(4)} &middot; max ${value.max.toPrecision(4)}</div>`;
    const most = Math.max(...value.histogram), width = 12;
    text += `<svg width="${width * value.histogram.length}" height="40">` +
      value.histogram.map((n, k) => `<rect x="${k * width}" y="${40 - 38 * n / most}" ` +
        `width="${width - 1}" height="${38 * n / most}" fill="#80b1d3"></rect>`).join("") +
      "</svg>";
  } else if (value.text) {
    text += `<div>${esc(value.text)}</div>`;
  }
  return text;
}

// Everything that `start` depends on (inputsOf) or feeds (outputsOf), itself included.
function trace(start, next) {
  const found = new Set([start]), stack = [start];
  while (stack.length) {
    for (const j of next[stack.pop()]) if (!found.has(j)) { found.add(j); stack.push(j); }
  }
  highlighted = found;
  paint();
  count(`${found.size} nodes traced`);
  root.dataset.traced = [...found].sort((a, b) => a - b).join(",");
}

function count(text) { root.querySelector(".ag-count").textContent = text; }

function search(pattern) {
  if (!pattern) { highlighted = new Set(); paint(); count(""); return; }
  let re;
  try { re = new RegExp(pattern, "i"); } catch (error) { count("not a regex"); return; }
  highlighted = new Set();
  nodes.forEach((node, i) => {
    if (re.test(node.name) || re.test(node.type)) highlighted.add(i);
  });
  paint();
  count(`${highlighted.size} match${highlighted.size === 1 ? "" : "es"}`);
  root.dataset.matches = String(highlighted.size);
}

function fit() {
  const svg = picture.querySelector("svg");
  if (!svg) return;
  const box = svg.viewBox.baseVal, width = picture.clientWidth, height = picture.clientHeight;
  const scale = Math.min(width / box.width, height / box.height, 1.5);
  view = {scale: scale, x: (width - box.width * scale) / 2, y: 0};
  svg.style.width = box.width + "px"; svg.style.height = box.height + "px";
  place();
}

function place() {
  const svg = picture.querySelector("svg");
  if (svg) svg.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}

function zoom(factor, x, y) {
  view.x = x - (x - view.x) * factor; view.y = y - (y - view.y) * factor;
  view.scale *= factor;
  place();
}

function svgText() {
  const svg = picture.querySelector("svg").cloneNode(true);
  svg.style.transform = ""; svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return new XMLSerializer().serializeToString(svg);
}

function pngDataUrl() {
  const svg = picture.querySelector("svg"), box = svg.viewBox.baseVal;
  const image = new Image(), canvas = document.createElement("canvas");
  canvas.width = Math.ceil(box.width * 2); canvas.height = Math.ceil(box.height * 2);
  return new Promise((resolve, reject) => {
    image.onload = () => {
      const context = canvas.getContext("2d");
      context.fillStyle = "white"; context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      resolve(canvas.toDataURL("image/png"));
    };
    image.onerror = reject;
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText());
  });
}

function download(name, url) {
  const link = document.createElement("a");
  link.href = url; link.download = name; link.click();
}

root.querySelector(".ag-search").addEventListener("input", e => search(e.target.value));
root.querySelector(".ag-colour").addEventListener("change", e => {
  colourBy = e.target.value; render();
});
root.querySelector(".ag-fit").onclick = fit;
root.querySelector(".ag-expand-all").onclick = () => {
  AG_DATA.scopes.forEach(s => open.add(s.path)); render();
};
root.querySelector(".ag-collapse-all").onclick = () => { open.clear(); render(); };
root.querySelector(".ag-svg").onclick = () => download("graph.svg",
  URL.createObjectURL(new Blob([svgText()], {type: "image/svg+xml"})));
root.querySelector(".ag-png").onclick = () => pngDataUrl().then(url => download("graph.png", url));
picture.addEventListener("wheel", event => {
  event.preventDefault();
  const box = picture.getBoundingClientRect();
  zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
}, {passive: false});
let drag = null;
picture.addEventListener("mousedown", e => { drag = {x: e.clientX, y: e.clientY}; });
window.addEventListener("mouseup", () => { drag = null; });
window.addEventListener("mousemove", e => {
  if (!drag) return;
  view.x += e.clientX - drag.x; view.y += e.clientY - drag.y;
  drag = {x: e.clientX, y: e.clientY};
  place();
});
picture.addEventListener("keydown", e => {
  const middle = [picture.clientWidth / 2, picture.clientHeight / 2];
  if (e.key === "+" || e.key === "=") zoom(1.2, ...middle);
  else if (e.key === "-") zoom(1 / 1.2, ...middle);
  else if (e.key === "0") fit();
  else if (e.key === "Escape") { highlighted = new Set(); paint(); count(""); }
  else return;
  e.preventDefault();
});
root.agExplorer = {open: open, render: render, dot: dot, select: select, search: search, trace: trace,
                   svgText: svgText, pngDataUrl: pngDataUrl, nodes: nodes};
render();
