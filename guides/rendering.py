"""Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off) and then nh3 (ammonia).

Two layers on purpose: the parser never passes HTML through and refuses `javascript:` links, and
the sanitiser keeps only the tags and attributes a guide needs, whatever the parser produced.
Images must be screenshots uploaded to a guide (`/guides/images/<id>/`): the Content-Security-
Policy allows images from this site only, and a foreign image would also tell another site who
reads the guide.
"""

import re
from functools import lru_cache

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

IMAGE_PATH = re.compile(r"^/guides/images/\d+/$")
URL_SCHEMES = {"http", "https", "mailto", "tel"}
TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# An HTML tag (not an autolink such as <https://…>, nor a button name such as <Volgende>).
HTML_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>")
HTML_NAMES = {
    "a", "abbr", "audio", "b", "base", "body", "br", "button", "code", "details", "dialog", "div", "em",
    "embed", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "html", "i",
    "iframe", "img", "input", "link", "li", "math", "meta", "noscript", "object", "ol", "option", "p",
    "picture", "pre", "script", "select", "source", "span", "strong", "style", "svg", "table", "td",
    "template", "textarea", "th", "title", "tr", "u", "ul", "video",
}  # fmt: skip
BAD_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not IMAGE_PATH.match(value):
        return None
    return value


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def render(markdown: str) -> str:
    """Safe HTML for a guide's Markdown. Headings move one level down (the page's title is the
    only h1) so that the page's outline stays right for screen readers."""
    parser = _parser()
    tokens = parser.parse(markdown or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return sanitise(parser.renderer.render(tokens, parser.options, {}))


def problems(markdown: str) -> list[str]:
    """What a form or the API refuses in a guide's Markdown, with a message an author understands.

    Rendering would make all of it harmless anyway; refusing it tells the author why it would
    not show."""
    found = []
    tags = HTML_TAG.findall(markdown or "")
    if any(name.lower() in HTML_NAMES or "=" in attributes for name, attributes in tags):
        found.append(
            _(
                "HTML tags (such as <script> or <img>) are not allowed: write Markdown, e.g. **bold** or [link](https://…)."
            )
        )
    if BAD_LINK.search(markdown or ""):
        found.append(_("Links must start with https://, http://, mailto: or tel:."))
    if any(not IMAGE_PATH.match(src) for src in MARKDOWN_IMAGE.findall(markdown or "")):
        found.append(
            _(
                "Images must be screenshots uploaded to this guide (/guides/images/…/); "
                "images from other sites are not shown."
            )
        )
    return found
