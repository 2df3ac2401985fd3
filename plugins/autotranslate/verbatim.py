"""Find the text a translation keeps as written: hashtags, addresses, numbers, Latin words.

A hashtag (``#ميزانية_مراكش_2027``) is a search key, an e-mail address, a URL or
a phone number must keep working, and a Latin-script word in an Arabic sentence
(COP22, ONU, Wi-Fi) is already what a French or English reader expects. None of
them is sent to the engine: the segmenter turns them into verbatim atoms.
"""

from __future__ import annotations

import re

# Letters of the Latin script: ASCII, Latin-1 and Latin Extended-A/B (é, œ, ğ…).
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# Arabic combining marks (harakat) that \w does not match.
_ARABIC_MARKS = "\u064b-\u065f\u0670"
# What ends a URL or an address but belongs to the sentence around it.
_TRAILING = ".,;:!?)»\"'’”،؛؟…"

_HASHTAG = rf"(?<![\w&#])#[\w{_ARABIC_MARKS}]*[^\W\d_][\w{_ARABIC_MARKS}]*"
_EMAIL = r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_URL = r"(?<!\w)(?:https?://|www\.)[^\s<>\"]+"
_DIGIT = "[0-9\u0660-\u0669]"
# +212 5 37 12 34 56, 05 37 12 34 56, 0537-123456, (0522) 12.34.56; Arabic-Indic digits too.
# A phone number starts with + or 0 (years and amounts do not) and has 9 to 15 digits.
_PHONE = (
    rf"(?<![\w+])(?=[+(0\u0660])\+?\(?{_DIGIT}{{1,4}}\)?(?:[ .\-]?{_DIGIT}{{1,4}}){{2,8}}(?!\w)"
)
_LATIN_WORD = rf"[0-9]*[{_LATIN}][{_LATIN}0-9]*(?:[.'’&_\-][{_LATIN}0-9]+)*\.?"
_LATIN_PHRASE = rf"(?<![{_LATIN}0-9])(?:{_LATIN_WORD})(?: (?:{_LATIN_WORD}))*(?![{_LATIN}0-9])"

# Text that looks like the engine's own placeholders (⟦7⟧): kept as written, or the
# engine's output would read it as a placeholder and move or drop it.
_PLACEHOLDER_LIKE = r"⟦\s*\d+\s*⟧"

_ADDRESS_RE = re.compile("|".join(f"(?:{p})" for p in (_URL, _EMAIL, _HASHTAG, _PLACEHOLDER_LIKE)))
_PHONE_RE = re.compile(_PHONE)
_LATIN_RE = re.compile(_LATIN_PHRASE)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave sentence punctuation that follows a URL or address to the sentence."""
    while end > start + 1 and text[end - 1] in _TRAILING:
        # A closing bracket belongs to the URL only when the URL opened one.
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return start, end


def verbatim_spans(text: str, *, latin_words: bool = True) -> list[tuple[int, int]]:
    """Return the (start, end) spans of ``text`` to keep as written, in order.

    ``latin_words`` also keeps runs of Latin-script words (for a non-Latin source).

    >>> text = "ميزانية COP22 على www.rabat.ma، راسلونا: info@rabat.ma #ميزانية_الرباط"
    >>> [text[s:e] for s, e in verbatim_spans(text)]
    ['COP22', 'www.rabat.ma', 'info@rabat.ma', '#ميزانية_الرباط']
    >>> text = "اتصلوا بالرقم 0537 12 34 56 أو +212 5 22 00 11 22 سنة 2027."
    >>> [text[s:e] for s, e in verbatim_spans(text)]
    ['0537 12 34 56', '+212 5 22 00 11 22']
    """
    spans = [_trim(text, m.start(), m.end()) for m in _ADDRESS_RE.finditer(text)]
    phones = (m for m in _PHONE_RE.finditer(text) if 9 <= len(re.findall(_DIGIT, m.group())) <= 15)
    patterns = [phones, _LATIN_RE.finditer(text) if latin_words else iter(())]
    for matches in patterns:
        for match in matches:
            start, end = match.start(), match.end()
            if text[end - 1] == "." and "." not in text[start : end - 1]:
                end -= 1  # a sentence's full stop, not part of an abbreviation like "S.A."
            if end > start and not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def keep_spans(text: str, kept: frozenset[str] | set[str]) -> list[tuple[int, int]]:
    """Return the spans of ``text`` that are one of the ``kept`` strings (whole words).

    Used on a pivot translation: what the source kept must survive the second step.

    >>> keep_spans("The COP22 budget", {"COP22"})
    [(4, 9)]
    """
    if not kept:
        return []
    alternatives = "|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w#])(?:{alternatives})(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]
