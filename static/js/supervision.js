/* Supervision dashboard charts (ECharts). Data comes from <script type="application/json" id="supervision-charts">:
   inline scripts are forbidden by the Content-Security-Policy. */
(function () {
  "use strict";
  var source = document.getElementById("supervision-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var COLOURS = { red: "#dc3545", yellow: "#ffc107", green: "#198754", done: "#0d6efd", none: "#adb5bd" };
  var charts = [];

  function draw(name, option) {
    var node = document.querySelector('[data-chart="' + name + '"]');
    if (!node) { return; }
    var chart = echarts.init(node);
    chart.setOption(option);
    charts.push(chart);
  }

  draw("lights", {
    tooltip: { trigger: "item" },
    legend: { bottom: 0 },
    series: [{
      type: "pie", radius: ["40%", "70%"], avoidLabelOverlap: true, label: { formatter: "{b}\n{c}" },
      data: data.lights.map(function (d) { return { name: d.name, value: d.value, itemStyle: { color: COLOURS[d.key] } }; })
    }]
  });

  var s = data.sections;
  draw("sections", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, bottom: 8, top: 48, containLabel: true },
    xAxis: [{ type: "value", minInterval: 1 },
            { type: "value", min: 0, max: 100, position: "top", axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }],
    yAxis: { type: "category", data: s.names, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
    series: s.series.map(function (serie) {
      return { name: serie.name, type: "bar", stack: "lights", data: serie.data, itemStyle: { color: COLOURS[serie.key] } };
    }).concat([{ name: s.percentName, type: "scatter", xAxisIndex: 1, data: s.percent, symbolSize: 10,
                 itemStyle: { color: "#6f42c1" } }])
  });

  var c = data.compliance;
  draw("compliance", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: c.names, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
    series: [
      { name: c.rateName, type: "bar", data: c.rate, itemStyle: { color: "#0d6efd" } },
      { name: c.onTimeName, type: "bar", data: c.onTime, itemStyle: { color: "#20c997" } }
    ]
  });

  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
