"""The glossary: bad lines named at start-up, terms found as the regex did, built once."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autotranslate import glossary as glossary_module
from autotranslate.config import load_config
from autotranslate.engines import create_engine
from autotranslate.glossary import TermMatcher
from autotranslate.pipeline import TranslationFailed, TranslationRun, source_text_for

BODY = "".join(f"<p>زار الوفد مدينة فاس يوم {i} والتقى عبد الإله بنكيران.</p>" for i in range(30))
GLOSSARY = (
    "ar\ten\tfr\tnote\n"
    "فاس\tFes\tFès\tcity\n"
    "عبد الإله بنكيران\tAbdelilah Benkirane\tAbdelilah Benkirane\tperson\n"
)


def _run(root, strict=False, engine=None):
    config = load_config(
        {"PATH": str(root), "AUTOTRANSLATE": {"engine": "pseudo", "progress": False,
                                              "strict": strict}},
        environ={},
    )  # fmt: skip
    return TranslationRun(config, engine or (lambda: create_engine(config)))


def _translate(run):
    return run.translate_all([source_text_for("art", "عنوان", BODY, None, ())])["art"]


def _no_engine():
    raise AssertionError("the memory was complete: no engine should be created")


def test_a_bad_glossary_line_is_named_even_when_no_segment_needs_the_glossary(tmp_path):
    (tmp_path / "glossary.tsv").write_text(GLOSSARY, "utf-8")
    _translate(_run(tmp_path))
    with (tmp_path / "glossary.tsv").open("a", encoding="utf-8") as handle:
        handle.write("مكناس Meknes Meknès\n\tEmpty\tVide\nفاس\tFez\tFès\tduplicate\n")
    run = _run(tmp_path, engine=_no_engine)
    result = _translate(run)
    path = re.escape(str(tmp_path / "glossary.tsv"))
    assert any(re.match(rf"{path}:4: expected at least 3", p) for p in run.problems)
    assert any(re.match(rf"{path}:5: expected at least 3", p) for p in run.problems)
    assert any(re.match(rf"{path}:6: 'فاس' is already on line 2", p) for p in run.problems)
    assert "Fes" in result["en"].content  # the good lines still apply


def test_a_strict_build_stops_on_a_bad_glossary_line_before_any_work(tmp_path):
    (tmp_path / "glossary.tsv").write_text(GLOSSARY + "بلا\tعمود\n", "utf-8")
    with pytest.raises(TranslationFailed, match=r"glossary\.tsv:4: expected at least 3"):
        _translate(_run(tmp_path, strict=True, engine=_no_engine))
    assert not (tmp_path / "translations" / "en").exists()


def test_a_glossary_that_cannot_be_read_stops_with_a_message_not_a_traceback(tmp_path):
    from autotranslate.errors import StopBuild

    (tmp_path / "glossary.tsv").write_bytes(b"ar\ten\tfr\tnote\n\xff\xfe\tx\ty\n")
    with pytest.raises(StopBuild, match=r"glossary\.tsv: not valid UTF-8"):
        _translate(_run(tmp_path, engine=_no_engine))
    (tmp_path / "glossary.tsv").write_text("arabic\tenglish\n", "utf-8")
    with pytest.raises(StopBuild, match=r"glossary\.tsv:1: the first line must be the header"):
        _translate(_run(tmp_path, engine=_no_engine))


def test_the_term_finder_is_built_once_per_direction_not_per_segment(tmp_path, monkeypatch):
    (tmp_path / "glossary.tsv").write_text(GLOSSARY, "utf-8")
    built = []
    original = TermMatcher.__init__

    def counting(self, terms, source):
        built.append((source, len(terms)))
        original(self, terms, source)

    monkeypatch.setattr(glossary_module.TermMatcher, "__init__", counting)
    run = _run(tmp_path)
    result = _translate(run)
    assert run.translated_segments > 60 and "Fès" in result["fr"].content
    assert sorted(built) == [("ar", 2), ("en", 2)]


def _reference(terms, source):
    """The regex the term finder replaced (one alternation, longest term first)."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    prefix = "[وفبلك]{0,2}" if source == "ar" else ""
    return re.compile(rf"(?<!\w)({prefix})({alternatives})(?!\w)")


_letters = st.sampled_from(list("فاسبلكوم نر،.-_1aé"))
_terms = st.lists(st.text(_letters, min_size=1, max_size=6).map(str.strip).filter(bool),
                  min_size=1, max_size=6, unique=True)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(terms=_terms, text=st.text(_letters, max_size=40), source=st.sampled_from(["ar", "en"]))
def test_property_the_term_finder_finds_what_the_regex_found(terms, text, source):
    expected = [(m.start(2), m.end(2)) for m in _reference(terms, source).finditer(text)]
    found = [
        (m.start, m.end) for m in TermMatcher(dict.fromkeys(terms, "x"), source).finditer(text)
    ]
    assert found == expected
