/* Indicator page charts: values against the path and target, and the peer cities (ECharts).
   Data comes from <script type="application/json" id="indicator-data"> (no inline scripts: CSP). */
(function () {
  "use strict";
  var source = document.getElementById("indicator-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function fmt(value) {
    if (value === null || value === undefined) { return "-"; }
    return String(Math.round(value * 10000) / 10000);
  }

  function progressChart(element) {
    var chart = echarts.init(element);
    var last = data.years.length - 1;
    var target = data.years.map(function (_, i) { return i === last ? data.target_low : null; });
    var series = [
      { name: data.labels.values, type: "line", data: data.values, connectNulls: true, symbolSize: 8,
        label: { show: true, formatter: function (p) { return fmt(p.value); } } },
      { name: data.labels.path, type: "line", data: data.path, connectNulls: false,
        lineStyle: { type: "dashed" }, symbol: "emptyCircle" },
      { name: data.labels.target, type: "scatter", data: target, symbol: "diamond", symbolSize: 16 }
    ];
    if (data.target_high !== null && data.target_high !== data.target_low) {
      series[2].markArea = { silent: true, itemStyle: { opacity: 0.15 },
        data: [[{ name: data.labels.range, yAxis: data.target_low, xAxis: data.years[0] },
                { yAxis: data.target_high, xAxis: data.years[last] }]] };
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: data.measure, scale: true },
      series: series
    });
    return chart;
  }

  function peerChart(element) {
    var peers = data.peers;
    var chart = echarts.init(element);
    var numbers = peers.baseline.concat(peers.target).filter(function (v) { return v !== null && v > 0; });
    var spread = numbers.length ? Math.max.apply(null, numbers) / Math.min.apply(null, numbers) : 1;
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: peers.cities, axisLabel: { interval: 0 } },
      // Peers differ by orders of magnitude (the nation beside one city): a log axis keeps every bar visible.
      yAxis: { type: spread > 100 ? "log" : "value", name: data.measure },
      series: [
        { name: data.labels.baseline, type: "bar", data: peers.baseline },
        { name: data.labels.target, type: "bar", data: peers.target }
      ]
    });
    return chart;
  }

  var charts = [];
  var progress = document.getElementById("indicator-chart");
  if (progress) { charts.push(progressChart(progress)); }
  var peers = document.getElementById("peer-chart");
  if (peers && data.peers) { charts.push(peerChart(peers)); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
