"""Markdown in, safe HTML out: rendered once when the text is saved, never trusted from the browser."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

# The page's title is its h1 and its sections are h2: a heading someone writes is a level within them.
HEADING_SHIFT = 2
_HEADING = re.compile(r"<(/?)h([1-6])>")
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> str:
    """HTML for a Markdown text, with raw HTML escaped and only harmless tags and links kept.

    Headings move down two levels (h1 → h3, h2 → h4, at most h6), below the page's own h1 and h2.
    """
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + HEADING_SHIFT, 6)}>", _md.render(text or ""))
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
