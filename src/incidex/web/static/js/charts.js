// Charts drawn with uPlot from JSON data blocks embedded in the page: the timeline
// (incidents, killed and wounded per month) and an incident's toll as each report gave it.
(function () {
  "use strict";

  function readData(el) {
    var block = document.getElementById(el.dataset.source);
    return block ? JSON.parse(block.textContent) : null;
  }

  function width(el) {
    return Math.max(280, el.clientWidth || 600);
  }

  // People axes start at zero so a rise in the toll is not exaggerated.
  function fromZero(u, lo, hi) {
    return [0, Math.max(1, Math.ceil(hi * 1.1))];
  }

  function monthSeconds(month) {
    var parts = month.split("-");
    return Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1) / 1000;
  }

  function timelineChart(el, data) {
    var xs = data.months.map(monthSeconds);
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : null;
    // Half a month of margin each side keeps the first and last bars whole.
    var pad = 15 * 86400;
    var counts = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    return new uPlot({
      width: width(el),
      height: 280,
      scales: {
        x: { time: true, range: function () { return [xs[0] - pad, xs[xs.length - 1] + pad]; } },
        y: { range: fromZero },
        n: { range: function (u, lo, hi) { return [0, Math.max(1, hi)]; } }
      },
      series: [
        {},
        { label: "Incidents", scale: "n", stroke: "#4a5a70", fill: "rgba(74,90,112,0.35)", paths: bars, points: { show: false } },
        { label: "Killed", stroke: "#b3261e", width: 2 },
        { label: "Wounded", stroke: "#c77700", width: 2, dash: [6, 4] }
      ],
      axes: [{}, { label: "People" }, { side: 1, scale: "n", label: "Incidents", grid: { show: false }, incrs: counts }]
    }, [xs, data.incidents, data.killed, data.wounded], el);
  }

  function tollChart(el, data) {
    var xs = data.labels.map(function (_, i) { return i + 1; });
    return new uPlot({
      width: width(el),
      height: 220,
      scales: {
        x: { time: false, range: function () { return [0.5, xs.length + 0.5]; } },
        y: { range: fromZero }
      },
      series: [
        { label: "Report", value: function (u, v) { return v == null ? "" : data.labels[v - 1] || ""; } },
        { label: "Killed", stroke: "#b3261e", width: 2, points: { size: 8 } },
        { label: "Wounded", stroke: "#c77700", width: 2, points: { size: 8 } }
      ],
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? data.labels[t - 1] || "" : ""; }); } },
        { label: "People" }
      ]
    }, [xs, data.killed, data.wounded], el);
  }

  function draw(el) {
    var data = readData(el);
    if (!data) {
      return;
    }
    var chart = el.id === "timeline-chart" ? timelineChart(el, data) : tollChart(el, data);
    el.setAttribute("data-ready", "true");
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        chart.setSize({ width: width(el), height: chart.height });
      }).observe(el);
    }
  }

  document.querySelectorAll(".chart[data-source]").forEach(draw);
})();
