"""The Markdown renderer's allow-list, one rule at a time (no database)."""

from __future__ import annotations

import pytest

from escp4i.collaboration.markup import quote_markdown, render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**b** _i_ `c`", "<p><strong>b</strong> <em>i</em> <code>c</code></p>"),
        ("> q", "<blockquote>\n<p>q</p>\n</blockquote>"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
        (
            "[site](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener">site</a></p>',
        ),
        (
            "<mailto:someone@example.org>",
            'rel="nofollow noopener"',
        ),
        ("[rel](/collaboration/forum/)", 'href="/collaboration/forum/"'),
        ("# Title", "<h4>Title</h4>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
        ("| a | b |\n|:-|-:|\n| 1 | 2 |", '<th align="left">a</th>'),
        (
            "![chart](https://example.org/c.png)",
            '<p><a href="https://example.org/c.png" rel="nofollow noopener">chart</a></p>',
        ),
        ("<b>raw</b>", "<p>&lt;b&gt;raw&lt;/b&gt;</p>"),
    ],
)
def test_allowed_markdown(source, expected):
    assert expected in render_markdown(source)


@pytest.mark.parametrize(
    "source",
    [
        "[ftp](ftp://example.org/file)",
        "[tel](tel:+3212345678)",
        "[js](javascript:alert(1))",
        "[data](data:text/html,hi)",
    ],
)
def test_links_keep_only_http_https_mailto_or_relative_urls(source):
    html = render_markdown(source)
    assert "href" not in html and 'rel="nofollow noopener"' in html


def test_quote_markdown_prefixes_every_line():
    assert quote_markdown("one\n\ntwo", author="Alpha") == "Alpha:\n\n> one\n>\n> two\n\n"
