"""The sitemaps made from the build's records are the ones reading every page back made.

Each build below is compared with tests/support/sitemap_readback.py (the read-back the
build did until it kept sitemap facts in its records), byte for byte: after a full
build, and after an incremental one that keeps most pages without rendering them.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.builds import SiteCopy
from tests.support.newsroom import COMMUNIQUE, DRAFT, HIDDEN, write_newsroom
from tests.support.sitemap_readback import collect_pages, write_read_back_sitemaps
from trilingual.manifest import load_manifest, manifest_path
from trilingual.news_sitemap import news_limit, write_news_sitemaps
from trilingual.sitemap import SitemapLimits, listed_pages

pytestmark = pytest.mark.slow

NEWSROOM = Path(__file__).parent / "fixtures" / "newsroom"
SITEURL = "https://news.example.ma/archive"
LANGUAGES = ("ar", "fr", "en")
# Inside the two-day window of the newsroom's November articles (and the draft's).
NOVEMBER = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)
# A page with a date, in the menu of every page: it must not date the listings.
ABOUT = """Title: عن الموقع
Slug: about
Date: 2026-11-30 09:00
Modified: 2026-12-01 10:00
Lang: ar

صفحة تعريفية.
"""
FRESH = """Title: خبر اليوم
Date: {date}
Category: الشأن المحلي
Tags: فاس
Slug: fresh-news
Lang: ar

خبر نشر قبل ساعة.
"""


def _compare(site: SiteCopy, root: str, settings: dict, work: Path) -> list[str]:
    """Assert the built sitemaps are the read-back's; return the sitemap files' names."""
    manifest, why = load_manifest(manifest_path(site.root / "cache"), site.output.resolve())
    assert manifest is not None, why
    pages = collect_pages(site.output / name for name in manifest.files)
    limits = SitemapLimits.from_settings(settings)
    news_max = news_limit(settings)
    now = datetime.datetime.now(datetime.UTC)
    expected = work / "read-back"
    shutil.rmtree(expected, ignore_errors=True)
    expected.mkdir(parents=True)
    made = write_read_back_sitemaps(pages, expected, root, LANGUAGES, now, limits, news_max)
    names = sorted(path.name for path in made)
    built = sorted(p.name for p in site.output.glob("*sitemap*.xml"))
    assert built == names
    for name in names:
        assert (site.output / name).read_bytes() == (expected / name).read_bytes(), name
    # The news sitemaps of another day, when the newsroom's articles were recent.
    for target, write in (
        (work / "records-november", lambda t: write_news_sitemaps(
            t, listed_pages(manifest.files), LANGUAGES, now=NOVEMBER, limit=news_max)),
        (work / "read-back-november", lambda t: write_read_back_sitemaps(
            pages, t, root, LANGUAGES, NOVEMBER, limits, news_max)),
    ):  # fmt: skip
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        write(target)
    for lang in LANGUAGES:
        name = f"news-sitemap-{lang}.xml"
        november = (work / "records-november" / name).read_bytes()
        assert november == (work / "read-back-november" / name).read_bytes(), name
    return names


def _demo(work: Path) -> SiteCopy:
    """The demo content (articles, About page, catalogs), copied."""
    site = SiteCopy(work / "site")
    shutil.copytree(ROOT / "content", site.content, ignore=shutil.ignore_patterns(".lock"))
    return site


def test_the_demo_sitemaps_are_those_the_pages_give(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = _demo(tmp_path)
    settings = {"TRILINGUAL_SEARCH": False}
    site.build(**settings)
    assert _compare(site, "", settings, tmp_path) == [
        "news-sitemap-ar.xml",
        "news-sitemap-en.xml",
        "news-sitemap-fr.xml",
        "sitemap.xml",
    ]
    sitemap = (site.output / "sitemap.xml").read_text("utf-8")
    assert sitemap.count("<url>") > 20 and "<loc>/fr/archives.html</loc>" in sitemap


def test_the_newsroom_sitemaps_are_those_the_pages_give_after_an_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = SiteCopy(tmp_path / "site")
    write_newsroom(
        site.content,
        *[(path.name, path.read_text("utf-8")) for path in NEWSROOM.glob("*.md")],
        ("communique.md", COMMUNIQUE),
        ("draft.md", DRAFT),
        ("hidden.md", HIDDEN),
    )
    shutil.copytree(NEWSROOM / "images", site.content / "images", dirs_exist_ok=True)
    fresh = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    fresh -= datetime.timedelta(hours=1)
    site.add_article("fresh.md", FRESH.format(date=fresh.isoformat()))
    (site.content / "pages").mkdir()
    (site.content / "pages" / "about.md").write_text(ABOUT, "utf-8")
    settings = {
        "SITEURL": SITEURL,
        "TRILINGUAL_SEARCH": False,
        # Small limits: an index over several sitemap files, a capped news sitemap.
        "TRILINGUAL_SITEMAP_MAX_URLS": 9,
        "TRILINGUAL_NEWS_SITEMAP_MAX_URLS": 2,
        # Pseudo translations are machine translations: kept out, and their alternates.
        "SHARING": {"noindex_machine_translations": True},
    }
    site.build(**settings)
    names = _compare(site, SITEURL, settings, tmp_path)
    assert "sitemap-2.xml" in names
    index = (site.output / "sitemap.xml").read_text("utf-8")
    assert "<sitemapindex" in index
    news = (site.output / "news-sitemap-ar.xml").read_text("utf-8")
    assert f"<loc>{SITEURL}/2026/fresh-news.html</loc>" in news

    # One article edited (a new Modified: date) and one added: most pages are kept
    # as they were, and their records still speak for them in the sitemaps.
    edited = next(site.content.joinpath("articles").glob("2026-09-15-*.md"))
    text = edited.read_text("utf-8").replace("\n\n", "\nModified: 2026-12-02 08:00\n\n", 1)
    edited.write_text(text, "utf-8")
    site.add_article(
        "added.md", FRESH.replace("fresh-news", "added-news").format(date="2026-10-05 10:00")
    )
    rebuilt = site.build(**settings)
    assert rebuilt.kept > rebuilt.rendered, (rebuilt.kept, rebuilt.rendered)
    _compare(site, SITEURL, settings, tmp_path)
    joined = "".join(p.read_text("utf-8") for p in site.output.glob("sitemap-*.xml"))
    assert "<lastmod>2026-12-02T08:00:00+01:00</lastmod>" in joined
    assert f"<loc>{SITEURL}/2026/added-news.html</loc>" in joined


def test_records_keep_their_facts_through_the_manifest_and_redirects_stay_out(tmp_path):
    from trilingual.manifest import (
        Manifest,
        NewsFacts,
        SitemapFacts,
        record_file,
        save_manifest,
    )
    from trilingual.redirects import REDIRECT_KIND
    from trilingual.sitemap import render_sitemap

    page = tmp_path / "a.html"
    page.write_text("<p>a</p>", "utf-8")
    news = NewsFacts("عنوان", "2026-11-20T18:30:00+01:00", "أرشيف", "ar")
    article = SitemapFacts(
        "/a.html", (("ar", "/a.html"), ("x-default", "/a.html")), False,
        "2026-11-21T08:00:00+01:00", True, (), news,
    )  # fmt: skip
    listing = SitemapFacts("/index.html", (("ar", "/index.html"),), shows=("/a.html",))
    made = {
        "a.html": record_file(page, "k1", "ar", sitemap=article),
        "index.html": record_file(page, "k2", "ar", sitemap=listing),
        # An old WordPress address sending readers on: never in a sitemap.
        "old/a.html": record_file(page, "k3", REDIRECT_KIND, sitemap=article),
        "feeds/all.atom.xml": record_file(page, "k4", "ar"),
    }
    path = tmp_path / "cache" / "manifest.json"
    save_manifest(path, Manifest(str(tmp_path), made))
    loaded, why = load_manifest(path, tmp_path)
    assert loaded is not None, why
    assert loaded.files == made
    pages = listed_pages(loaded.files)
    assert [p.url for p in pages] == ["/a.html", "/index.html"]
    xml = render_sitemap(pages)
    assert xml.count("<url>") == 2 and "old/a.html" not in xml
    # The listing's lastmod is the article's, the article's its Modified.
    assert xml.count("<lastmod>2026-11-21T08:00:00+01:00</lastmod>") == 2
