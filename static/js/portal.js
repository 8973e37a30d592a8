// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The organisation switcher submits on change; its button stays for people without scripts.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form.querySelector(".js-hidden");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Move focus to an error summary so screen readers announce it.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
})();
