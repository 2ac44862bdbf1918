// The site's small behaviours, kept out of the templates so that the Content-Security-Policy
// can refuse every inline script: a <select data-autosubmit> sends its form when changed (the
// <noscript> button does it without JavaScript), an <input data-select-on-focus> selects its
// text when focused (the feed addresses, to copy).
"use strict";
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-select-on-focus]") && field.select) {
    field.select();
  }
});
