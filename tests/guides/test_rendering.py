"""Markdown becomes safe HTML: no scripts, no javascript: links, no event handlers, no foreign images."""

from html.parser import HTMLParser

import pytest

from guides import rendering


def parsed(html: str) -> list[tuple[str, list]]:
    """Every element of `html` as a browser would see it: (tag, [(attribute, value)])."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "Hallo <script src=https://evil.example/x.js></script> daar",
        "<SCRIPT>alert(1)</SCRIPT>",
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](  javascript:alert(1))",
        "[klik](vbscript:msgbox(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<img src=x onerror="alert(1)">',
        '<a href="https://x.be" onclick="alert(1)">x</a>',
        '<div onmouseover="alert(1)">x</div>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
        "![x](javascript:alert(1))",
        '[x](https://x.be "title" onclick=alert(1))',
    ],
)
def test_dangerous_markdown_renders_harmless(markdown):
    elements = parsed(rendering.render(markdown))
    for tag, attributes in elements:
        assert tag in rendering.TAGS
        assert tag not in {"script", "iframe", "svg", "style"}
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src"}:
                assert value.startswith(("https:", "http:", "mailto:", "tel:", "/guides/images/")), value


def test_the_sanitiser_itself_strips_scripts_handlers_and_bad_links():
    # Whatever a future parser setting lets through, nh3 still cleans it.
    html = rendering.sanitise(
        '<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)" onmouseover="y()">b</a>'
        '<img src="https://evil.example/t.png" onerror="z()"><img src="/guides/images/7/" alt="ok"></p>'
    )
    assert html == (
        '<p>a<a rel="noopener noreferrer nofollow">b</a><img><img src="/guides/images/7/" alt="ok"></p>'
    )


def test_steps_links_and_own_screenshots_are_kept():
    html = rendering.render(
        "# Stappen\n\n1. Open [MyMinfin](https://eservices.minfin.fgov.be/myminfin-web/).\n"
        "2. Bel [Card Stop](tel:078170170).\n\n![Het aanmeldscherm](/guides/images/12/)"
    )
    assert "<h2>Stappen</h2>" in html  # headings move one level down: the page title is the h1
    assert "<ol>" in html
    assert html.count("<li>") == 2
    assert (
        '<a href="https://eservices.minfin.fgov.be/myminfin-web/" rel="noopener noreferrer nofollow">' in html
    )
    assert '<a href="tel:078170170"' in html
    assert '<img src="/guides/images/12/" alt="Het aanmeldscherm">' in html


def test_images_from_other_sites_lose_their_source():
    html = rendering.render(
        "![tracker](https://evil.example/pixel.png) ![inline](data:image/png;base64,AAAA)"
    )
    assert "evil.example" not in html
    assert "data:" not in html


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("Klik <script>alert(1)</script>", "HTML tags"),
        ('<img src=x onerror="alert(1)">', "HTML tags"),
        ("<b onmouseover=x>vet</b>", "HTML tags"),
        ("[klik](javascript:alert(1))", "Links must start"),
        ("![foto](https://evil.example/x.png)", "Images must be screenshots"),
    ],
)
def test_problems_explain_what_is_refused(markdown, words):
    assert any(words in problem for problem in rendering.problems(markdown))


@pytest.mark.parametrize(
    "markdown",
    [
        "Tik op <Volgende>.",
        "Zie <https://www.vdab.be>.",
        "1. Stap\n2. Stap",
        "![scherm](/guides/images/3/)",
        "5 < 6 > 4",
    ],
)
def test_ordinary_markdown_has_no_problems(markdown):
    assert rendering.problems(markdown) == []
