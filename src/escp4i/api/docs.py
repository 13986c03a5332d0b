"""The interactive API documentation at /api/v1/docs: ninja's vendored Swagger UI, made accessible.

Swagger UI's defaults fail WCAG 2.1 AA (tests/browser/test_accessibility.py): the page has no
``lang``, operation summaries are buttons with a deep link nested inside (an interactive control
in another), and several colours are below 4.5:1. Our template sets the language (the Swagger UI
and the API descriptions are English), adds a stylesheet with darker colours
(static/api/swagger-a11y.css) and a script that names unnamed controls and makes scrollable code
samples focusable (static/api/swagger-a11y.js).
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class AccessibleSwagger(Swagger):
    template = "api/swagger.html"
    # No deep links (a link nested in each operation's button); plain, full-contrast code samples
    # instead of the dark highlighting theme, whose colours are below 4.5:1.
    default_settings = {**Swagger.default_settings, "deepLinking": False, "syntaxHighlight": False}
