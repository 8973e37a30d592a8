"""Script and event-handler HTML never survives Markdown rendering."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.markdown import render_markdown

CLASSIC = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](JaVaScRiPt:alert(1))",
    "<<script>script>alert(1)<</script>/script>",
]
SAFE_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
             "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}


class _Elements(HTMLParser):
    """What a browser would build from the HTML: elements and their attributes (text is harmless)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_harmless(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name in {"href", "title", "rel", "start", "align"}, html
            if name == "href":
                assert re.match(r"(https?:|mailto:|#|/)", value or "", re.I), html


@pytest.mark.parametrize("payload", CLASSIC)
def test_classic_payloads_are_neutralised(payload):
    assert_harmless(render_markdown(payload))


tags = st.sampled_from(["script", "img", "a", "svg", "iframe", "div", "p", "b", "style", "object"])
attrs = st.sampled_from(["onerror", "onload", "onclick", "href", "src", "style", "onmouseover"])
values = st.sampled_from(["alert(1)", "javascript:alert(1)", "x", "data:text/html,<script>1</script>"])


@st.composite
def html_fragments(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag, attr, value = draw(tags), draw(attrs), draw(values)
        text = draw(st.text(max_size=20))
        parts.append(f'<{tag} {attr}="{value}">{text}</{tag}>')
        parts.append(draw(st.sampled_from(["", "\n\n", "**bold** ", "[l](javascript:x) ", "`code` "])))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(html_fragments())
def test_generated_html_fragments_never_reach_the_page(fragment):
    assert_harmless(render_markdown(fragment))


def test_ordinary_markdown_is_kept():
    html = render_markdown("# Title\n\nSee **the map** at [the portal](https://portal.example/maps).\n\n- one\n- two")
    assert "<h3>Title</h3>" in html
    assert "<strong>the map</strong>" in html
    assert 'href="https://portal.example/maps"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert "<li>one</li>" in html


def test_headings_sit_below_the_pages_own():
    # the page's title is its h1 and its sections h2: a writer's h1 becomes h3, and so on, at most h6
    html = render_markdown("# One\n\n## Two\n\n#### Four\n\n###### Six")
    assert [f"<h{n}>" in html for n in (3, 4, 6)] == [True, True, True]
    assert "<h1>" not in html and "<h2>" not in html and "<h5>" not in html
