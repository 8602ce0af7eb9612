// The quarterly report page: refuse an oversized evidence file before the upload starts,
// so the typed text is never lost to the server's size limit.
(function () {
  "use strict";
  var form = document.getElementById("report-sheet");
  if (!form) { return; }
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var template = form.getAttribute("data-too-large") || "";

  function oversized() {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      var files = inputs[i].files || [];
      for (var j = 0; j < files.length; j++) {
        if (maxBytes && files[j].size > maxBytes) { return { input: inputs[i], name: files[j].name }; }
      }
    }
    return null;
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type !== "file") { return; }
    var bad = oversized();
    target.classList.toggle("is-invalid", !!(bad && bad.input === target));
    target.setCustomValidity(bad && bad.input === target ? template.replace("{name}", bad.name) : "");
  });

  // The character counter beside each text: the limit is shown, never enforced by cutting.
  var tooLong = form.getAttribute("data-too-long") || "";
  function count(area) {
    var limit = parseInt(area.getAttribute("data-maxlength"), 10) || 0;
    var counter = form.querySelector('.char-count[data-for="' + area.id + '"]');
    if (!counter || !limit) { return; }
    var used = area.value.trim().length;
    counter.textContent = used + " / " + limit + (used > limit ? " · " + tooLong : "");
    counter.classList.toggle("text-danger", used > limit);
  }
  form.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("counted")) { count(event.target); }
  });

  form.addEventListener("submit", function (event) {
    var bad = oversized();
    if (!bad) { return; }
    event.preventDefault();
    window.alert(template.replace("{name}", bad.name));
    bad.input.focus();
  });
})();
