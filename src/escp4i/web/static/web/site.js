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
})();
