(function () {
  var media = document.getElementById("media");
  var head = document.getElementById("playhead");
  var words = Array.prototype.slice.call(document.querySelectorAll(".w"));
  var duration = {{ "%.3f"|format(r.input.duration_s) }};
  function mark(t) {
    if (head) {
      var svg = head.ownerSVGElement, w = svg.viewBox.baseVal.width;
      var x = {{ label_w }} + {{ plot_w }} * Math.min(Math.max(t / duration, 0), 1);
      head.setAttribute("x1", x); head.setAttribute("x2", x); head.setAttribute("visibility", "visible");
    }
    words.forEach(function (el) {
      var on = t >= parseFloat(el.dataset.t) && t < parseFloat(el.dataset.end);
      el.classList.toggle("now", on);
    });
  }
  function seek(t) {
    if (media) { media.currentTime = t; media.play && media.play().catch(function () {}); }
    mark(t);
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-t]");
    if (el) { seek(parseFloat(el.dataset.t)); }
  });
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches(".w")) { ev.preventDefault(); seek(parseFloat(ev.target.dataset.t)); }
  });
  if (media) { media.addEventListener("timeupdate", function () { mark(media.currentTime); }); }
})();
// For tests and print: mark which charts have been laid out with a non-empty drawing.
(function () {
  var drawn = [];
  document.querySelectorAll("svg[role=img]").forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    var marks = svg.querySelectorAll("rect,path,polyline,polygon,circle,line").length;
    if (box.width > 0 && box.height > 0 && marks > 0) { drawn.push(svg.getAttribute("class")); }
  });
  document.body.setAttribute("data-charts-drawn", drawn.join(" "));
})();
