"""The offline sentence splitter on Arabic, French and English news text."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from autotranslate.sentences import split_sentences


def sentences(text: str, **kwargs) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, **kwargs)]


def test_arabic_question_mark_and_full_stop_end_sentences():
    text = "انطلقت الأشغال اليوم. هل حضر الوزير؟ نعم، حضر!"
    assert sentences(text) == ["انطلقت الأشغال اليوم.", "هل حضر الوزير؟", "نعم، حضر!"]


def test_arabic_comma_does_not_split_a_short_sentence():
    assert sentences("الرباط، فاس، طنجة.") == ["الرباط، فاس، طنجة."]


def test_long_sentence_is_cut_at_arabic_semicolon_then_comma():
    clause = "تعزيز وتطوير برامج بناء القدرات والارتقاء بمستويات التنمية"
    text = f"{clause}؛ {clause}، {clause}."
    parts = sentences(text, max_chars=80)
    assert parts == [f"{clause}؛", f"{clause}،", f"{clause}."]


def test_closing_quotes_stay_with_their_sentence():
    text = "قال: «انتهى الاجتماع.» ثم غادر."
    assert sentences(text) == ["قال: «انتهى الاجتماع.»", "ثم غادر."]


def test_decimals_abbreviations_and_initials_do_not_split():
    text = "M. Dupont a dit 3.5 millions. J. K. Rowling est venue."
    assert sentences(text) == ["M. Dupont a dit 3.5 millions.", "J. K. Rowling est venue."]


@given(st.text(alphabet="اب ت.؟،؛!\n«»ab", max_size=200))
def test_spans_are_ordered_and_cover_all_non_space_text(text):
    spans = split_sentences(text, max_chars=40)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)
