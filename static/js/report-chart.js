/* Yearly report: a bar chart of held sessions per year, stacked by the breakdown.
   Data comes from the json_script element "report-chart-data"; the table stays the
   primary, accessible view, so without JavaScript nothing is lost. */
(function () {
  "use strict";
  var canvas = document.getElementById("report-chart");
  var source = document.getElementById("report-chart-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Okabe-Ito colours: distinguishable with colour-blindness.
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#000000", "#999999", "#7F3C8D", "#11A579", "#3969AC"];
  var datasets = data.datasets.map(function (dataset, i) {
    return {
      label: dataset.label,
      data: dataset.data,
      backgroundColor: palette[i % palette.length]
    };
  });
  // The plan as a line over the bars: held against planned sessions per year.
  if (data.planned && data.planned.data.some(function (v) { return v !== null; })) {
    datasets.push({
      type: "line",
      label: data.planned.label,
      data: data.planned.data,
      borderColor: "#000000",
      backgroundColor: "#000000",
      borderDash: [6, 4],
      pointStyle: "rectRot",
      pointRadius: 5,
      stack: "plan",
      order: -1
    });
  }
  // Numbers as the page writes them: Flemish Dutch, or English as in the UK.
  var locale = { nl: "nl-BE", en: "en-GB" }[document.documentElement.lang] || "nl-BE";
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale,
      scales: {
        x: { stacked: data.stacked },
        y: { stacked: data.stacked, beginAtZero: true, ticks: { precision: 0 } }
      },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
