"""The editor's workflow: glossary, quality guards, stale sources, coverage report."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from autotranslate.engines.base import Translation
from autotranslate.glossary import load_glossary, protect_terms
from autotranslate.markup import transfer_markup
from autotranslate.quality import quality_problem
from autotranslate.report import catalog_coverage, format_report
from autotranslate.segmenter import segment_html
from tests.conftest import ROOT
from tests.support.builds import copy_site

ARTICLE = """Title: زيارة إلى فاس
Date: 2026-11-21 09:00
Category: تقنية
Slug: glossary-visit
Lang: ar

استقبل عبد الإله بنكيران الوفد بالرباط قبل السفر إلى فاس.

جملة ثانية للمراجعة.
"""


def test_glossary_terms_come_out_exactly_even_when_the_engine_drops_them():
    glossary = load_glossary(ROOT / "content" / "glossary.tsv")
    sentence = next(segment_html("<p>استقبل عبد الإله بنكيران الوفد بالرباط.</p>").sentences())
    protected = protect_terms(sentence, glossary.mapping("ar", "en"), "ar")
    assert protected.source_text() == "استقبل ⟦1⟧ الوفد ب⟦2⟧."
    # An engine that keeps one placeholder and loses the other: both forms still appear once.
    out = transfer_markup(protected, Translation("He received ⟦1⟧ and the delegation."))
    assert out.count("Abdelilah Benkirane") == 1 and out.count("Rabat") == 1


def test_glossary_file_errors_name_the_line(tmp_path):
    # Issue 11: a bad line is named and left out; the rest of the glossary is used.
    path = tmp_path / "glossary.tsv"
    path.write_text("ar\ten\tfr\tnote\nفاس\tFez\nمكناس\tMeknes\tMeknès\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert [row["ar"] for row in glossary.rows] == ["مكناس"]
    [problem] = glossary.problems
    assert re.match(rf"{re.escape(str(path))}:2: expected at least 3", problem)


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("", "empty output"),
        ("انطلقت أشغال المؤتمر اليوم بالرباط.", "output equals the source"),
        ("انطلقت أشغال conference المؤتمر اليوم", "output is still mostly Arabic script"),
        ("the city the city the city the city the city", "repetition loop"),
        ("Work " * 1 + "x" * 200, "length ratio"),
        ("The conference opened today in Rabat.", ""),
    ],
)
def test_quality_guards(output, problem):
    found = quality_problem("انطلقت أشغال المؤتمر اليوم بالرباط.", output, "en")
    assert found.startswith(problem) if problem else found == ""


class _LoopingEngine:
    """An engine that loops unless asked for careful decoding (a known Argos failure)."""

    name = "looping"

    def __init__(self, careful_works: bool):
        self.careful_works = careful_works
        self.calls: list[bool] = []

    def check(self, source, target):
        pass

    def provenance(self, source, target):
        from autotranslate.engines.base import Provenance

        return Provenance("looping", f"loop-{source}_{target}", "0")

    def translate(self, texts, source, target, *, careful=False, on_progress=None):
        self.calls.append(careful)
        if careful and self.careful_works:
            return [Translation(f"Fixed sentence number {i}.") for i, _ in enumerate(texts)]
        return [Translation("the the the the the the") for _ in texts]


@pytest.mark.parametrize("careful_works", [True, False])
def test_bad_output_is_retried_carefully_then_flagged(tmp_path, careful_works):
    from autotranslate.config import load_config
    from autotranslate.memory import Status
    from autotranslate.pipeline import TranslationRun, source_text_for

    config = load_config(
        {"PATH": str(tmp_path), "AUTOTRANSLATE": {"targets": ["en"], "pivot": None}}
    )
    engine = _LoopingEngine(careful_works)
    run = TranslationRun(config, lambda: engine)
    text = source_text_for("loop", "عنوان", "<p>جملة أولى.</p>", None, [])
    result = run.translate_all([text])["loop"]["en"]
    assert engine.calls == [False, True]
    if careful_works:
        assert result.counts[Status.MACHINE] == 2 and "Fixed sentence" in result.content
    else:
        assert result.counts[Status.FLAGGED] == 2
        assert "the the" not in result.content  # garbage never reaches the page
        assert "جملة أولى." in result.content and run.flagged


def test_changed_arabic_is_reported_stale_and_the_reviewed_text_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    article = site.add_article("visit.md", ARTICLE)
    site.build()
    po = site.catalog("fr", "glossary-visit", pseudo=True)
    site.hand_edit(
        "fr",
        "glossary-visit",
        "جملة ثانية للمراجعة.",
        "Phrase revue par une personne.",
        pseudo=True,
    )
    site.build()
    assert "Phrase revue par une personne." in site.page("fr", "glossary-visit", "2026")

    article.write_text(
        ARTICLE.replace("جملة ثانية للمراجعة.", "جملة ثانية معدلة للمراجعة."), encoding="utf-8"
    )
    site.build()
    text = po.read_text(encoding="utf-8")
    assert "Phrase revue par une personne." in text  # kept...
    assert '#| msgid "جملة ثانية للمراجعة."' in text  # ...with the old source
    assert "#, fuzzy" in text
    rows = {(r.lang, r.article): r for r in catalog_coverage(site.pseudo_catalogs)}
    assert rows[("fr", "glossary-visit")].counts["stale"] == 1
    assert "needs review" in format_report(list(rows.values()), [])
    # The glossary forced the names in the machine output.
    english = site.page("en", "glossary-visit", "2026")
    assert "Abdelilah Benkirane" in english and "Rabat" in english


def test_glossary_post_edit_and_stale_on_the_argos_path(
    tmp_path, monkeypatch, installed_tiny_argos
):
    """The same editor's rules with the real engine (tiny random-weight Argos packages)."""
    from autotranslate.memory import Status, TranslationCatalog

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path, with_demo=False)
    article = site.add_article("visit.md", ARTICLE)
    site.build()
    names = "استقبل عبد الإله بنكيران الوفد بالرباط قبل السفر إلى فاس."

    def entry(lang):
        entries = TranslationCatalog(site.catalog(lang, "glossary-visit"), "ar", lang).entries()
        return next(e for e in entries if e.source == names)

    # Whatever the random model emits (the guards flag it), the glossary forms are
    # substituted exactly once each; French is not pivoted through flagged English.
    english = entry("en")
    assert english.provenance == "argos translate-ar_en 1.0" and english.text
    assert all(english.text.count(f) == 1 for f in ("Abdelilah Benkirane", "Rabat", "Fez"))
    if english.status is Status.FLAGGED:
        assert entry("fr").status is Status.MISSING
    # A person fixes the English: French is derived from it, names in their French form.
    site.post_edit(
        "en", "glossary-visit", names,
        "Abdelilah Benkirane received the delegation in Rabat before travelling to Fez.",
    )  # fmt: skip
    site.build()
    french = entry("fr")
    assert french.provenance == "reviewed en + argos translate-en_fr 1.0"
    assert all(french.text.count(f) == 1 for f in ("Abdelilah Benkirane", "Rabat", "Fès"))

    site.post_edit("fr", "glossary-visit", "جملة ثانية للمراجعة.", "Phrase revue par une personne.")
    site.build()
    assert "Phrase revue par une personne." in site.page("fr", "glossary-visit", "2026")

    article.write_text(
        ARTICLE.replace("جملة ثانية للمراجعة.", "جملة ثانية معدلة للمراجعة."), encoding="utf-8"
    )
    site.build()
    text = site.catalog("fr", "glossary-visit").read_text(encoding="utf-8")
    assert "Phrase revue par une personne." in text and "#, fuzzy" in text
    assert '#| msgid "جملة ثانية للمراجعة."' in text
    rows = {(r.lang, r.article): r for r in catalog_coverage(site.content / "translations")}
    assert rows[("fr", "glossary-visit")].counts["stale"] == 1
    french = TranslationCatalog(site.catalog("fr", "glossary-visit"), "ar", "fr").entries()
    stale = next(e for e in french if e.status is Status.STALE)
    assert stale.previous_translation == "Phrase revue par une personne."


def test_translations_task_passes_strict_on_the_reviewed_demo():
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "translations", "--strict"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "coverage: 100.0%" in result.stdout
