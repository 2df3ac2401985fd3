"""The real Argos engine (CTranslate2 + SentencePiece) on tiny random-weight packages."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

import pytest

from autotranslate.config import ArgosSettings
from autotranslate.engines.argos import ArgosEngine
from autotranslate.engines.base import EngineError, EngineUnavailable, Provenance

# One intra-op thread: on tiny models CTranslate2's thread start-up costs more than it saves.
FAST = ArgosSettings(intra_threads=1)

SENTENCES = [
    "افتتحت صباح اليوم الدورة الثانية للملتقى الدولي للمدن الصديقة والمتوأمة مع فاس.",
    "احتضنت الرباط سنة 2016 المؤتمر العام 14 لمنظمة العواصم والمدن الإسلامية (OICC).",
    "فاس",
    "زار الوفد Strasbourg و Montpellier يوم 29 نونبر.",
    "  الملتقى   الدولي  ",
    "ＦＥＳ ٢٠١٤ — 15%",
]


def assert_well_formed(source: str, text: str, alignment) -> None:
    """Every target word is aligned once, to a whole source word, in order and in range."""
    target_words = [m.span() for m in re.finditer(r"\S+", text)]
    assert [(t0, t1) for t0, t1, _, _ in alignment] == target_words
    source_words = {m.span() for m in re.finditer(r"\S+", source)}
    for _, _, s0, s1 in alignment:
        assert 0 <= s0 < s1 <= len(source)
        assert (s0, s1) in source_words


def test_provenance_names_package_and_version(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    assert engine.provenance("ar", "en") == Provenance("argos", "translate-ar_en", "1.0")
    assert engine.provenance("en", "fr").label() == "argos translate-en_fr 1.0"


def test_batch_keeps_input_order(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    engine.check("ar", "en")
    forward = engine.translate(SENTENCES, "ar", "en")
    backward = engine.translate(SENTENCES[::-1], "ar", "en")
    assert backward == forward[::-1]
    assert len({t.text for t in forward}) == len(SENTENCES)


def test_greedy_batch_matches_one_by_one(installed_tiny_argos):
    # With one beam, batching and length-sorting must not change any result.
    engine = ArgosEngine(replace(FAST, beam_size=1, max_batch_size=4))
    batch = engine.translate(SENTENCES, "ar", "en")
    singles = [engine.translate([s], "ar", "en")[0] for s in SENTENCES]
    assert batch == singles


def test_alignment_covers_every_target_word_with_source_spans(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    for source, translation in zip(SENTENCES, engine.translate(SENTENCES, "ar", "en"), strict=True):
        assert translation.alignment, source
        assert_well_formed(source, translation.text, translation.alignment)


def test_careful_mode_decodes_and_aligns(installed_tiny_argos):
    engine = ArgosEngine(replace(FAST, beam_size=1))
    results = engine.translate(SENTENCES, "ar", "en", careful=True)
    assert len(results) == len(SENTENCES)
    for source, translation in zip(SENTENCES, results, strict=True):
        assert translation.text
        assert_well_formed(source, translation.text, translation.alignment)


def test_second_direction_translates_english(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    (result,) = engine.translate(["The forum opened in Fes on 12 June 2014."], "en", "fr")
    assert result.text
    assert_well_formed("The forum opened in Fes on 12 June 2014.", result.text, result.alignment)


def test_progress_adds_up_to_all_texts(installed_tiny_argos):
    # A chunk holds whole batches: two texts per batch, one batch per chunk.
    engine = ArgosEngine(replace(FAST, chunk_size=2, max_batch_size=2))
    calls: list[int] = []
    texts = [*SENTENCES, "", "   "]
    results = engine.translate(texts, "ar", "en", on_progress=calls.append)
    assert sum(calls) == len(texts)
    assert len(calls) == 4  # the two empty texts, then three chunks of two
    assert results[-2:] == [results[-1], results[-1]] and results[-1].text == ""


def test_empty_texts_never_touch_a_model():
    # No package is installed in this test: any model call would raise.
    engine = ArgosEngine(FAST)
    results = engine.translate(["", " ", "\n\t"], "ar", "en")
    assert [(r.text, r.alignment) for r in results] == [("", ())] * 3
    assert engine.translate([], "ar", "en") == []


def test_missing_direction_names_the_fix(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    with pytest.raises(EngineUnavailable) as caught:
        engine.check("ar", "fr")
    message = str(caught.value)
    assert "ar→fr" in message
    assert "invoke models" in message and "invoke models --from DIR" in message


def test_missing_direction_when_nothing_is_installed():
    with pytest.raises(EngineUnavailable, match="invoke models"):
        ArgosEngine(FAST).translate(["فاس"], "ar", "en")


def test_missing_model_file_names_the_package_path(installed_tiny_argos):
    package = installed_tiny_argos / "translate-ar_en-1_0"
    (package / "model" / "model.bin").unlink()
    with pytest.raises(EngineError) as caught:
        ArgosEngine(FAST).check("ar", "en")
    assert not isinstance(caught.value, EngineUnavailable)
    assert str(package) in str(caught.value)
    assert "invoke models" in str(caught.value)


def test_damaged_model_file_names_the_package_path(installed_tiny_argos):
    package = installed_tiny_argos / "translate-ar_en-1_0"
    (package / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(EngineError) as caught:
        ArgosEngine(FAST).translate(["فاس"], "ar", "en")
    assert str(package) in str(caught.value)
    assert "invoke models" in str(caught.value)


def test_unreadable_metadata_names_the_folder(installed_tiny_argos):
    package = installed_tiny_argos / "translate-ar_en-1_0"
    (package / "metadata.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EngineError) as caught:
        ArgosEngine(FAST).check("ar", "en")
    assert str(package) in str(caught.value)


def test_newest_healthy_package_wins(installed_tiny_argos):
    old = installed_tiny_argos / "translate-ar_en-1_0"
    newer = installed_tiny_argos / "translate-ar_en-1_10"
    shutil.copytree(old, newer)
    metadata = json.loads((newer / "metadata.json").read_text(encoding="utf-8"))
    metadata["package_version"] = "1.10"
    (newer / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    assert ArgosEngine(FAST).provenance("ar", "en").version == "1.10"


def test_models_are_loaded_once_per_direction(installed_tiny_argos):
    engine = ArgosEngine(FAST)
    engine.translate(["فاس"], "ar", "en")
    # Removing the files proves later calls reuse the translator already in memory.
    shutil.rmtree(installed_tiny_argos / "translate-ar_en-1_0" / "model")
    assert engine.translate(["فاس"], "ar", "en")[0].text


@pytest.mark.parametrize(
    "options",
    [
        {"batch_type": "sentences"},
        {"compute_type": "float8"},
        {"device": "gpu"},
        {"beam_size": 0},
        {"intra_threads": -1},
    ],
)
def test_options_reject_bad_values(options):
    with pytest.raises(ValueError):
        ArgosSettings(**options)
