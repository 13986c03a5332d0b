// Site behaviour that needs script, kept out of the HTML: the Content-Security-Policy allows
// scripts from this origin only (no inline <script>, no on*= attributes, no eval).
(function () {
  "use strict";
  // <button data-print>: print the page (agenda, certificate).
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
  // Language switcher: htmx filters change the address without reloading the page, so send the
  // current address as `next` (the server-rendered value is the address the page loaded with).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("lang-form")) {
      form.elements.namedItem("next").value = window.location.pathname + window.location.search;
    }
  });
})();
