"""Django's Content-Security-Policy on every HTML page, and nothing in the pages it would block:
inline scripts and styles carry the nonce, no inline event handlers, no style attributes."""

import re

import pytest
from django.core.cache import cache

from tests.test_isolation import concrete_paths, records_a, world_a  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

INLINE_TAG = re.compile(r"<(script|style)\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize("who", ["staff_a", "coordinator_a"])
def test_every_html_page_has_a_nonce_policy_and_nothing_it_would_block(world_a, web, request, who):  # noqa: F811
    browser = web(request.getfixturevalue(who))
    checked = 0
    problems = []
    for path in sorted(set(concrete_paths(world_a))):
        if path.startswith("/api/"):
            continue
        cache.clear()
        response = browser.get(path)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        policy = response.get("Content-Security-Policy", "")
        html = response.content.decode()
        # Django adds the nonce to the header only on pages that use one.
        if "script-src 'self'" not in policy or "'unsafe-inline'" in policy:
            problems.append((path, "policy", policy))
        for tag in INLINE_TAG.finditer(html):
            if "nonce=" not in tag.group(0):
                problems.append((path, "inline tag without nonce", tag.group(0)))
        if HANDLER.search(html):
            problems.append((path, "inline event handler", HANDLER.search(html).group(0)))
        if STYLE_ATTRIBUTE.search(html):
            problems.append((path, "style attribute", STYLE_ATTRIBUTE.search(html).group(0)))
    assert checked > 30
    assert not problems


def test_the_detectors_catch_what_the_policy_would_block():
    assert INLINE_TAG.search("<script>alert(1)</script>")
    assert not INLINE_TAG.search('<script src="/static/x.js" defer></script>')
    assert HANDLER.search('<button onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<div style="color: red">')
