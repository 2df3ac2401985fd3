"""Checks on machine output: catch the known failures of NMT before they reach a page.

Argos users report empty output, the source returned untranslated, and repetition
loops; random or badly matched models also produce absurd lengths.
"""

from __future__ import annotations

import re
import unicodedata

from .segmenter import PLACEHOLDER_RE

_WORD_RE = re.compile(r"\w+")
# Scripts written with Latin letters: output in them must not be mostly Arabic.
LATIN_SCRIPT_LANGUAGES = frozenset({"en", "fr", "es", "de", "it", "pt", "nl", "tr"})
MIN_LENGTH_RATIO = 0.25
MAX_LENGTH_RATIO = 3.0
LOOP_REPEATS = 4


def _letters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch).startswith("L")]


def _arabic_share(text: str) -> float:
    letters = _letters(text)
    if not letters:
        return 0.0
    return sum(
        1 for ch in letters if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"
    ) / len(letters)


def _has_loop(words: list[str]) -> bool:
    """Tell whether an n-gram (n ≤ 4) repeats LOOP_REPEATS times in a row."""
    for size in range(1, 5):
        for start in range(0, max(0, len(words) - size * LOOP_REPEATS) + 1):
            gram = words[start : start + size]
            if all(
                words[start + k * size : start + (k + 1) * size] == gram
                for k in range(LOOP_REPEATS)
            ):
                return True
    return False


def quality_problem(source: str, output: str, target: str) -> str:
    """Return why a machine translation is unusable, or '' when it looks sane.

    >>> quality_problem("انطلقت الأشغال اليوم.", "", "en")
    'empty output'
    >>> quality_problem("انطلقت الأشغال اليوم.", "Work began today.", "en")
    ''
    """
    source_text = PLACEHOLDER_RE.sub(" ", source).strip()
    output_text = PLACEHOLDER_RE.sub(" ", output).strip()
    if not _letters(source_text):
        return ""  # numbers and punctuation only: nothing to judge
    if not output_text:
        return "empty output"
    if output_text == source_text:
        return "output equals the source"
    if target in LATIN_SCRIPT_LANGUAGES and _arabic_share(output_text) > 0.5:
        return "output is still mostly Arabic script"
    if _has_loop([w.lower() for w in _WORD_RE.findall(output_text)]):
        return "repetition loop"
    if len(source_text) >= 20:
        ratio = len(output_text) / len(source_text)
        if not MIN_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
            return f"length ratio {ratio:.1f} out of range"
    return ""
