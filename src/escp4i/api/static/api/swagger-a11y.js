/* Swagger UI (vendored by django-ninja) renders some controls without an accessible name and
   scrollable code samples that a keyboard cannot reach (WCAG 2.1: 4.1.2, 2.1.1, 2.5.3). Swagger UI
   re-renders as operations open, so fix each new element as it appears. See api/docs.py. */
(function () {
  "use strict";
  function nameFor(control) {
    var row = control.closest("tr");
    var label = row && (row.getAttribute("data-param-name") ||
      (row.querySelector(".parameter__name, .prop-name") || {}).textContent);
    return (label || control.getAttribute("placeholder") || control.name || "Value").trim();
  }
  function fix(root) {
    root.querySelectorAll("select, input, textarea").forEach(function (control) {
      if (control.type !== "hidden" && !control.hasAttribute("aria-label") &&
          !control.labels.length) {
        control.setAttribute("aria-label", nameFor(control));
      }
    });
    root.querySelectorAll("button:not([aria-label])").forEach(function (button) {
      if (!button.textContent.trim()) {
        button.setAttribute("aria-label", button.closest(".copy-to-clipboard") ?
          "Copy to clipboard" : (button.getAttribute("title") || "Button"));
      }
    });
    // A visible label that the accessible name leaves out (2.5.3): let the text be the name.
    root.querySelectorAll("button[aria-label]").forEach(function (button) {
      var text = button.textContent.trim().toLowerCase();
      if (text && button.getAttribute("aria-label").toLowerCase().indexOf(text) === -1) {
        button.removeAttribute("aria-label");
      }
    });
    root.querySelectorAll("pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  var container = document.getElementById("swagger-ui");
  new MutationObserver(function () { fix(container); }).observe(container, {
    childList: true, subtree: true,
  });
})();
