"""Fast tests of the trilingual plugin's pure parts: languages, versions, notices, catalogs."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from trilingual.catalogs import load_translations
from trilingual.languages import ConfigError, SiteLanguages
from trilingual.localize import localized_date
from trilingual.provenance import translation_info
from trilingual.sections import section_settings
from trilingual.versions import PageVersions, hreflang_links

ROOT = Path(__file__).resolve().parent.parent
SETTING = {
    "languages": {
        "ar": {"prefix": "", "locale": "ar_MA"},
        "fr": {"prefix": "fr", "locale": "fr"},
        "en": {"prefix": "en", "locale": "en"},
    },
    "default": "ar",
}


@pytest.fixture
def languages() -> SiteLanguages:
    return SiteLanguages.from_setting(SETTING)


def test_languages_know_their_direction_and_own_name(languages):
    assert [(lang.code, lang.direction) for lang in languages.languages] == [
        ("ar", "rtl"),
        ("fr", "ltr"),
        ("en", "ltr"),
    ]
    assert [lang.native_name for lang in languages.languages] == ["العربية", "Français", "English"]


@pytest.mark.parametrize(
    ("root", "lang", "path", "expected"),
    [
        ("", "ar", "2016/x.html", "/2016/x.html"),
        ("", "fr", "index.html", "/fr/"),
        ("https://h.io/site/", "en", "2016/11/index.html", "https://h.io/site/en/2016/11/"),
        ("https://h.io/site", "ar", "index.html", "https://h.io/site/"),
    ],
)
def test_urls_come_from_the_prefix_map(languages, root, lang, path, expected):
    assert languages.url(root, lang, path) == expected


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({**SETTING, "colour": 1}, "unknown key"),
        ({"languages": {"ar": {"prefx": ""}}}, "prefx"),
        ({"languages": {"ar": {"locale": "xx_YY_ZZ"}}}, "unknown locale"),
        ({"languages": {"ar": {"prefix": ""}, "fr": {"prefix": ""}}}, "reused"),
        ({"languages": {"ar": {}}, "default": "fr"}, "default"),
    ],
)
def test_bad_configuration_names_the_problem(setting, message):
    with pytest.raises(ConfigError, match=message):
        SiteLanguages.from_setting(setting)


def test_moroccan_month_names_in_arabic():
    assert localized_date(datetime.date(2016, 12, 1), "ar_MA") == "1 دجنبر 2016"
    assert localized_date(datetime.datetime(2016, 11, 29, 10), "fr") == "29 novembre 2016"


def _article(lang, url, translations=(), **fields):
    return SimpleNamespace(lang=lang, url=url, translations=list(translations), **fields)


def test_article_versions_fall_back_to_section_home_without_hreflang(languages):
    ar = _article("ar", "2016/x.html")
    fr = _article("fr", "2016/x.html", [ar])
    versions = PageVersions(languages, "", "fr").for_article(fr)
    assert [(v.lang, v.url, v.exact, v.current) for v in versions] == [
        ("ar", "/2016/x.html", True, False),
        ("fr", "/fr/2016/x.html", True, True),
        ("en", "/en/", False, False),
    ]
    assert hreflang_links(versions, "ar") == [
        ("ar", "/2016/x.html"),
        ("fr", "/fr/2016/x.html"),
        ("x-default", "/2016/x.html"),
    ]


def test_tag_versions_use_the_same_position_in_translated_tags(languages):
    tag = lambda name: SimpleNamespace(name=name, url=f"tag/{name}.html")  # noqa: E731
    ar_tags = [tag("lrbt"), tag("ltnmy")]
    fr = _article("fr", "a.html", tags=[tag("rabat"), tag("developpement")])
    en = _article("en", "a.html", tags=[tag("rabat-en")])  # wrong length: no guess
    ar = _article("ar", "a.html", [fr, en], tags=ar_tags)
    versions = PageVersions(languages, "", "ar").for_tag(ar_tags[1], [ar])
    assert {v.lang: (v.url, v.exact) for v in versions} == {
        "ar": ("/tag/ltnmy.html", True),
        "fr": ("/fr/tag/developpement.html", True),
        "en": ("/en/", False),
    }


def test_reviewed_translation_names_no_engine():
    ar = _article("ar", "a.html")
    fr = _article(
        "fr",
        "a.html",
        [ar],
        translation_status="reviewed",
        translation_engines=["argos translate-ar_en 1.0"],
    )
    info = translation_info(fr, "ar")
    assert (info.status, info.engines, info.original) == ("reviewed", (), ar)
    assert translation_info(ar, "ar") is None


def test_machine_translation_keeps_engines_from_metadata_text():
    fr = _article(
        "fr",
        "a.html",
        translation_status="Machine",
        translation_engines="argos translate-ar_en 1.0, argos translate-en_fr 1.9",
    )
    info = translation_info(fr, "ar")
    assert info.status == "machine"
    assert info.engines == ("argos translate-ar_en 1.0", "argos translate-en_fr 1.9")


def test_unknown_status_stops_rather_than_mislabel():
    fr = _article("fr", "a.html", translation_status="maybe", source_path="a-fr.md")
    with pytest.raises(ValueError, match="maybe"):
        translation_info(fr, "ar")


def test_catalogs_compile_in_memory_and_skip_fuzzy(tmp_path):
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Home"\nmsgstr "Accueil"\n\n#, fuzzy\nmsgid "Tags"\nmsgstr "Étiquettes"\n',
        encoding="utf-8",
    )
    catalog = load_translations(tmp_path, "fr")
    assert catalog.gettext("Home") == "Accueil"
    assert catalog.gettext("Tags") == "Tags"
    assert load_translations(tmp_path, "de").gettext("Home") == "Home"


def test_theme_catalogs_translate_every_string():
    from babel.messages.pofile import read_po

    theme = ROOT / "themes" / "atlas" / "translations"
    template = read_po((theme / "messages.pot").open("rb"))
    for lang in ("ar", "fr"):
        catalog = read_po((theme / lang / "LC_MESSAGES" / "messages.po").open("rb"))
        missing = [m.id for m in template if m.id and not (catalog.get(m.id) or {}).string]
        assert not missing, f"{lang}: untranslated {missing}"


def test_each_section_run_writes_only_its_language(tmp_path):
    runs = section_settings(
        str(ROOT / "pelicanconf.py"), tmp_path, {"SITEURL": "https://h.io/site"}
    )
    summary = [
        (s["DEFAULT_LANG"], s["OUTPUT_PATH"], s["SITEURL"], s["ARTICLE_LANG_SAVE_AS"]) for s in runs
    ]
    assert summary == [
        ("ar", str(tmp_path), "https://h.io/site", ""),
        ("fr", str(tmp_path / "fr"), "https://h.io/site/fr", ""),
        ("en", str(tmp_path / "en"), "https://h.io/site/en", ""),
    ]
    assert len({s["CACHE_PATH"] for s in runs}) == 3
    assert not any(s["DELETE_OUTPUT_DIRECTORY"] for s in runs)
    assert {s["TRILINGUAL_ROOT_URL"] for s in runs} == {"https://h.io/site"}


def test_sitemap_skips_pages_left_over_from_older_builds(tmp_path):
    from trilingual.manifest import SitemapFacts, record_file
    from trilingual.sitemap import listed_pages, render_sitemap

    head = '<link rel="canonical" href="/{0}"><link rel="alternate" hreflang="ar" href="/{0}">'
    for name in ("old.html", "new.html"):
        (tmp_path / name).write_text(head.format(name), encoding="utf-8")
    # Only what this build made is recorded: old.html is an older build's leftover.
    facts = SitemapFacts("/new.html", (("ar", "/new.html"),))
    made = {"new.html": record_file(tmp_path / "new.html", "k", "ar", sitemap=facts)}
    pages = listed_pages(made)
    assert [p.url.lstrip("/") for p in pages] == ["new.html"]
    xml = render_sitemap(pages)
    assert "<loc>/new.html</loc>" in xml and "old.html" not in xml
    assert '<xhtml:link rel="alternate" hreflang="ar" href="/new.html"/>' in xml


def _made_by_the_stage(article, original, status, counts, engines=("argos translate-ar_en 1.0",)):
    """Attach the typed record the translation stage gives a version it made."""
    from autotranslate.contract import LanguageVersion, attach_translation

    version = LanguageVersion(article.lang, "t", "<p>c</p>", None, status, counts, engines, ())
    attach_translation(article, original, version)
    return article


def test_mixed_translation_counts_reviewed_segments():
    ar = _article("ar", "a.html")
    fr = _made_by_the_stage(_article("fr", "a.html"), ar, "mixed",
                            {"reviewed": 3, "machine": 5, "stale": 1})  # fmt: skip
    info = translation_info(fr, "ar")
    assert (info.status, info.reviewed, info.total, info.original) == ("mixed", 3, 9, ar)
    # Metadata is a person's text: it names a status but no counts, and no engine's record.
    text_counts = _article("fr", "a.html", translation_status="mixed", translation_counts="3")
    assert translation_info(text_counts, "ar").total == 0
    reviewed = _made_by_the_stage(_article("fr", "a.html"), ar, "reviewed", {"reviewed": 2})
    assert translation_info(reviewed, "ar").engines == ()


def test_mixed_notice_renders_counts_in_the_reader_language():
    from jinja2 import Environment, FileSystemLoader

    from trilingual.templating import install

    theme = ROOT / "themes" / "atlas"
    env = Environment(loader=FileSystemLoader(str(theme / "templates")))
    install(env, {"DEFAULT_LANG": "fr", "SITEURL": "", "TRILINGUAL": SETTING}, str(theme))
    ar = _article("ar", "2016/a.html", slug="a")
    fr = _article(
        "fr",
        "2016/a.html",
        [ar],
        slug="a",
        title="Titre",
        content="<p>Texte.</p>",
        date=datetime.datetime(2016, 12, 1, 10),
        category=None,
        tags=[],
    )
    _made_by_the_stage(fr, ar, "mixed", {"reviewed": 1234, "machine": 1})
    html = env.get_template("article.html").render(
        article=fr, output_file="2016/a.html", SITENAME="Archives", THEME_STATIC_DIR="theme"
    )
    assert "1\u202f234 passages sur 1\u202f235 ont été relus par une personne" in html
    assert "1 décembre 2016" in html
    assert '<html lang="fr" dir="ltr">' in html
