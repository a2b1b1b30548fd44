// Progressive enhancement only: every page works without this file.
(function () {
  // Picking a district shows its wards at once (without script, the "Continue" button does the same).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { if (select.value) select.form.submit(); });
  });
  // A second tap on a slow connection must not send the form twice (the server also treats it as one).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
