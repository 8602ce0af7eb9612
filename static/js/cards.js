// Phones: a table.card-table (and the office's existing list tables, by id) becomes one card per row (static/css/tracker.css). Cells the
// template did not label get their column's heading as data-label, shown before the value.
(function () {
  "use strict";
  var tables = document.querySelectorAll(
    "table.card-table, table.lagging-table, #compliance-total, #section-progress, #compliance-table, #escalation-list, #unit-gaps");
  for (var t = 0; t < tables.length; t++) {
    var heads = tables[t].querySelectorAll("thead th");
    var rows = tables[t].querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length; c++) {
        var label = heads[c] ? heads[c].textContent.trim() : "";
        if (label && !cells[c].hasAttribute("data-label") && !cells[c].hasAttribute("colspan")) {
          cells[c].setAttribute("data-label", label);
        }
      }
    }
  }
})();
