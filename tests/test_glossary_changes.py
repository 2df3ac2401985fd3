"""A glossary change reaches what is already translated (issue 12, item 6)."""

from __future__ import annotations

from pathlib import Path

from autotranslate.config import load_config
from autotranslate.engines.base import Provenance
from autotranslate.engines.pseudo import PseudoEngine
from autotranslate.glossary import APPLIED_NAME
from autotranslate.memory import Status, TranslationCatalog
from autotranslate.pipeline import TranslationRun, source_text_for
from autotranslate.report import catalog_coverage, format_report

FES = "زار الوفد مدينة فاس أمس."
RABAT = "ثم عاد إلى الرباط مساء."
PLAIN = "وكان الطقس جميلا."
BODY = f"<p>{FES} {RABAT} {PLAIN}</p>"
HEADER = "ar\ten\tfr\tnote\n"


class CountingPseudo(PseudoEngine):
    """A stand-in engine (pseudo output under its own name) remembering what it was asked.

    It is given to the run as its engine, so the memory treats its output as any
    engine's, whatever the settings do with the pseudo engine itself.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def provenance(self, source, target):
        return Provenance("recorder", f"recorder-{source}_{target}", "1")

    def translate(self, texts, source, target, **kwargs):
        self.seen.extend(texts)
        return super().translate(texts, source, target, **kwargs)


def _build(root: Path) -> tuple[TranslationRun, CountingPseudo]:
    engine = CountingPseudo()
    config = load_config({"PATH": str(root), "AUTOTRANSLATE": {"progress": False}}, environ={})
    run = TranslationRun(config, lambda: engine)
    run.translate_all([source_text_for("visit", "عنوان", BODY, None, [])])
    return run, engine


def _entries(root: Path, lang: str) -> dict[str, object]:
    path = root / "translations" / lang / "visit.po"
    return {e.source: e for e in TranslationCatalog(path, "ar", lang).entries()}


def test_changed_and_added_terms_retranslate_machine_entries_and_flag_reviewed_ones(tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(HEADER + "فاس\tFes\tFès\tcity\n", encoding="utf-8")
    _build(tmp_path)
    assert (tmp_path / "translations" / APPLIED_NAME).read_bytes() == glossary.read_bytes()
    english = _entries(tmp_path, "en")
    assert "Fes" in english[FES].text and english[FES].status is Status.MACHINE

    # A person corrects the Rabat sentence in English and in French.
    for lang, text in (("en", "Then he came back to Rabat in the evening."),
                       ("fr", "Puis il est rentré à Rabat le soir.")):  # fmt: skip
        path = tmp_path / "translations" / lang / "visit.po"
        machine = _entries(tmp_path, lang)[RABAT].text
        path.write_text(path.read_text("utf-8").replace(machine, text), "utf-8")
    reviewed_before = (tmp_path / "translations" / "fr" / "visit.po").read_text("utf-8")

    # Nothing changed: a rebuild asks the engine for nothing.
    _, engine = _build(tmp_path)
    assert engine.seen == []

    # Fès's English form changes and Rabat is added.
    glossary.write_text(HEADER + "فاس\tFez\tFès\tcity\nالرباط\tRabat\tRabat\tcity\n", "utf-8")
    run, engine = _build(tmp_path)
    english = _entries(tmp_path, "en")
    assert "Fez" in english[FES].text and "Fes" not in english[FES].text
    assert english[PLAIN].status is Status.MACHINE
    # Only the English sentence with the changed term went to the engine (French follows
    # from the new English of that sentence); the untouched sentence was not sent again.
    assert not any("الطقس" in text for text in engine.seen)
    assert any("فاس" not in t and "⟦" in t for t in engine.seen)  # the term is a placeholder
    # The reviewed translations are untouched, and noted for a look.
    for lang, text in (("en", "Then he came back to Rabat in the evening."),
                       ("fr", "Puis il est rentré à Rabat le soir.")):  # fmt: skip
        entry = _entries(tmp_path, lang)[RABAT]
        assert entry.status is Status.REVIEWED and entry.text == text
        assert entry.glossary_changed == "الرباط"
    assert len(run.glossary_review) == 2 and "glossary changed" in run.summary_line()
    after = (tmp_path / "translations" / "fr" / "visit.po").read_text("utf-8")
    assert "Puis il est rentré à Rabat le soir." in after and after != reviewed_before

    report = format_report(catalog_coverage(tmp_path / "translations"), [])
    assert "glossary-changed" in report and f"fr/visit: {RABAT}" in report

    # Next build: the glossary is as applied, nothing is sent, the note stays until deleted.
    _, engine = _build(tmp_path)
    assert engine.seen == []
    assert _entries(tmp_path, "fr")[RABAT].glossary_changed == "الرباط"
    path = tmp_path / "translations" / "fr" / "visit.po"
    path.write_text(
        "".join(
            line
            for line in path.read_text("utf-8").splitlines(keepends=True)
            if "glossary-changed" not in line
        ),
        "utf-8",
    )
    _build(tmp_path)
    assert _entries(tmp_path, "fr")[RABAT].glossary_changed == ""


def test_a_removed_term_is_a_change_and_a_broken_copy_is_rewritten(tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(HEADER + "فاس\tFes\tFès\tcity\n", encoding="utf-8")
    _build(tmp_path)
    glossary.write_text(HEADER, encoding="utf-8")
    _, engine = _build(tmp_path)
    assert any("فاس" in text for text in engine.seen)  # no longer protected: sent as text
    applied = tmp_path / "translations" / APPLIED_NAME
    applied.write_text("not a glossary\n", encoding="utf-8")
    glossary.write_text(HEADER + "فاس\tFez\tFès\tcity\n", encoding="utf-8")
    run, _ = _build(tmp_path)
    assert any(APPLIED_NAME in problem for problem in run.problems)
    assert applied.read_bytes() == glossary.read_bytes()
