"""Hostile HTML and Markdown in forum posts (and partner-search comments) renders inert.

The content goes in through the real views (new thread, reply, edit, comment) and the checks
run on the rendered thread page, parsed as HTML: no script or style element and no iframe,
object, embed, svg, math, img or form from content, no event-handler or style attribute, no
javascript:/data:/vbscript: URL in any link or source, only allow-listed tags inside post
bodies, every content link with rel="nofollow noopener" and the hostile source visible as
escaped text. A property test feeds generated hostile fragments to the renderer itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.collaboration.markup import ALLOWED_TAGS, render_markdown
from escp4i.collaboration.models import ForumPost, ForumThread

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[tab](jav&#x09;ascript:alert(1))",
    "[entity](&#106;avascript:alert(1))",
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "[vb](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)",
    "![pixel](https://tracker.example/p.gif)",
    '<div onmouseover="alert(1)">hover</div>',
    '<details open ontoggle="alert(1)">x</details>',
    "<body onload=alert(1)>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0;left:0;width:100%">overlay</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<iframe src="https://evil.example"></iframe>',
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<b><i>unclosed <u>nested <a href='x' <b onclick=alert(1)>>z</a>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<script>alert(1)//-->",
    "<form action=javascript:alert(1)><button>go</button></form><input autofocus onfocus=alert(1)>",
    "Raw HTML block:\n\n<div>\n<script>alert(1)</script>\n</div>\n\nafter",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
    '[title](https://ok.example "t\\" onmouseover=\\"alert(1))',
    "[ok link](https://example.org/page?a=1&b=2)",
    "**bold** _em_ `code` > not a quote\n\n> quote\n\n- one\n- two",
]

FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "applet",
    "noscript",
    "template",
    "details",
}
BAD_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_post_body: bool


@dataclass
class PageParser(HTMLParser):
    """Every start tag of the page, and whether it sits inside a ``div.post-body``."""

    elements: list[Element] = field(default_factory=list)
    depth: int = 0  # open elements inside the current post body (0: outside)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        inside = self.depth > 0
        self.elements.append(Element(tag, values, inside))
        if tag in {"br", "hr", "img", "input", "meta", "link"}:
            return  # void elements never close
        if inside:
            self.depth += 1
        elif tag == "div" and "post-body" in values.get("class", "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth > 0:
            self.depth -= 1


def parse(html: str) -> list[Element]:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser.elements


OUR_SCRIPTS = ["/static/web/site.js", "/static/web/vendor/htmx.min.js"]


def assert_inert(html: str, *, expected_bodies: int) -> None:
    elements = parse(html)
    bodies = [e for e in elements if e.tag == "div" and "post-body" in e.attrs.get("class", "")]
    assert len(bodies) == expected_bodies
    scripts = [e for e in elements if e.tag == "script"]
    # The page's only scripts are our own static files (vendored htmx and the site script).
    assert sorted(s.attrs.get("src") for s in scripts) == OUR_SCRIPTS
    for element in elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name, value)
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"}:
                assert not BAD_URL.match(value), (element.tag, name, value)
        if element.tag in FORBIDDEN_ELEMENTS - {"script", "link", "meta"}:
            raise AssertionError(f"<{element.tag}> on the page")
        if element.tag == "link":  # the page's own style sheets only
            assert element.attrs.get("href", "").startswith("/static/"), element.attrs
        if element.tag == "meta":  # the page's own head only
            assert element.attrs.get("name") in {None, "viewport", "htmx-config"}, element.attrs
            assert not element.in_post_body and "http-equiv" not in element.attrs
    content = [e for e in elements if e.in_post_body]
    assert content, "post bodies rendered nothing"
    for element in content:
        assert element.tag in ALLOWED_TAGS, element
        assert "style" not in element.attrs and "class" not in element.attrs, element
        if element.tag == "a":
            assert element.attrs.get("rel") == "nofollow noopener", element


def test_hostile_forum_posts_render_inert_on_the_thread_page(client, world, spaces, settings):
    settings.ESCP4I_PAGE_SIZE = 100  # every post on one page
    client.force_login(world.author)
    response = client.post(
        reverse("collaboration:forum-thread-create", args=["programme"]),
        {"title": "<script>alert('title')</script> & <b>bold</b>", "body": PAYLOADS[0]},
    )
    thread = ForumThread.objects.get()
    assert response.status_code == 302
    for payload in PAYLOADS[1:]:
        reply = client.post(
            reverse("collaboration:forum-reply", args=[thread.pk]), {"body": payload}
        )
        assert reply.status_code == 302, payload
    # Editing goes through the same renderer.
    second = ForumPost.objects.filter(thread=thread).order_by("pk")[1]
    client.post(
        reverse("collaboration:forum-post-edit", args=[second.pk]),
        {"body": "<img src=x onerror=alert('edited')> [e](javascript:alert(2))"},
    )
    page = client.get(reverse("collaboration:forum-thread", args=[thread.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert_inert(html, expected_bodies=len(PAYLOADS))
    # The hostile source is shown as text, escaped, not dropped silently.
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in html
    assert (
        "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        in html
    )
    assert "&lt;img src=x onerror=alert('edited')&gt;" in html
    # Safe Markdown still works.
    assert "<strong>bold</strong>" in html and "<blockquote>" in html and "<table>" in html
    assert (
        '<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow noopener">ok link</a>' in html
    )
    # The space page lists the thread with its title escaped.
    space_page = client.get(reverse("collaboration:forum-space", args=["programme"]))
    assert "&lt;script&gt;alert(&#x27;title&#x27;)" in space_page.content.decode()
    assert_script_free_titles(space_page.content.decode())


def assert_script_free_titles(html: str) -> None:
    assert sorted(e.attrs.get("src") for e in parse(html) if e.tag == "script") == OUR_SCRIPTS


def test_hostile_partner_search_comments_render_inert(client, world, make_search):
    search = make_search()
    client.force_login(world.other)
    url = reverse("collaboration:partner-search-comment", args=[search.pk])
    for payload in PAYLOADS:
        assert client.post(url, {"body": payload}).status_code == 302, payload
    html = client.get(reverse("collaboration:partner-search-detail", args=[search.pk]))
    assert_inert(html.content.decode(), expected_bodies=len(PAYLOADS))


HOSTILE_PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>",
        "[x](javascript:alert(1))",
        "![y](data:text/html,<script>)",
        "<style>",
        'style="color:red"',
        "<svg onload=alert(1)>",
        "<",
        ">",
        '"',
        "'",
        "&#106;",
        "&lt;",
        "**",
        "_",
        "`",
        "```\n",
        "\n\n",
        "> ",
        "- ",
        "| a |\n|---|\n",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "](",
        ")",
        "javascript:",
        "data:",
        " on",
        "mouseover=",
        "text",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_PIECES, min_size=1, max_size=25).map("".join))
def test_renderer_output_is_inert_for_generated_input(source):
    html = render_markdown(source)
    for element in parse(f'<div class="post-body">{html}</div>')[1:]:
        assert element.tag in ALLOWED_TAGS, (source, html)
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name != "style", (source, html)
            if name == "href":
                assert not BAD_URL.match(value), (source, html)
