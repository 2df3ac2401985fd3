"""The sitemap and news sitemaps stay within the protocols' limits when a site crosses them."""

import datetime
import xml.etree.ElementTree as ET

import pytest

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS = {
    "sm": SM,
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
ROOT = "https://example.org/site"


def _pages(count):
    """Return ``count`` articles in two languages, each with its alternates and a date."""
    from trilingual.manifest import SitemapFacts

    pages = []
    for n in range(count):
        for lang in ("ar", "fr"):
            url = f"{ROOT}/{lang}/{n:03d}.html"
            alternates = [
                ("ar", f"{ROOT}/ar/{n:03d}.html"),
                ("fr", f"{ROOT}/fr/{n:03d}.html"),
                ("x-default", f"{ROOT}/ar/{n:03d}.html"),
            ]
            day = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(n)
            pages.append(
                SitemapFacts(url, tuple(alternates), modified=day.isoformat(), article=True)
            )
    # A noindex page stays out, as today.
    pages.append(SitemapFacts(f"{ROOT}/parallel/x.html", noindex=True))
    return pages


def _urls(path):
    """Return {loc: (lastmod, alternates)} of one sitemap file, checking its namespaces."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{SM}}}urlset"
    found = {}
    for url in root.findall("sm:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        found[url.findtext("sm:loc", namespaces=NS)] = (
            url.findtext("sm:lastmod", namespaces=NS),
            alternates,
        )
    return found


def test_a_site_within_the_limits_keeps_one_sitemap_file(tmp_path):
    from trilingual.sitemap import SitemapLimits, render_sitemap, write_sitemap

    pages = _pages(3)
    written = write_sitemap(tmp_path, ROOT, pages=pages, limits=SitemapLimits(max_urls=6))
    assert written == [tmp_path / "sitemap.xml"]
    assert written[0].read_text("utf-8") == render_sitemap(pages)
    assert len(_urls(written[0])) == 6


@pytest.mark.parametrize("limits", [{"max_urls": 4}, {"max_bytes": 1500}])
def test_past_a_limit_sitemap_xml_becomes_an_index_over_files_within_it(tmp_path, limits):
    from trilingual.sitemap import SitemapLimits, render_sitemap, write_robots, write_sitemap

    pages = _pages(7)
    limit = SitemapLimits(**limits)
    written = write_sitemap(tmp_path, ROOT, pages=pages, limits=limit)
    index, parts = written[0], written[1:]
    assert index == tmp_path / "sitemap.xml" and len(parts) > 1
    root = ET.parse(index).getroot()
    assert root.tag == f"{{{SM}}}sitemapindex"
    named = {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }
    assert list(named) == [f"{ROOT}/{p.name}" for p in parts]
    every = {}
    for part in parts:
        assert part.stat().st_size <= limit.max_bytes
        urls = _urls(part)
        assert 1 <= len(urls) <= limit.max_urls
        # The index's lastmod for a file is the newest of its URLs.
        assert named[f"{ROOT}/{part.name}"] == max(when for when, _ in urls.values())
        assert not set(urls) & set(every), "a URL in two sitemap files"
        every.update(urls)
    # Together the files say what the one file said: same URLs, lastmods, alternates.
    (tmp_path / "whole").mkdir()
    whole = tmp_path / "whole" / "sitemap.xml"
    whole.write_text(render_sitemap(pages), "utf-8")
    assert every == _urls(whole)
    assert len(every) == 14 and f"{ROOT}/parallel/x.html" not in every
    first = every[f"{ROOT}/fr/000.html"][1]
    assert first == {
        "ar": f"{ROOT}/ar/000.html",
        "fr": f"{ROOT}/fr/000.html",
        "x-default": f"{ROOT}/ar/000.html",
    }
    robots = write_robots(tmp_path, ROOT, index).read_text("utf-8")
    assert f"\nSitemap: {ROOT}/sitemap.xml\n" in robots
    assert "sitemap-1.xml" not in robots


def test_limit_settings_are_checked_and_capped():
    from trilingual.sitemap import (
        SITEMAP_MAX_BYTES,
        SITEMAP_MAX_URLS,
        SitemapLimitError,
        SitemapLimits,
    )

    assert SitemapLimits.from_settings({}) == SitemapLimits(SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES)
    assert SitemapLimits.from_settings({"TRILINGUAL_SITEMAP_MAX_URLS": 10**9}).max_urls == 50_000
    assert SITEMAP_MAX_BYTES == 52_428_800
    with pytest.raises(SitemapLimitError, match="TRILINGUAL_SITEMAP_MAX_BYTES = '5MB'"):
        SitemapLimits.from_settings({"TRILINGUAL_SITEMAP_MAX_BYTES": "5MB"})
    with pytest.raises(SitemapLimitError, match="TRILINGUAL_SITEMAP_MAX_URLS = 0"):
        SitemapLimits.from_settings({"TRILINGUAL_SITEMAP_MAX_URLS": 0})


def test_news_sitemap_holds_its_limit_when_crossed(tmp_path):
    from autotranslate.errors import StopBuild
    from trilingual.manifest import NewsFacts, SitemapFacts
    from trilingual.news_sitemap import news_limit, write_news_sitemaps

    now = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
    pages = []
    for hours in range(8):
        published = (now - datetime.timedelta(hours=hours)).isoformat()
        news = NewsFacts(f"h{hours}", published, "P", "fr")
        url = f"{ROOT}/fr/{hours}.html"
        pages.append(SitemapFacts(url, news=news))
    limit = news_limit({"TRILINGUAL_NEWS_SITEMAP_MAX_URLS": 3})
    (path,) = write_news_sitemaps(tmp_path, pages, ["fr"], now=now, limit=limit)
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{SM}}}urlset"
    locs = [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)]
    assert locs == [f"{ROOT}/fr/{hours}.html" for hours in range(3)], "the three newest"
    assert root.find("sm:url/news:news/news:title", NS).text == "h0"
    assert news_limit({}) == 1000
    with pytest.raises(StopBuild, match="TRILINGUAL_NEWS_SITEMAP_MAX_URLS = 5000"):
        news_limit({"TRILINGUAL_NEWS_SITEMAP_MAX_URLS": 5000})


@pytest.mark.slow
def test_a_built_site_past_the_limit_gets_an_index_and_loses_it_when_back_within(
    tmp_path, monkeypatch
):
    import shutil

    from tests.conftest import ROOT as PROJECT
    from tests.support.builds import SiteCopy

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = SiteCopy(tmp_path / "site")
    shutil.copytree(PROJECT / "content", site.content, ignore=shutil.ignore_patterns(".lock"))
    site.build(TRILINGUAL_SITEMAP_MAX_URLS=7, TRILINGUAL_SEARCH=False)
    index = ET.parse(site.output / "sitemap.xml").getroot()
    assert index.tag == f"{{{SM}}}sitemapindex"
    parts = [entry.findtext("sm:loc", namespaces=NS) for entry in index.findall("sm:sitemap", NS)]
    assert len(parts) > 1 and all(loc.startswith("/sitemap-") for loc in parts)
    split = {}
    for loc in parts:
        urls = _urls(site.output / loc.lstrip("/"))
        assert len(urls) <= 7
        split.update(urls)
    robots = (site.output / "robots.txt").read_text("utf-8")
    assert "\nSitemap: /sitemap.xml\n" in robots and "sitemap-1.xml" not in robots

    site.build(TRILINGUAL_SEARCH=False)
    # Back within the limits: one file again, saying what the parts said, and the
    # numbered files the earlier build made are gone.
    assert _urls(site.output / "sitemap.xml") == split
    assert not list(site.output.glob("sitemap-*.xml"))
