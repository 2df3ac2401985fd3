"""A deterministic pseudo-translation engine for tests and layout checks.

It transliterates Arabic into Latin letters, keeps numbers, punctuation and
placeholders, and tags each sentence with the target language, so a page shows
at a glance which text went through translation. Word alignment is exact.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence

from .base import ProgressCallback, Provenance, Translation

_ARABIC_TO_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "aa", "ء": "'", "ؤ": "u'", "ئ": "i'", "ب": "b",
    "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "و": "w", "ي": "y", "ى": "a", "ة": "a", "،": ",", "؛": ";", "؟": "?", "ـ": "",
}  # fmt: skip
_TOKEN_RE = re.compile(r"⟦\s*\d+\s*⟧|\w+|[^\w\s]+")
VERSION = "1"


def pseudo_word(word: str, target: str) -> str:
    """Return the pseudo-translation of one word for ``target``."""
    latin = "".join(_ARABIC_TO_LATIN.get(ch, ch) for ch in word)
    if target == "fr":
        latin = latin.replace("sh", "ch").replace("w", "ou")
    return latin


class PseudoEngine:
    """Deterministic, instant, dependency-free engine (``AUTOTRANSLATE_ENGINE=pseudo``)."""

    name = "pseudo"

    def __init__(self, delay: float | None = None) -> None:
        env_delay = os.environ.get("AUTOTRANSLATE_PSEUDO_DELAY", "")
        self.delay = delay if delay is not None else float(env_delay or 0)

    def check(self, source: str, target: str) -> None:
        """Accept every direction: pseudo-translation needs no model."""

    def provenance(self, source: str, target: str) -> Provenance:
        """Return the pseudo engine's provenance."""
        return Provenance("pseudo", f"pseudo-{source}_{target}", VERSION)

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        careful: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Translation]:
        """Pseudo-translate each text token by token, with an exact alignment."""
        results = []
        for text in texts:
            if self.delay:
                time.sleep(self.delay)  # lets tests kill a build mid-translation
            results.append(self._translate_one(text, target))
            if on_progress:
                on_progress(1)
        return results

    @staticmethod
    def _translate_one(text: str, target: str) -> Translation:
        if not text.strip():
            return Translation("")
        prefix = f"[{target}] "
        out = [prefix]
        alignment = []
        position = len(prefix)
        cursor = 0
        for match in _TOKEN_RE.finditer(text):
            gap = text[cursor : match.start()]
            out.append(gap)
            position += len(gap)
            word = match.group(0)
            translated = word if word.startswith("⟦") else pseudo_word(word, target)
            out.append(translated)
            alignment.append((position, position + len(translated), match.start(), match.end()))
            position += len(translated)
            cursor = match.end()
        out.append(text[cursor:])
        return Translation("".join(out), tuple(alignment))
