"""Pelican pages (About) in every section, and the warning for a slug Pelican invented."""

from __future__ import annotations

import re
import shutil

import pytest

from autotranslate.translation_stage import invented_slugs
from tests.conftest import ROOT
from tests.support.builds import copy_site
from tests.support.site import read_page

PREFIX = {"ar": "", "fr": "fr/", "en": "en/"}
# The reviewed French of the demo page's first paragraph (content/translations/fr/pages/about.po).
REVIEWED_FR = "Ce site met à la disposition des citoyennes et des citoyens les archives"
NO_SLUG = "Title: خبر بلا معرف\nDate: 2026-11-21 10:00\nLang: ar\n\nنص الخبر.\n"


def nav_links(html: str) -> list[str]:
    """Return the hrefs of the site navigation (not the language switcher)."""
    nav = re.search(r'<nav class="wrap site-nav".*?</nav>', html, re.S)
    assert nav, "site navigation not found"
    return re.findall(r'href="([^"]+)"', nav.group(0))


@pytest.fixture
def demo_with_page(tmp_path, monkeypatch):
    """The demo articles, the demo About page and the committed catalogs, built."""
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    shutil.copytree(ROOT / "content" / "pages", site.content / "pages")
    site.build()
    return site


@pytest.mark.slow
def test_about_page_is_published_in_every_section_and_linked(demo_with_page):
    output = demo_with_page.output
    urls = {lang: f"/{PREFIX[lang]}about.html" for lang in PREFIX}
    for lang, url in urls.items():
        path = output / url.lstrip("/")
        assert path.is_file(), f"{url} was not written"
        page = read_page(path)
        assert page.lang == lang
        assert page.canonical == url
        # Switcher and hreflang point at the page itself in each language, both ways.
        assert page.switcher == urls
        assert {k: v for k, v in page.alternates.items() if k != "x-default"} == urls
        assert page.alternates["x-default"] == urls["ar"]
        # Every page of the section links the section's own About page in its navigation.
        for listing in ("index.html", "archives.html"):
            html = (output / PREFIX[lang] / listing).read_text(encoding="utf-8")
            assert url in nav_links(html)
            others = [u for code, u in urls.items() if code != lang]
            assert not set(others) & set(nav_links(html))
    french = (output / "fr/about.html").read_text(encoding="utf-8")
    assert REVIEWED_FR in french
    assert "notice-reviewed" in french and 'href="/about.html"' in french
    assert read_page(output / "en/about.html").h1 == "About the municipal news archive"
    arabic = (output / "about.html").read_text(encoding="utf-8")
    assert "notice" not in re.sub(r"<head>.*</head>", "", arabic, flags=re.S)


@pytest.mark.slow
def test_article_without_slug_is_named_with_its_invented_slug(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("no-slug.md", NO_SLUG)
    site.build()
    warnings = [r.getMessage() for r in caplog.records if "no Slug:" in r.getMessage()]
    assert len(warnings) == 1  # once per build, not once per section
    assert "no-slug.md" in warnings[0]
    invented = re.search(r"made the slug '([^']+)'", warnings[0]).group(1)
    assert (site.output / "fr" / "2026" / f"{invented}.html").is_file()
    assert "add `Slug:" in warnings[0] and "title changes" in warnings[0]


@pytest.mark.slow
def test_article_without_slug_fails_a_strict_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article(
        "with-slug.md", "Title: خبر\nDate: 2026-11-21 10:00\nSlug: with-slug\nLang: ar\n\nنص.\n"
    )
    site.build()  # every article has a Slug: strict mode has nothing to say about slugs
    site.add_article("no-slug.md", NO_SLUG)
    with pytest.raises(Exception, match="strict mode"):
        site.build()
    assert "no-slug.md: no Slug: line" in caplog.text


def test_invented_slugs_names_only_contents_without_a_slug_line():
    class Content:
        def __init__(self, path, slug, metadata):
            self.source_path, self.slug, self.metadata = path, slug, metadata

    found = invented_slugs(
        [Content("a/kept.md", "kept", {"slug": "kept"}), Content("a/made.md", "khbr", {})]
    )
    assert len(found) == 1
    assert found[0].startswith("a/made.md: ") and "'khbr'" in found[0]


@pytest.mark.slow
def test_page_named_like_a_listing_is_left_out_and_named(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article("news.md", "Title: خبر\nDate: 2026-11-21 10:00\nSlug: news\nLang: ar\n\nنص.\n")
    (site.content / "pages").mkdir()
    (site.content / "pages" / "search.md").write_text(
        "Title: بحث\nSlug: search\nLang: ar\n\nصفحة.\n", encoding="utf-8"
    )
    site.build()
    assert "search.md: slug 'search' names a page Pelican writes itself" in caplog.text
    for prefix in ("", "fr/", "en/"):  # the real search page was written, not the page
        assert 'id="search-input"' in (site.output / prefix / "search.html").read_text("utf-8")


@pytest.mark.slow
def test_page_without_slug_is_named_too(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article("news.md", "Title: خبر\nDate: 2026-11-21 10:00\nSlug: news\nLang: ar\n\nنص.\n")
    (site.content / "pages").mkdir()
    (site.content / "pages" / "contact.md").write_text(
        "Title: اتصل بنا\nLang: ar\n\nمصلحة التواصل.\n", encoding="utf-8"
    )
    site.build()
    warnings = [r.getMessage() for r in caplog.records if "no Slug:" in r.getMessage()]
    assert len(warnings) == 1 and "contact.md" in warnings[0]
    invented = re.search(r"made the slug '([^']+)'", warnings[0]).group(1)
    for prefix in ("", "fr/", "en/"):  # published under that slug in every section
        assert (site.output / prefix / f"{invented}.html").is_file()
