"""Fast tests of what each language section holds: file languages, images, originals, drafts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from autotranslate.report import front_matter, untranslated_articles
from tests.support.newsroom import BUDGET, COMMUNIQUE, DRAFT
from trilingual.own_language import split_by_language
from trilingual.provenance import translation_info
from trilingual.sections import section_settings
from trilingual.static_files import shared_static_url

ROOT = Path(__file__).resolve().parent.parent


def test_every_section_reads_a_file_without_lang_as_arabic(tmp_path):
    runs = section_settings(str(ROOT / "pelicanconf.py"), tmp_path)
    assert [(s["DEFAULT_LANG"], s["DEFAULT_METADATA"]["lang"]) for s in runs] == [
        ("ar", "ar"),
        ("fr", "ar"),
        ("en", "ar"),
    ]


def test_only_the_original_section_copies_static_files_and_the_others_link_there(tmp_path):
    runs = section_settings(
        str(ROOT / "pelicanconf.py"), tmp_path, {"SITEURL": "https://h.io/site"}
    )
    summary = [
        (
            s["DEFAULT_LANG"],
            s.get("TRILINGUAL_SHARED_STATIC", False),
            s["STATIC_URL"],
            s["STATIC_LANG_URL"],
        )
        for s in runs
    ]
    assert summary == [
        ("ar", False, "{path}", "{path}"),
        ("fr", True, "../{path}", "../{path}"),
        ("en", True, "../{path}", "../{path}"),
    ]
    assert shared_static_url("a/b", "static/{path}") == "../../static/{path}"


def test_a_section_lists_only_its_own_language():
    items = [SimpleNamespace(lang=lang, n=n) for n, lang in enumerate(["fr", "ar", "fr", "en"])]
    own, other = split_by_language(items, "fr")
    assert [i.n for i in own] == [0, 2] and [i.n for i in other] == [1, 3]


def test_a_french_original_carries_no_translation_notice():
    communique = SimpleNamespace(lang="fr", translations=[], source_path="c.md", metadata={})
    assert translation_info(communique, "ar") is None
    # A French file with an Arabic version of the same slug is a (hand-made) translation.
    arabic = SimpleNamespace(lang="ar", translations=[], metadata={})
    by_hand = SimpleNamespace(lang="fr", translations=[arabic], source_path="c.md", metadata={})
    assert translation_info(by_hand, "ar").original is arabic


def test_front_matter_stops_at_the_first_blank_line(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(DRAFT + "\nSlug: not-metadata\n", encoding="utf-8")
    fields = front_matter(article)
    assert (fields["slug"], fields["status"]) == ("rabat-tramway-line-3-draft", "draft")
    assert "lang" not in fields


def test_coverage_asks_for_published_arabic_articles_only(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in (("a.md", BUDGET), ("b.md", COMMUNIQUE), ("c.md", DRAFT)):
        (articles / name).write_text(text, encoding="utf-8")
    (articles / "d.md").write_text(DRAFT.replace("Status: draft", "Status: published"), "utf-8")
    assert untranslated_articles(articles, tmp_path / "translations", ("en", "fr")) == [
        "marrakech-budget-2027",
        "rabat-tramway-line-3-draft",
    ]


def test_a_period_archive_links_only_the_sections_that_have_that_period():
    from trilingual.languages import SiteLanguages
    from trilingual.versions import PageVersions

    languages = SiteLanguages.from_setting(
        {"languages": {"ar": {"prefix": ""}, "fr": {"prefix": "fr"}, "en": {"prefix": "en"}}}
    )
    english = SimpleNamespace(lang="en")
    arabic = SimpleNamespace(lang="ar", translations=[english])  # its French was not built
    versions = PageVersions(languages, "", "ar").for_period("2016/11/index.html", [arabic])
    assert [(v.lang, v.url, v.exact) for v in versions] == [
        ("ar", "/2016/11/", True),
        ("fr", "/fr/", False),
        ("en", "/en/2016/11/", True),
    ]
