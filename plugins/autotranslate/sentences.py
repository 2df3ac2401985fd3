"""Offline sentence splitting for Arabic, French and English news text.

Argos's own splitters (stanza, spaCy, MiniSBD) download models at run time; this
rule-based splitter needs nothing and knows Arabic punctuation.
"""

from __future__ import annotations

import re

# Sentence-final punctuation, Latin and Arabic (؟ Arabic question mark, ۔ Urdu full stop).
_FINAL = ".!?؟…۔"
# Closing quotes and brackets that stay with the sentence they end.
_CLOSERS = "\"'”’»)]}›"
_BOUNDARY_RE = re.compile(rf"[{re.escape(_FINAL)}]+[{re.escape(_CLOSERS)}]*(?=\s+|$)")
# Long sentences are cut again at these, strongest first (Arabic semicolon, then commas).
_SOFT_BREAKS = ("؛;", "،,")
_ABBREVIATIONS = frozenset(
    {"m", "mm", "mme", "mr", "mrs", "ms", "dr", "pr", "st", "no", "vs", "etc", "cf", "p", "art"}
)
MAX_SENTENCE_CHARS = 300


def _is_abbreviation(text: str, dot_index: int) -> bool:
    """Tell whether the dot at ``dot_index`` ends a known abbreviation or an initial."""
    word = re.search(r"(\w+)$", text[:dot_index])
    if not word:
        return False
    token = word.group(1)
    return token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _hard_spans(text: str) -> list[tuple[int, int]]:
    """Return sentence spans cut at sentence-final punctuation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if match.group(0)[0] == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a too-long span at soft punctuation (؛ then ،) near its middle."""
    if end - start <= max_chars:
        return [(start, end)]
    for marks in _SOFT_BREAKS:
        pattern = re.compile(rf"[{re.escape(marks)}](?=\s)|\s[{re.escape(marks)}](?=\S)")
        cuts = [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]
        if cuts:
            middle = (start + end) // 2
            cut = min(cuts, key=lambda c: abs(c - middle))
            return _cut_long(text, start, cut, max_chars) + _cut_long(text, cut, end, max_chars)
    return [(start, end)]


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in ``text``, whitespace excluded.

    >>> text = "انطلقت الأشغال اليوم. هل حضر الوزير؟ نعم"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['انطلقت الأشغال اليوم.', 'هل حضر الوزير؟', 'نعم']
    """
    spans: list[tuple[int, int]] = []
    for start, end in _hard_spans(text):
        for piece_start, piece_end in _cut_long(text, start, end, max_chars):
            segment = text[piece_start:piece_end]
            stripped = segment.strip()
            if not stripped:
                continue
            lead = len(segment) - len(segment.lstrip())
            spans.append((piece_start + lead, piece_start + lead + len(stripped)))
    return spans
