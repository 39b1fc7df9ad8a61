/* Zhishu: every chart is an Apache ECharts horizontal bar chart drawn from its report API endpoint.
 *
 * A page renders {% chart url config %} (core/templatetags/charts.py): a hidden box with data-chart-url (the
 * endpoint whose numbers the page's <table> shows too) and data-chart-config (what to draw, labels already in
 * Chinese). This init fetches the endpoint and draws; without JavaScript, or when the fetch fails, the box stays
 * hidden and the table carries the numbers. Rendered as SVG. base.html loads this file on every page; it loads
 * ECharts itself only where a chart is.
 */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-chart-url]");
  if (!boxes.length || !window.fetch) return;

  var ROW_HEIGHT = 18;   // px per bar
  var ROW_GAP = 14;      // px between rows
  var CHROME = 64;       // legend above, axis below

  function pick(obj, path) {
    return String(path).split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
  }

  function fmt(value, unit) {
    if (value === null || value === undefined || value === "") return "";
    return unit ? value + unit : String(value);
  }

  function option(el, data, cfg) {
    var rows = pick(data, cfg.rows || "results") || [];
    var width = el.clientWidth || 600;
    var labelWidth = Math.max(56, Math.min(170, Math.round(width * (width < 480 ? 0.30 : 0.24))));
    var series = cfg.series.map(function (s) {
      return {
        name: s.name, type: "bar", stack: cfg.stack ? "total" : undefined,
        barMaxWidth: ROW_HEIGHT, barGap: "15%",
        itemStyle: { color: s.color },
        data: rows.map(function (r) { var v = pick(r, s.field); return v === null || v === undefined ? null : Number(v); }),
        label: {
          show: true, position: cfg.stack ? "inside" : "right", fontSize: 11,
          color: cfg.stack ? "#fff" : "#1f2328",
          formatter: function (p) { return p.value ? fmt(p.value, cfg.unit) : (cfg.stack ? "" : fmt(p.value, cfg.unit) || "—"); }
        },
        labelLayout: { hideOverlap: true }
      };
    });
    return {
      animation: false,
      // The box keeps its own aria-label and the table below has the numbers; ECharts' generated description
      // would replace the label and reads stacked bars wrongly.
      aria: { enabled: false },
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        valueFormatter: function (v) { return fmt(v, cfg.unit) || "—"; }
      },
      // Room on the right so the value labels are never cut; the row labels' width is set below.
      grid: { left: 8, right: cfg.stack ? 16 : 52, top: 30, bottom: 24, containLabel: true },
      xAxis: { type: "value", max: cfg.max, minInterval: 1,
               axisLabel: { fontSize: 11, formatter: function (v) { return fmt(v, cfg.unit); } } },
      yAxis: {
        type: "category", inverse: true,
        data: rows.map(function (r) { return String(pick(r, cfg.label || "label")); }),
        axisTick: { show: false },
        // Long names are cut with an ellipsis; the tooltip shows them in full.
        axisLabel: { width: labelWidth, overflow: "truncate", ellipsis: "…", fontSize: 12, color: "#4b5563" }
      },
      series: series
    };
  }

  function draw(el) {
    var cfg = JSON.parse(el.getAttribute("data-chart-config"));
    fetch(el.getAttribute("data-chart-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var rows = pick(data, cfg.rows || "results") || [];
        if (!rows.length) return;  // nothing to draw: the table (or its empty message) says so
        var perRow = cfg.stack ? ROW_HEIGHT : ROW_HEIGHT * cfg.series.length;
        el.style.height = (CHROME + rows.length * (perRow + ROW_GAP)) + "px";
        el.hidden = false;
        var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
        chart.setOption(option(el, data, cfg));
        el.setAttribute("data-chart-ready", "true");
        // The same numbers stay in the table for screen readers; sighted users see the chart.
        var table = el.parentNode.querySelector("[data-chart-table]");
        if (table && table.hasAttribute("data-chart-hide")) table.classList.add("chart-table-hidden");
        window.addEventListener("resize", function () { chart.resize(); chart.setOption(option(el, data, cfg)); });
      })
      .catch(function () { el.hidden = true; });
  }

  function drawAll() { boxes.forEach(draw); }

  // ECharts (static/vendor/echarts, ~1 MB) is loaded only on a page that has a chart.
  if (window.echarts) { drawAll(); return; }
  var me = document.currentScript || document.querySelector("script[data-echarts]");
  var lib = document.createElement("script");
  lib.src = me.getAttribute("data-echarts");
  lib.onload = drawAll;
  document.head.appendChild(lib);
})();
