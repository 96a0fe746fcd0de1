/* The leaders' dashboard: draws every chart with Apache ECharts (served from our static files) from the
   JSON the page carries in <script type="application/json" id="dashboard-data">. Nothing is executed
   from the page itself, so a Content-Security-Policy without inline scripts holds. Every figure is also
   in the data table under its chart: the page reads without this file. */
(function () {
  "use strict";

  var holder = document.getElementById("dashboard-data");
  if (!holder || !window.echarts) return;
  var charts = JSON.parse(holder.textContent);
  var palette = ["#2f6fb5", "#e07b39", "#3a9e6f", "#c9473f", "#8063b5", "#c2a13a", "#3aa1b5", "#b5577f",
                 "#6b8e23", "#7f7f7f", "#1f4e79", "#a0522d"];
  var drawn = [];

  function phone() { return window.matchMedia("(max-width: 640px)").matches; }
  function bigScreen() { return window.matchMedia("(min-width: 1800px)").matches; }

  function option(chart) {
    var drawable = [];
    chart.columns.forEach(function (column, index) { if (column.draw) drawable.push(index); });
    if (!drawable.length || !chart.rows.length) return null;
    var categories = chart.rows.map(function (row) { return String(row[0]); });
    var twoAxes = drawable.some(function (i) { return chart.columns[i].axis === 1; });
    var font = bigScreen() ? 16 : (phone() ? 11 : 12);
    var series = drawable.map(function (i) {
      var column = chart.columns[i];
      return {
        name: column.label,
        type: column.draw,
        stack: column.stack ? "total" : undefined,
        yAxisIndex: chart.horizontal ? undefined : column.axis,
        xAxisIndex: chart.horizontal ? column.axis : undefined,
        smooth: column.draw === "line",
        emphasis: {focus: "series"},
        data: chart.rows.map(function (row) { return row[i] === null ? "-" : row[i]; })
      };
    });
    var valueAxis = function (index) {
      return {type: "value", position: index ? (chart.horizontal ? "top" : "right") : undefined,
              splitLine: {show: index === 0}, axisLabel: {fontSize: font}};
    };
    var valueAxes = twoAxes ? [valueAxis(0), valueAxis(1)] : [valueAxis(0)];
    var categoryAxis = {type: "category", data: categories, inverse: !!chart.horizontal,
                        axisLabel: {fontSize: font, width: phone() ? 90 : 160, overflow: "truncate",
                                    hideOverlap: true}};
    return {
      color: palette,
      textStyle: {fontSize: font},
      tooltip: {trigger: "axis", confine: true},
      legend: {type: "scroll", bottom: 0, textStyle: {fontSize: font}},
      grid: {left: 8, right: twoAxes ? 16 : 8, top: 24, bottom: 40, containLabel: true},
      xAxis: chart.horizontal ? valueAxes : categoryAxis,
      yAxis: chart.horizontal ? categoryAxis : valueAxes,
      series: series
    };
  }

  function sized(element, chart) {
    if (chart.horizontal) {
      element.style.height = Math.max(240, 36 * chart.rows.length + 90) + "px";
    }
  }

  charts.forEach(function (chart) {
    var element = document.querySelector('.chart[data-chart="' + chart.id + '"]');
    if (!element) return;
    var spec = option(chart);
    if (!spec) { element.hidden = true; return; }
    sized(element, chart);
    var instance = window.echarts.init(element, null, {locale: "ZH", renderer: "canvas"});
    instance.setOption(spec);
    element.setAttribute("data-drawn", "1");
    drawn.push(instance);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () { drawn.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
