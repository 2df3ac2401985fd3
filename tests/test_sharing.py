"""Shared links and search engines: description, OpenGraph, Twitter card, JSON-LD, noindex."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.builds import copy_site
from tests.support.site import LANGS, PREFIX, SEED_SLUG, read_page
from trilingual.languages import ConfigError, SiteLanguages
from trilingual.provenance import TranslationInfo
from trilingual.sharing import (
    SharingSettings,
    is_unreviewed_translation,
    json_for_script,
    translators,
)

SITEURL = "https://news.example.ma/archive"
OG_LOCALES = {"ar": "ar_MA", "fr": "fr_FR", "en": "en_US"}
SITENAMES = {
    "ar": "أرشيف الأخبار البلدية",
    "fr": "Archives des actualités municipales",
    "en": "Municipal News Archive",
}
HOSTILE_TITLE = "عنوان </script><script>alert(1)</script><!-- &"
HOSTILE = """Title: عنوان &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp;
Date: 2026-01-01 10:00
Category: الشأن المحلي
Slug: hostile-title
Summary: ملخص &lt;/script&gt;

وحضر الوزير الجلسة.
"""
PICTURE = """Title: صورة من الرباط
Date: 2025-05-05 09:00
Modified: 2025-05-06 12:30
Category: الشأن المحلي
Slug: picture-story
Image: images/rabat.jpg
Summary: ملخص قصير.

انطلقت أشغال المؤتمر اليوم بالرباط.
"""

FRESH_SLUG = "fresh-news"
FRESH = """Title: خبر اليوم
Date: {date}
Category: الشأن المحلي
Slug: fresh-news
Summary: خبر نشر قبل ساعة.

انطلقت أشغال المؤتمر اليوم بالرباط.
"""


# --- pure helpers --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT ><!--<script>",
        "a & b > c < d",
        "line\u2028separator\u2029paragraph",
        'quote " and backslash \\ and ]]>',
    ],
)
def test_json_for_script_cannot_close_the_element_and_keeps_the_value(text):
    encoded = str(json_for_script({"headline": text, "list": [text]}))
    for char in "<>&\u2028\u2029":
        assert char not in encoded, (char, encoded)
    assert json.loads(encoded) == {"headline": text, "list": [text]}


def _info(status: str, engines=(), reviewed=0, total=0) -> TranslationInfo:
    return TranslationInfo(status, tuple(engines), None, reviewed, total)


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (None, []),  # an original names no translator
        (_info(""), []),  # a hand-written translation file makes no claim
        (_info("reviewed", (), 5, 5), [{"@type": "Person"}]),
        (
            _info("machine", ["argos ar_en 1.0"], 0, 5),
            [{"@type": "SoftwareApplication", "name": "argos ar_en 1.0"}],
        ),
        (
            _info("mixed", ["argos ar_en 1.0"], 2, 5),
            [{"@type": "SoftwareApplication", "name": "argos ar_en 1.0"}, {"@type": "Person"}],
        ),
        (_info("incomplete", [], 0, 5), []),
    ],
)
def test_translators_claim_only_what_the_provenance_says(info, expected):
    assert translators(info) == expected


def test_only_machine_text_nobody_reviewed_counts_as_unreviewed():
    assert is_unreviewed_translation(_info("machine", ["e"], 0, 3))
    assert is_unreviewed_translation(_info("incomplete", ["e"], 0, 3))
    assert not is_unreviewed_translation(_info("incomplete", ["e"], 1, 3))
    assert not is_unreviewed_translation(_info("mixed", ["e"], 1, 3))
    assert not is_unreviewed_translation(_info("reviewed", (), 3, 3))
    assert not is_unreviewed_translation(_info(""))
    assert not is_unreviewed_translation(None)


def test_sharing_settings_default_to_indexed_and_name_bad_values():
    assert SharingSettings.from_setting(None).noindex_machine_translations is False
    assert SharingSettings.from_setting(
        {"noindex_machine_translations": True}
    ).noindex_machine_translations
    with pytest.raises(ConfigError, match=r"unknown key\(s\) \['noindex'\]"):
        SharingSettings.from_setting({"noindex": True})
    with pytest.raises(ConfigError, match="must be True or False"):
        SharingSettings.from_setting({"noindex_machine_translations": "yes"})
    with pytest.raises(ConfigError, match="author_type"):
        SharingSettings.from_setting({"author_type": "Robot"})


def test_og_locale_is_configurable_and_checked():
    languages = SiteLanguages.from_setting(
        {"languages": {"ar": {"prefix": "", "locale": "ar"}, "fr": {"og_locale": "fr_BE"}}}
    )
    assert languages.get("fr").share_locale == "fr_BE"
    assert languages.get("ar").share_locale == "ar_EG"  # CLDR's likely territory for "ar"
    with pytest.raises(ConfigError, match="og_locale 'fr-FR' is not language_TERRITORY"):
        SiteLanguages.from_setting({"languages": {"fr": {"og_locale": "fr-FR"}}})


# --- the built site --------------------------------------------------------------


class _HeadParser(HTMLParser):
    """Collect <meta> values (repeated keys keep every value) and JSON-LD script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self.scripts = 0
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            key = a.get("property") or a.get("name")
            self.meta.setdefault(key, []).append(a.get("content", ""))
        elif tag == "script":
            self.scripts += 1
            if a.get("type") == "application/ld+json":
                self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.json_ld.append("".join(self._script))
            self._script = None


def _head(path: Path) -> _HeadParser:
    parser = _HeadParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _structured(path: Path) -> dict:
    """Return the page's only JSON-LD object (the test fails on invalid JSON)."""
    head = _head(path)
    assert len(head.json_ld) == 1, path
    return json.loads(head.json_ld[0])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the demo plus a picture story and a hostile title, with an absolute SITEURL."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
        site = copy_site(tmp_path_factory.mktemp("sharing"))
        site.add_article("hostile.md", HOSTILE)
        site.add_article("picture.md", PICTURE)
        fresh = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(
            hours=1
        )
        site.add_article("fresh.md", FRESH.format(date=fresh.isoformat()))
        (site.content / "images").mkdir(exist_ok=True)  # the demo has images too
        (site.content / "images" / "rabat.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a real jpeg")
        site.build(SITEURL=SITEURL)
    return site.output


def _article(output: Path, lang: str, year: str, slug: str) -> Path:
    return output / PREFIX[lang] / year / f"{slug}.html"


def _url(lang: str, year: str, slug: str) -> str:
    return f"{SITEURL}/{PREFIX[lang]}{year}/{slug}.html"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_opengraph_of_an_article_in_each_language(built, lang):
    path = _article(built, lang, "2016", SEED_SLUG)
    meta = _head(path).meta
    page = read_page(path)
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [page.canonical] == [_url(lang, "2016", SEED_SLUG)]
    assert meta["og:title"] == [page.h1.strip()]
    assert meta["og:site_name"] == [SITENAMES[lang]]
    assert meta["og:locale"] == [OG_LOCALES[lang]]
    assert sorted(meta["og:locale:alternate"]) == sorted(
        OG_LOCALES[other] for other in LANGS if other != lang
    )
    assert meta["description"] == meta["og:description"] and meta["description"][0]
    if lang == "ar":
        assert "800" in meta["description"][0] and "المؤتمر" in meta["description"][0]
    assert meta["article:published_time"] == ["2016-11-29T10:00:00+00:00"]
    assert meta["article:modified_time"] == ["2016-11-29T10:00:00+00:00"]
    assert meta["twitter:card"] == ["summary"]
    assert "og:image" not in meta  # the article has no image
    assert not page.noindex


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_json_ld_news_article_in_each_language(built, lang):
    data = _structured(_article(built, lang, "2016", SEED_SLUG))
    meta = _head(_article(built, lang, "2016", SEED_SLUG)).meta
    url = _url(lang, "2016", SEED_SLUG)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["inLanguage"] == lang
    assert data["headline"] == meta["og:title"][0]
    assert data["description"] == meta["description"][0]
    assert data["url"] == url and data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == "2016-11-29T10:00:00+00:00" == data["dateModified"]
    # The site's author is named in the page's language (TRILINGUAL "author", issue 12).
    author = {"ar": "فريق الأرشيف", "fr": "Équipe des archives", "en": "Archive team"}[lang]
    assert data["author"] == {"@type": "Organization", "name": author}
    assert data["publisher"]["name"] == SITENAMES[lang]
    assert data["publisher"]["logo"]["url"] == f"{SITEURL}/theme/images/apple-touch-icon.png"
    assert (built / "theme" / "images" / "apple-touch-icon.png").is_file()
    assert "image" not in data


@pytest.mark.slow
def test_translation_links_go_both_ways(built):
    original = _structured(_article(built, "ar", "2016", SEED_SLUG))
    assert "translationOfWork" not in original and "translator" not in original
    listed = {work["inLanguage"]: work["@id"] for work in original["workTranslation"]}
    assert listed == {lang: _url(lang, "2016", SEED_SLUG) for lang in ("fr", "en")}
    for lang in ("fr", "en"):
        translation = _structured(_article(built, lang, "2016", SEED_SLUG))
        assert "workTranslation" not in translation
        back = translation["translationOfWork"]
        assert back["@id"] == original["@id"] == _url("ar", "2016", SEED_SLUG)
        assert back["inLanguage"] == "ar" and back["@type"] == "NewsArticle"
        # The demo's translations were written and reviewed by people: no engine named.
        assert translation["translator"] == {"@type": "Person"}


@pytest.mark.slow
def test_machine_translations_name_their_engine(built):
    data = _structured(_article(built, "en", "2026", "hostile-title"))
    assert data["translator"] == {"@type": "SoftwareApplication", "name": "pseudo pseudo-ar_en 1"}


@pytest.mark.slow
def test_an_image_gives_absolute_og_image_and_a_large_card(built):
    image = f"{SITEURL}/images/rabat.jpg"
    assert (built / "images" / "rabat.jpg").is_file()
    for lang in LANGS:
        path = _article(built, lang, "2025", "picture-story")
        meta = _head(path).meta
        assert meta["og:image"] == [image], lang
        assert meta["twitter:card"] == ["summary_large_image"]
        assert meta["article:modified_time"] == ["2025-05-06T12:30:00+01:00"]
        data = _structured(path)
        assert data["image"] == [image]
        assert data["dateModified"] == "2025-05-06T12:30:00+01:00"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_a_hostile_title_stays_text_inside_json_ld(built, lang):
    path = _article(built, lang, "2026", "hostile-title")
    head = _head(path)
    # Only the JSON-LD script: the title did not open another one.
    assert head.scripts == 1
    data = json.loads(head.json_ld[0])
    if lang == "ar":
        assert data["headline"] == HOSTILE_TITLE
        assert data["description"] == "ملخص </script>"
    assert "</script>" in data["headline"]
    raw = path.read_text("utf-8")
    body = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and "\\u003c/script\\u003e" in body


@pytest.mark.slow
def test_listings_have_a_card_too(built):
    for lang in LANGS:
        meta = _head(built / PREFIX[lang] / "index.html").meta
        assert meta["og:type"] == ["website"]
        assert meta["og:url"] == [f"{SITEURL}/{PREFIX[lang]}"]
        assert meta["og:locale"] == [OG_LOCALES[lang]]
        assert meta["description"][0]
        assert _head(built / PREFIX[lang] / "index.html").json_ld == []


@pytest.mark.slow
def test_icons_and_theme_color_on_every_page(built):
    for path in (built / "index.html", _article(built, "fr", "2016", SEED_SLUG)):
        html = path.read_text("utf-8")
        assert '<meta name="theme-color" content="#0b6e4f">' in html
        assert (
            f'<link rel="apple-touch-icon" href="{SITEURL}/theme/images/apple-touch-icon.png">'
            in html
        )
        assert f'href="{SITEURL}/theme/images/favicon.svg" type="image/svg+xml"' in html
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert (built / "theme" / "images" / name).stat().st_size > 100


@pytest.mark.slow
def test_noindex_setting_keeps_unreviewed_machine_translations_out(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    site.add_article("hostile.md", HOSTILE)
    site.build(SHARING={"noindex_machine_translations": True})
    output = site.output
    for lang in ("fr", "en"):
        # Machine-translated by the pseudo engine, reviewed by nobody: noindex.
        assert read_page(_article(output, lang, "2026", "hostile-title")).noindex, lang
        # Reviewed by people (the committed memory): indexed.
        assert not read_page(_article(output, lang, "2016", SEED_SLUG)).noindex, lang
    assert not read_page(_article(output, "ar", "2026", "hostile-title")).noindex
    sitemap = (output / "sitemap.xml").read_text("utf-8")
    # Neither listed nor offered as an hreflang alternate of the original.
    assert "/en/2026/hostile-title.html" not in sitemap
    assert "<loc>/2026/hostile-title.html</loc>" in sitemap
    # No article of the last two days: every news sitemap is an empty, valid urlset.
    for lang in LANGS:
        root = ET.parse(output / f"news-sitemap-{lang}.xml").getroot()
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        assert list(root) == []


NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _fresh_path(output: Path, lang: str) -> Path:
    """The page of the article published an hour before the build."""
    (path,) = (output / PREFIX[lang]).glob(f"[0-9][0-9][0-9][0-9]/{FRESH_SLUG}.html")
    return path


@pytest.mark.slow
def test_news_sitemap_per_language_lists_the_last_two_days(built):
    robots = (built / "robots.txt").read_text("utf-8")
    for lang in LANGS:
        name = f"news-sitemap-{lang}.xml"
        assert f"Sitemap: {SITEURL}/{name}\n" in robots
        urls = ET.parse(built / name).getroot().findall("sm:url", NS)
        # Only the article of an hour ago: the demo's 2014/2016 articles are too old.
        assert len(urls) == 1, name
        (url,) = urls
        path = _fresh_path(built, lang)
        meta = _head(path).meta
        assert url.find("sm:loc", NS).text == meta["og:url"][0]
        assert url.find("news:news/news:publication/news:name", NS).text == SITENAMES[lang]
        assert url.find("news:news/news:publication/news:language", NS).text == lang
        assert url.find("news:news/news:title", NS).text == meta["og:title"][0]
        published = url.find("news:news/news:publication_date", NS).text
        assert published == meta["article:published_time"][0]
    assert f"Sitemap: {SITEURL}/sitemap.xml\n" in robots


@pytest.mark.slow
def test_every_sitemap_url_has_a_lastmod(built):
    urls = ET.parse(built / "sitemap.xml").getroot().findall("sm:url", NS)
    lastmod = {u.find("sm:loc", NS).text: u.find("sm:lastmod", NS) for u in urls}
    assert lastmod and all(value is not None for value in lastmod.values()), [
        loc for loc, value in lastmod.items() if value is None
    ]
    dates = {loc: datetime.datetime.fromisoformat(value.text) for loc, value in lastmod.items()}
    # An article gives its Modified, else its Date.
    assert dates[_url("fr", "2025", "picture-story")].isoformat() == "2025-05-06T12:30:00+01:00"
    assert dates[_url("en", "2016", SEED_SLUG)].isoformat() == "2016-11-29T10:00:00+00:00"
    # A listing changed when its newest article did: the 2016 archive holds only the seed.
    assert dates[f"{SITEURL}/fr/2016/"] == dates[_url("fr", "2016", SEED_SLUG)]
    fresh = _head(_fresh_path(built, "ar")).meta["article:published_time"][0]
    assert dates[f"{SITEURL}/"] == datetime.datetime.fromisoformat(fresh)


def test_news_window_language_and_escaping():
    from trilingual.news_sitemap import NewsEntry, recent_news, render_news_sitemap

    now = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)

    def entry(lang, hours_ago, title="t"):
        published = now - datetime.timedelta(hours=hours_ago)
        return NewsEntry(f"/{lang}/{hours_ago}.html", lang, title, published, "Site & Co")

    entries = [entry("fr", 1, "A <b> & </news:title>"), entry("fr", 47), entry("fr", 49)]
    entries += [entry("en", 1), entry("fr", -1)]  # another language; a future date
    recent = recent_news(entries, "fr", now)
    assert [e.url for e in recent] == ["/fr/1.html", "/fr/47.html"]
    root = ET.fromstring(render_news_sitemap(recent))
    assert root.find("sm:url/news:news/news:title", NS).text == "A <b> & </news:title>"
    assert root.find("sm:url/news:news/news:publication/news:name", NS).text == "Site & Co"


def test_a_page_with_a_broken_publication_date_is_left_out_and_named(caplog):
    # The news facts come from the article, no longer from its JSON-LD read back: what
    # can still be broken is a date in a damaged record.
    from trilingual.manifest import NewsFacts, SitemapFacts
    from trilingual.news_sitemap import news_entry

    page = SitemapFacts("/fr/x.html", news=NewsFacts("t", "2026-13-45", "P", "fr"))
    assert news_entry(page) is None
    assert "/fr/x.html: publication date '2026-13-45' is not ISO 8601" in caplog.text
