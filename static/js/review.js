// The review queue and a report's review page: select all, and keyboard shortcuts
// (A accept and next, R write the return comment, N next report). Plain JS, no inline scripts.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll("input.queue-pick");
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = all.checked; }
    });
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = (event.key || "").toLowerCase();
    var button = null;
    if (key === "a") { button = document.getElementById("accept-next"); }
    if (key === "r") {
      var comment = document.getElementById("return-comment");
      if (comment) { event.preventDefault(); comment.focus(); }
      return;
    }
    if (key === "n") {
      var next = document.getElementById("next-report");
      if (next) { event.preventDefault(); window.location.href = next.href; }
      return;
    }
    if (button) { event.preventDefault(); button.click(); }
  });
})();
