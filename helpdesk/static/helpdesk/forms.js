// After a failed submit the page comes back with an error summary at the top of the form. Focus
// moves there, so keyboard and screen-reader users start at what to fix instead of 17 Tabs away.
// A file of its own (no inline script): the Content-Security-Policy allows only our own scripts.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
