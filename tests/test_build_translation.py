"""Real site builds: Arabic articles come out in ar, fr and en, through the memory."""

from __future__ import annotations

import re

import pytest

from autotranslate.memory import TranslationCatalog
from tests.support.builds import copy_site

NEW_ARTICLE = """Title: اختبار <الروابط> والرموز
Date: 2026-11-20 09:00
Category: تقنية
Tags: اختبار
Slug: links-and-code
Lang: ar

زار الوفد [مدينة فاس](https://fes.ma/ar/?a=1&b=2 "فاس") يوم **الخميس** و*الجمعة*.

- البند الأول مع `pelican --help` مهم
- البند الثاني: UNESCO سنة 2014

| المدينة | البلد |
|---|---|
| كوانبرا | البرتغال |

    print("لا تترجم")

![صورة المدينة العتيقة](/images/fes.jpg)
"""


def tags_of(html: str) -> list[str]:
    return re.findall(r"<(?:a|strong|em|code|pre|li|td|th|img)\b[^>]*>", html)


def article_body(page: str) -> str:
    match = re.search(
        r'<div class="article-body"[^>]*>(.*)</div>\s*<footer class="article-footer"', page, re.S
    )
    assert match, "article body not found"
    return match.group(1)


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    return site


def test_unseen_article_comes_out_in_three_languages_with_structure_intact(site, capsys):
    site.build()
    arabic = article_body(site.page("ar", "links-and-code", "2026"))
    for lang in ("fr", "en"):
        page = site.page(lang, "links-and-code", "2026")
        body = article_body(page)
        # Same elements, same attributes (alt and title texts aside), in the same order.
        strip_alt = lambda tags: [re.sub(r' (alt|title)="[^"]*"', "", t) for t in tags]  # noqa: E731
        assert strip_alt(tags_of(body)) == strip_alt(tags_of(arabic))
        # The link's title is translated too (issue 12; it used to stay in Arabic).
        assert f'<a href="https://fes.ma/ar/?a=1&amp;b=2" title="[{lang}]' in body
        assert "<code>pelican --help</code>" in body
        assert "print(&quot;لا تترجم&quot;)" in body or 'print("لا تترجم")' in body
        assert f"[{lang}]" in body
        assert "UNESCO" in body and "2014" in body
        assert f'lang="{lang}"' in page
    out = capsys.readouterr().out
    assert "sent to the engine" in out


def test_catalogs_are_written_per_article_and_language_with_provenance(site):
    site.build()
    for lang in ("fr", "en"):
        text = site.catalog(lang, "links-and-code", pseudo=True).read_text(encoding="utf-8")
        # The title is its own entry, not markup inside the sentence (issue 12).
        assert 'msgid "زار الوفد <a href=\\"https://fes.ma/ar/?a=1&amp;b=2\\">مدينة فاس</a>' in text
        assert 'msgid "فاس"' in text
        assert "autotranslate: engine = pseudo" in text
    french = TranslationCatalog(
        site.catalog("fr", "links-and-code", pseudo=True), "ar", "fr", accept_pseudo=True
    ).entries()
    assert {e.provenance for e in french} == {"pseudo pseudo-ar_en 1 + pseudo pseudo-en_fr 1"}


def test_rebuild_sends_nothing_to_the_engine_and_rewrites_no_catalog(site, capsys):
    site.build()
    capsys.readouterr()
    catalogs = sorted(site.pseudo_catalogs.rglob("*.po"))
    stamps = [p.stat().st_mtime_ns for p in catalogs]
    site.build()
    out = capsys.readouterr().out
    assert out.count("sent to the engine") == 1  # translated once for all three sections
    assert "0 sent to the engine" in out
    assert " sent to the engine" in out and not re.search(r"[1-9]\d* sent to the engine", out)
    assert [p.stat().st_mtime_ns for p in catalogs] == stamps


def test_a_corrected_french_sentence_shows_and_counts_as_reviewed(site, capsys):
    site.build()
    path = site.catalog("fr", "links-and-code", pseudo=True)
    machine = site.hand_edit(
        "fr",
        "links-and-code",
        "البند الثاني: UNESCO سنة 2014",
        "Deuxième point : l’UNESCO en 2014",
        pseudo=True,
    )
    site.build()
    page = site.page("fr", "links-and-code", "2026")
    assert "Deuxième point : l’UNESCO en 2014" in page
    assert machine not in page
    assert "Deuxième point" in path.read_text(encoding="utf-8")


def test_changing_the_english_reruns_the_french_pivot(site, capsys):
    site.build()
    site.hand_edit(
        "en",
        "links-and-code",
        "البند الثاني: UNESCO سنة 2014",
        "Second item: UNESCO in 2014",
        pseudo=True,
    )
    capsys.readouterr()
    site.build()
    out = capsys.readouterr().out
    assert "1 sent to the engine" in out
    french = site.catalog("fr", "links-and-code", pseudo=True).read_text(encoding="utf-8")
    assert "[fr] Second item: UNESCO in 2014" in french


def test_missing_model_builds_anyway_and_says_how_to_fix(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    site.build()
    assert "invoke models" in caplog.text
    assert "ar→en" in caplog.text or "ar->en" in caplog.text
    page = site.page("fr", "links-and-code", "2026")
    assert "البند الأول" in page  # shown in the original rather than dropped


def test_strict_mode_fails_when_translations_are_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    with pytest.raises(Exception, match="strict"):
        site.build()


def test_unknown_engine_is_refused_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "google")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    with pytest.raises(Exception, match="AUTOTRANSLATE_ENGINE: unknown engine 'google'"):
        site.build()


def test_argos_engine_end_to_end_with_installed_packages(
    tmp_path, monkeypatch, installed_tiny_argos
):
    """The real engine: tiny genuine Argos packages, real CTranslate2, real Pelican."""
    from autotranslate.memory import Status

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    site.build()
    arabic = article_body(site.page("ar", "links-and-code", "2026"))
    strip_alt = lambda tags: [re.sub(r' (alt|title)="[^"]*"', "", t) for t in tags]  # noqa: E731

    english = TranslationCatalog(site.catalog("en", "links-and-code"), "ar", "en").entries()
    assert english and {e.provenance for e in english} == {"argos translate-ar_en 1.0"}
    # Random weights give gibberish: the quality guards flag most of it, and flagged
    # segments are shown in Arabic rather than as garbage; whatever passed is machine.
    statuses = {e.status for e in english}
    assert statuses <= {Status.MACHINE, Status.FLAGGED} and Status.MACHINE in statuses
    link = next(e for e in english if e.source.startswith("زار الوفد"))
    # The stored sentence holds the link bare; its title is an entry of its own (issue 12).
    assert '<a href="https://fes.ma/ar/?a=1&amp;b=2">' in link.text
    assert any(e.source == "فاس" for e in english)
    assert "<strong>" in link.text and "<em>" in link.text

    french = TranslationCatalog(site.catalog("fr", "links-and-code"), "ar", "fr").entries()
    machine_fr = [e for e in french if e.status in (Status.MACHINE, Status.FLAGGED)]
    assert machine_fr and {e.provenance for e in machine_fr} == {
        "argos translate-ar_en 1.0 + argos translate-en_fr 1.0"
    }
    # French is only ever derived from usable English, never from flagged output.
    flagged_en = {e.source for e in english if e.status is Status.FLAGGED}
    assert all(e.source not in flagged_en for e in machine_fr)

    for lang in ("fr", "en"):
        body = article_body(site.page(lang, "links-and-code", "2026"))
        # Word order changes (an inline tag may wrap two runs), but every link,
        # emphasis, code span and block survives and nothing new appears.
        assert set(strip_alt(tags_of(body))) == set(strip_alt(tags_of(arabic)))
        assert "<code>pelican --help</code>" in body
    assert article_body(site.page("en", "links-and-code", "2026")) != arabic


def test_a_paginated_archive_builds_in_every_section(site):
    for number in range(12):
        site.add_article(
            f"n{number}.md",
            f"Title: خبر {number}\nDate: 2026-10-{number + 1:02d} 09:00\nCategory: تقنية\n"
            f"Slug: news-{number}\nLang: ar\n\nنص الخبر رقم {number}.\n",
        )
    site.build(DEFAULT_PAGINATION=5)
    for prefix in ("", "fr/", "en/"):
        first = (site.output / f"{prefix}index.html").read_text(encoding="utf-8")
        assert 'rel="next"' in first
        assert (site.output / f"{prefix}index2.html").exists()
        assert 'rel="prev"' in (site.output / f"{prefix}index2.html").read_text(encoding="utf-8")


def test_a_post_edit_survives_argos_rebuilds(tmp_path, monkeypatch, installed_tiny_argos):
    """Post-editing on the real engine path: the edit shows, counts as reviewed, and stays."""
    from autotranslate.memory import Status

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("links.md", NEW_ARTICLE)
    site.build()
    path = site.catalog("en", "links-and-code")
    memory = TranslationCatalog(path, "ar", "en")
    target = next(e for e in memory.entries() if e.source == "البند الثاني: UNESCO سنة 2014")
    site.post_edit("en", "links-and-code", target.source, "Second item: UNESCO in 2014")
    site.build()
    site.build()
    entry = next(
        e for e in TranslationCatalog(path, "ar", "en").entries() if e.source == target.source
    )
    assert entry.status is Status.REVIEWED and entry.text == "Second item: UNESCO in 2014"
    assert "Second item: UNESCO in 2014" in site.page("en", "links-and-code", "2026")
    french = TranslationCatalog(site.catalog("fr", "links-and-code"), "ar", "fr").entries()
    assert next(e for e in french if e.source == target.source).provenance == (
        "reviewed en + argos translate-en_fr 1.0"
    )


def _pelican_slug(kind, name: str) -> str:
    """Return the slug Pelican itself gives a category or tag name."""
    from pelican.settings import DEFAULT_CONFIG

    return kind(name, DEFAULT_CONFIG).slug


def test_arabic_term_pages_are_named_after_their_english(tmp_path, monkeypatch):
    from pelican.urlwrappers import Category, Tag

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")  # no model: only reviewed terms
    site = copy_site(tmp_path)
    site.add_article("links.md", NEW_ARTICLE)
    site.build()
    arabic = site.page("ar", "rabat-oicc-14th-general-conference", "2016")
    assert 'href="/category/local-affairs.html"' in arabic
    assert 'href="/tag/sustainable-development.html"' in arabic
    assert (site.output / "category" / "local-affairs.html").is_file()
    # A term with no English translation yet keeps Pelican's own slug.
    assert (site.output / "category" / f"{_pelican_slug(Category, 'تقنية')}.html").is_file()
    assert (site.output / "tag" / f"{_pelican_slug(Tag, 'اختبار')}.html").is_file()


def test_term_slugs_can_be_left_to_pelican(tmp_path, monkeypatch):
    from pelican.urlwrappers import Category

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path)
    site.build(AUTOTRANSLATE={"targets": ["en", "fr"], "catalog_dir": "translations"})
    assert (site.output / "category" / f"{_pelican_slug(Category, 'الشأن المحلي')}.html").is_file()
    assert not (site.output / "category" / "local-affairs.html").exists()
