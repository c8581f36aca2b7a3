// The player of autograd.play: one SVG laid out once by graphviz, restyled per frame.
// PLAYER_DATA = {id, nodes: [svg element ids], frames: [{label, current, done, values,
// grads, freed}], marks: [[label, frame]]}; a frame lists only what changes.
(function (data) {
  "use strict";
  var root = document.getElementById(data.id);
  var svg = root.querySelector("svg");
  var groups = data.nodes.map(function (id) { return svg.getElementById(id); });
  var slider = root.querySelector(".ag-slider");
  var label = root.querySelector(".ag-label");
  var timer = null;
  var STATES = ["ag-pending", "ag-done", "ag-current", "ag-freed"];

  function stateAt(k) {
    var state = data.initial.map(function (s) { return {status: s[0], value: s[1], grad: ""}; });
    for (var f = 0; f <= k; f++) {
      var frame = data.frames[f];
      state.forEach(function (s) { if (s.status === "ag-current") { s.status = "ag-done"; } });
      frame.current.forEach(function (n) { state[n].status = "ag-current"; });
      Object.keys(frame.values).forEach(function (n) { state[n].value = frame.values[n]; });
      Object.keys(frame.grads).forEach(function (n) { state[n].grad = frame.grads[n]; });
      frame.freed.forEach(function (n) {
        if (state[n].status !== "ag-current") { state[n].status = "ag-freed"; }
      });
    }
    return state;
  }

  function setText(group, cls, text) {
    var element = group && group.querySelector("text." + cls);
    if (element) { element.textContent = text; }
  }

  function show(k) {
    k = Math.max(0, Math.min(data.frames.length - 1, k));
    stateAt(k).forEach(function (s, n) {
      var group = groups[n];
      if (!group) { return; }
      STATES.forEach(function (c) { group.classList.remove(c); });
      if (s.status) { group.classList.add(s.status); }
      setText(group, "ag-value", s.value);
      setText(group, "ag-grad", s.grad);
    });
    slider.value = k;
    label.textContent = (k + 1) + " / " + data.frames.length + ": " + data.frames[k].label;
    root.setAttribute("data-frame", k);
  }

  function current() { return parseInt(slider.value, 10); }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    root.querySelector(".ag-play").textContent = "\u25B6 play";
  }
  function play() {
    if (timer) { stop(); return; }
    if (current() >= data.frames.length - 1) { show(0); }
    root.querySelector(".ag-play").textContent = "\u275A\u275A pause";
    timer = setInterval(function () {
      if (current() >= data.frames.length - 1) { stop(); } else { show(current() + 1); }
    }, data.interval);
  }

  slider.max = data.frames.length - 1;
  slider.addEventListener("input", function () { stop(); show(current()); });
  root.querySelector(".ag-first").addEventListener("click", function () { stop(); show(0); });
  root.querySelector(".ag-prev").addEventListener("click", function () { stop(); show(current() - 1); });
  root.querySelector(".ag-next").addEventListener("click", function () { stop(); show(current() + 1); });
  root.querySelector(".ag-last").addEventListener("click", function () { stop(); show(data.frames.length - 1); });
  root.querySelector(".ag-play").addEventListener("click", play);
  root.querySelectorAll(".ag-mark").forEach(function (button) {
    button.addEventListener("click", function () {
      stop(); show(parseInt(button.getAttribute("data-frame"), 10));
    });
  });
  show(0);
})(PLAYER_DATA);
