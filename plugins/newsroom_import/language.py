"""Decide a post's language: Arabic unless its letters are mostly Latin, then French or English.

For Latin-script text the post's WordPress language (Polylang) is taken when the site
has it; otherwise py3langid, a trained identifier that ships its model in the wheel
(offline), chooses between the site's Latin-script languages.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

ORIGINAL = "ar"
LATIN_LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class LanguageChoice:
    """A post's language and how it was decided (for the report)."""

    code: str
    reason: str  # "Arabic script", "WordPress language", "language identifier (p=0.97)"


def latin_share(text: str) -> float:
    """Return the share of Latin letters among the Latin and Arabic letters of ``text``.

    >>> latin_share("Le conseil de Fès"), latin_share("مجلس فاس"), latin_share("2027")
    (1.0, 0.0, 0.0)
    """
    latin = arabic = 0
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("LATIN"):
            latin += 1
        elif name.startswith("ARABIC"):
            arabic += 1
    return latin / (latin + arabic) if latin + arabic else 0.0


@cache
def _identifier():
    """Load py3langid's model once, limited to the site's Latin-script languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LATIN_LANGUAGES))
    return identifier


def choose_language(text: str, wordpress_language: str = "") -> LanguageChoice:
    """Return the language of a post's title and text (``wordpress_language``: Polylang's)."""
    if latin_share(text) <= 0.5:
        return LanguageChoice(ORIGINAL, "Arabic script")
    recorded = wordpress_language.split("-")[0].split("_")[0].lower()
    if recorded in LATIN_LANGUAGES:
        return LanguageChoice(recorded, "WordPress language")
    code, probability = _identifier().classify(text)
    return LanguageChoice(str(code), f"language identifier (p={probability:.2f})")
