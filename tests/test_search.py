"""Static search: each section's Pagefind index, searched in Chromium at / and under a project path."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser import needs_chromium
from tests.support.site import PREFIX, ROOT, SEED_SLUG, build, build_demo_site, read_page

FES_SLUG = "fes-twinned-cities-forum-2014"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr."""

    def log_message(self, *args):
        pass


def _serve(directory: Path):
    """Start a static server for ``directory`` on a free port; return (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _section_of_url(base: str, url: str) -> str:
    """Return the language section of an on-site URL below ``base``."""
    first = url.removeprefix(base + "/").split("/")[0]
    return first if first in ("fr", "en") else "ar"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The demo site, built with root-relative development URLs."""
    return build_demo_site(tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def base_url(site):
    """Serve the development build at the server's root."""
    server, url = _serve(site)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def project_url(tmp_path_factory):
    """Build with an absolute SITEURL under a project path and serve the site there.

    GitHub Pages serves a project site under /<repository>/: pages, the search
    bundle and the result links must all keep that path.
    """
    work = tmp_path_factory.mktemp("project")
    served = work / "served"
    served.mkdir()
    server, url = _serve(served)
    base = f"{url}/atlas-archive"
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".lock"))
    output = build(work, content, f"SITEURL = {base!r}\n")
    (served / "atlas-archive").symlink_to(output, target_is_directory=True)
    yield base
    server.shutdown()


def _search(browser, url: str, query: str) -> tuple[list[str], str]:
    """Open a search page, type ``query`` and press Enter; return (result links, status)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    # The status says "Searching…" until the results are in the page.
    page.wait_for_function(
        "() => { const s = document.querySelector('.search-status').textContent;"
        " return s !== '' && !s.endsWith('…'); }",
        timeout=15000,
    )
    links = page.locator(".search-results a").evaluate_all("els => els.map(a => a.href)")
    status = page.locator(".search-status").inner_text()
    page.close()
    assert not errors, errors
    return links, status


@pytest.mark.slow
def test_each_language_has_its_own_index_of_articles_only(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    # One page per published demo article or page (About) and language: listings,
    # the parallel view, the search and 404 pages are not indexed.
    articles = len(list((ROOT / "content" / "articles").glob("*.md")))
    articles += len(list((ROOT / "content" / "pages").glob("*.md")))
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == {"ar": articles, "fr": articles, "en": articles}
    for lang, prefix in PREFIX.items():
        search_page = site / prefix / "search.html"
        page = read_page(search_page)
        assert page.lang == lang and page.noindex, search_page
        assert "data-pagefind-body" not in search_page.read_text("utf-8")
        # The header of every page links to its own section's search page.
        home = (site / prefix / "index.html").read_text("utf-8")
        assert f'class="search-link" href="/{prefix}search.html"' in home
    for listing in ("index.html", "404.html", "archives.html", f"parallel/{SEED_SLUG}.html"):
        assert "data-pagefind-body" not in (site / listing).read_text("utf-8"), listing
    article = (site / "fr" / "2016" / f"{SEED_SLUG}.html").read_text("utf-8")
    assert "data-pagefind-body" in article


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        # The Arabic article only says المؤتمر: the Arabic stemmer must find it.
        ("ar", "مؤتمر", f"2016/{SEED_SLUG}.html"),
        ("fr", "conférence", f"2016/{SEED_SLUG}.html"),
        ("en", "conference", f"2016/{SEED_SLUG}.html"),
        ("fr", "jumelage", f"2014/{FES_SLUG}.html"),
        # Rabat is written the same in French and English: French readers get French only.
        ("fr", "Rabat", f"2016/{SEED_SLUG}.html"),
    ],
)
@pytest.mark.browser
@needs_chromium
def test_search_finds_the_article_in_the_readers_language(browser, base_url, lang, query, expected):
    links, status = _search(browser, f"{base_url}/{PREFIX[lang]}search.html", query)
    assert f"{base_url}/{PREFIX[lang]}{expected}" in links, (links, status)
    assert {_section_of_url(base_url, link) for link in links} == {lang}, links
    assert status.endswith(str(len(links))), status


@pytest.mark.browser
@needs_chromium
def test_a_search_without_match_says_so_in_the_sections_language(browser, base_url):
    links, status = _search(browser, f"{base_url}/fr/search.html", "zzyzxq")
    assert links == []
    assert status == "Aucun article ne correspond à cette recherche."


@pytest.mark.browser
@needs_chromium
def test_search_works_under_a_project_path(browser, project_url):
    links, _ = _search(browser, f"{project_url}/en/search.html", "conference")
    assert links == [f"{project_url}/en/2016/{SEED_SLUG}.html"]
    links, _ = _search(browser, f"{project_url}/search.html", "مؤتمر")
    assert links == [f"{project_url}/2016/{SEED_SLUG}.html"]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_arabic_search_page_lays_out_right_to_left(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base_url}/search.html?q=مؤتمر")
    page.wait_for_selector(".search-results li")
    field = page.locator("#search-input")
    assert field.evaluate("el => getComputedStyle(el).direction") == "rtl"
    field_box = field.bounding_box()
    icon_box = page.locator(".search-icon").bounding_box()
    button_box = page.locator(".search-button").bounding_box()
    # The magnifier sits inside the field at its right (start) edge; the button
    # is to the left of the field.
    assert (
        field_box["x"] + field_box["width"] - 40
        < icon_box["x"]
        < field_box["x"] + field_box["width"]
    )
    assert button_box["x"] + button_box["width"] <= field_box["x"] + 1
    # Typed text starts at the right, clear of the icon.
    padding = field.evaluate("el => parseFloat(getComputedStyle(el).paddingRight)")
    assert padding >= icon_box["width"]
    # Results read right to left and the query survived the page load (?q=).
    result = page.locator(".search-results li").first
    assert result.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert field.input_value() == "مؤتمر"
    page.close()


def test_a_folder_without_pages_gives_a_clear_error_and_no_bundle(tmp_path):
    from trilingual.search import SearchIndexError, write_search_index

    with pytest.raises(SearchIndexError, match=r"Pagefind failed on .*did not contain any html"):
        write_search_index(tmp_path)
    assert list(tmp_path.iterdir()) == []


HOSTILE_TEXT = """Title: نص &lt;img src=x onerror=alert(1)&gt;
Date: 2026-01-01 10:00
Category: الشأن المحلي
Slug: hostile-search
Summary: ملخص.

انطلقت أشغال الملتقى &lt;img src=x onerror=window.pwned=1&gt; و&lt;b&gt;غامق&lt;/b&gt; اليوم.
"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """A site whose article text holds markup as text (escaped in the Markdown)."""
    work = tmp_path_factory.mktemp("hostile-search")
    content = work / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "hostile.md").write_text(HOSTILE_TEXT, encoding="utf-8")
    server, url = _serve(build(work, content))
    yield url
    server.shutdown()


@pytest.mark.browser
@needs_chromium
def test_result_excerpts_show_markup_as_text(browser, hostile_url):
    page = browser.new_page()
    page.goto(f"{hostile_url}/search.html?q=onerror")
    page.wait_for_selector(".search-results li")
    results = page.locator(".search-results")
    # The words are found and shown as the reader wrote them, never as elements.
    assert "<img src=x onerror=" in results.inner_text()
    assert results.locator("img, b, script").count() == 0
    assert results.locator("mark").count() >= 1
    assert page.evaluate("() => window.pwned === undefined")
    page.close()


def test_a_rebuild_replaces_the_whole_bundle(tmp_path):
    from trilingual.search import write_search_index

    article = (
        '<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>'
        "<nav>menu</nav><article data-pagefind-body><h1>{title}</h1><p>{text}</p></article>"
        "</body></html>"
    )
    (tmp_path / "fr").mkdir()
    (tmp_path / "a.html").write_text(article.format(lang="ar", title="عنوان", text="المؤتمر"))
    (tmp_path / "fr" / "a.html").write_text(article.format(lang="fr", title="T", text="congrès"))
    bundle = write_search_index(tmp_path)
    stale = bundle / "fragment" / "left-over.pf_fragment"
    stale.write_bytes(b"old")
    assert write_search_index(tmp_path) == bundle
    assert not stale.exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        "ar": 1,
        "fr": 1,
    }
    # No staging folder is left beside the site.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "fr", "pagefind"]
