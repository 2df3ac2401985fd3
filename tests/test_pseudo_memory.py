"""The pseudo engine never enters the translation memory (content/translations)."""

from __future__ import annotations

import re

import pytest

from autotranslate.memory import Status, TranslationCatalog
from autotranslate.report import catalog_coverage
from tests.support.builds import copy_site
from tests.support.newsroom import BUDGET, write_newsroom

SLUG = "marrakech-budget-2027"
REVIEWED_SLUG = "rabat-oicc-14th-general-conference"


def _memory_snapshot(site) -> dict[str, bytes]:
    memory = site.content / "translations"
    files = sorted(p for p in memory.rglob("*") if p.is_file() and p.name != ".lock")
    return {str(p.relative_to(memory)): p.read_bytes() for p in files}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The demo memory and its articles, plus a new article nobody translated yet."""
    site = copy_site(tmp_path)
    write_newsroom(site.content, ("budget.md", BUDGET))
    return site


@pytest.mark.slow
def test_a_pseudo_build_leaves_the_memory_byte_for_byte_as_it_was(site, monkeypatch):
    before = _memory_snapshot(site)
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site.build()
    assert _memory_snapshot(site) == before
    # The pseudo output is there for the layout check, apart from the memory...
    assert "[fr]" in site.page("fr", SLUG, "2026")
    assert (site.pseudo_catalogs / "fr" / f"{SLUG}.po").is_file()
    # ...and what people wrote in the memory is shown as it is.
    reviewed = site.page("fr", REVIEWED_SLUG, "2016")
    assert "[fr]" not in reviewed and "notice-reviewed" in reviewed


@pytest.mark.slow
def test_a_real_build_after_a_pseudo_build_shows_missing_what_only_pseudo_had(
    site, monkeypatch, caplog
):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site.build()
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")  # and no model installed
    site.build()
    for lang in ("fr", "en"):
        page = site.page(lang, SLUG, "2026")
        assert f"[{lang}]" not in page and "pseudo" not in page
        assert "notice-incomplete" in page and "مجلس جماعة مراكش" in page
    assert "invoke models" in caplog.text
    rows = {(r.lang, r.article): r for r in catalog_coverage(site.content / "translations")}
    assert rows[("fr", SLUG)].counts["machine"] == 0 and rows[("fr", SLUG)].counts["missing"] > 0
    # Term pages are not named after pseudo terms ("en-..." transliterations).
    assert not list(site.output.glob("category/en-*.html"))
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    with pytest.raises(Exception, match="strict"):
        site.build()


@pytest.mark.slow
def test_a_real_engine_after_a_pseudo_build_translates_everything_pseudo_had(
    site, monkeypatch, capsys, installed_tiny_argos
):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site.build()
    capsys.readouterr()
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site.build()
    sent = re.search(r"(\d+) sent to the engine", capsys.readouterr().out)
    english = TranslationCatalog(site.catalog("en", SLUG), "ar", "en").entries()
    # Every sentence went to the real engine (French only from usable English).
    assert sent and int(sent.group(1)) >= len(english)
    assert {e.status for e in english} <= {Status.MACHINE, Status.FLAGGED}
    assert {e.provenance for e in english} == {"argos translate-ar_en 1.0"}
    assert "[en]" not in site.page("en", SLUG, "2026")


@pytest.mark.slow
def test_a_person_editing_the_memory_is_seen_by_the_next_pseudo_build(site, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site.build()
    scratch = site.catalog("fr", SLUG, pseudo=True)
    memory = site.catalog("fr", SLUG)
    # A translator starts the French catalog from scratch and fills in one sentence.
    sentence = "وأوضحت رئيسة المجلس أن الميزانية تعطي الأولوية لتأهيل الأحياء الناقصة التجهيز وتحسين النقل الحضري."
    memory.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        f'msgid "{sentence}"\nmsgstr "La présidente a précisé les priorités du budget."\n',
        encoding="utf-8",
    )
    site.build()
    page = site.page("fr", SLUG, "2026")
    assert "La présidente a précisé les priorités du budget." in page
    assert "[fr]" in page  # the rest is still pseudo, from the scratch catalog
    assert "pseudo" not in memory.read_text(encoding="utf-8")
    assert "La présidente" in scratch.read_text(encoding="utf-8")


def test_pseudo_output_an_older_build_left_in_the_memory_counts_as_missing(tmp_path):
    path = tmp_path / "fr" / "a.po"
    catalog = TranslationCatalog(path, "ar", "fr", accept_pseudo=True)
    catalog.store_machine("جملة.", "[fr] jmla.", "pseudo pseudo-ar_en 1 + pseudo pseudo-en_fr 1")
    catalog.store_machine("جملة ثانية.", "Deuxième phrase.", "argos translate-en_fr 1.9")
    catalog.save()

    entries = {e.source: e for e in TranslationCatalog(path, "ar", "fr").entries()}
    assert (entries["جملة."].status, entries["جملة."].text) == (Status.MISSING, "")
    assert entries["جملة ثانية."].status is Status.MACHINE
    # A real engine's result replaces it; the pseudo build itself still reads its own.
    real = TranslationCatalog(path, "ar", "fr")
    real.store_machine("جملة.", "Une phrase.", "argos translate-en_fr 1.9")
    assert real.lookup("جملة.").text == "Une phrase."
    own = TranslationCatalog(path, "ar", "fr", accept_pseudo=True)
    assert own.lookup("جملة.").status is Status.MACHINE


def test_the_pseudo_catalogs_cannot_be_pointed_at_the_memory(tmp_path):
    from autotranslate.config import ConfigError, load_config

    settings = {"PATH": str(tmp_path / "content")}
    default = load_config(settings, {}).pseudo_catalog_dir
    assert default == tmp_path / ".cache" / "pseudo-translations" / "content"
    with pytest.raises(ConfigError, match=r"pseudo_catalog_dir.*never enters the translation"):
        load_config({**settings, "AUTOTRANSLATE": {"pseudo_catalog_dir": "translations"}}, {})
