"""Markdown for forum posts and partner-search comments, rendered to inert HTML.

Two layers, so one mistake is not enough for an injection:

1. Python-Markdown with raw HTML switched off: an HTML block or inline tag in the source is
   escaped and shown as text, never passed through.
2. nh3 (ammonia) with an allow-list: only the tags and attributes below survive, links keep
   only http, https and mailto URLs (or relative ones) and get ``rel="nofollow noopener"``.

Everything else (script, style, iframe, img, event-handler and style attributes, javascript:
and data: URLs) is removed. The allow-list is documented in docs/collaboration.md; change both
together. Posts store the rendered HTML at save time (``RENDERER_VERSION`` records which rules
produced it; ``rerender_markup`` refreshes stored HTML after a change here).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # Markdown hands us its own tree; nothing is parsed here

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

# Bump when the output for the same source changes, then run `escp4i rerender_markup`.
RENDERER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h4",
        "h5",
        "h6",
        "hr",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
# Column alignment from Markdown tables, as an attribute (never a style).
ALLOWED_ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    "th": {"align": {"left", "right", "center"}},
    "td": {"align": {"left", "right", "center"}},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Removed with their content (not just the tag), should they ever reach the sanitiser.
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})

MAX_SOURCE_LENGTH = 20_000


HEADING_SHIFT = 3  # "# Title" becomes <h4>: posts sit below the page's own headings


class _PostTree(Treeprocessor):
    """Headings move down the outline; images become links to the image (alt text as the link
    text), so a post never loads a remote resource. The sanitiser still vets every URL."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_SHIFT)}"
            elif element.tag == "img":
                src = element.get("src", "")
                alt = element.get("alt", "") or src
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "nl2br"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # No raw HTML: block-level HTML and inline tags are escaped as text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_PostTree(md), "escp4i_post", 1)
    return md


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    cleaned: str = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaned


def render_markdown(source: str) -> str:
    """The safe HTML for ``source`` (Markdown: emphasis, lists, links, code, quotes, tables)."""
    return sanitise_html(_markdown().convert(source))


def quote_markdown(source: str, *, author: str) -> str:
    """``source`` as a Markdown quote attributed to ``author``, to start a reply with."""
    lines = source.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"{author}:\n\n{quoted}\n\n"
