"""The site glossary: names the engine must render exactly as an editor wrote them.

Each term is turned into a placeholder before the engine sees the sentence and
replaced by the glossary's form afterwards, so the model can neither mistranslate
nor drop it (a lost placeholder is put back at the end of the sentence).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import StopBuild
from .segmenter import Piece, Sentence

NOTE = "note"  # a free column for translators, never used by the engine
# Beside the catalogs: the glossary as the last build applied it, to see what changed.
APPLIED_NAME = "glossary-applied.tsv"
KEEP = "="
# Arabic proclitics that may be written onto a name: و ف ب ل ك (and, so, in, for, like).
PROCLITICS = frozenset("وفبلك")
_END = ""  # marks, in the trie, that a term ends here


class GlossaryError(StopBuild, ValueError):
    """The glossary file is malformed; the message names the file, line and fix."""


def _is_word(ch: str) -> bool:
    """Tell whether ``ch`` is a word character (what a regex's ``\\w`` matches)."""
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class TermMatch:
    """One term found in a text: where it starts and ends, and the term as written."""

    start: int
    end: int
    term: str


class TermMatcher:
    """Finds glossary terms in text; built once per direction, fast for any glossary size.

    A term matches as a whole word, the longest one first; in Arabic it may carry
    up to two proclitics (و ف ب ل ك) written onto it. A character trie is walked
    from each word start, so the cost does not grow with the number of terms (a
    regex alternation of 10,000 terms costs about 3 ms per sentence).

    >>> matcher = TermMatcher({"فاس": "Fes", "فاس الجديد": "Fes Jdid"}, "ar")
    >>> [(m.start, m.end, m.term) for m in matcher.finditer("زار وبفاس الجديد، ثم فاسي")]
    [(6, 16, 'فاس الجديد')]
    """

    def __init__(self, terms: Mapping[str, str], source: str) -> None:
        self.terms = dict(terms)
        self.proclitics = PROCLITICS if source == "ar" else frozenset()
        self._trie: dict = {}
        for term in self.terms:
            node = self._trie
            for ch in term:
                node = node.setdefault(ch, {})
            node[_END] = term

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _longest_at(self, text: str, start: int) -> int:
        """Return the end of the longest term at ``start`` that ends a word (-1 if none)."""
        node, found = self._trie, -1
        for position in range(start, len(text)):
            node = node.get(text[position])
            if node is None:
                break
            if _END in node and (position + 1 == len(text) or not _is_word(text[position + 1])):
                found = position + 1
        return found

    def finditer(self, text: str) -> Iterator[TermMatch]:
        """Yield the terms in ``text``, left to right, without overlaps."""
        position = 0
        while position < len(text):
            if position and _is_word(text[position - 1]):
                position += 1
                continue
            # Greedy as the regex it replaces: two proclitics first, then one, then none.
            for skip in (2, 1, 0):
                head = text[position : position + skip]
                if len(head) < skip or any(ch not in self.proclitics for ch in head):
                    continue
                end = self._longest_at(text, position + skip)
                if end > 0:
                    yield TermMatch(position + skip, end, text[position + skip : end])
                    position = end
                    break
            else:
                position += 1


@dataclass(frozen=True)
class Glossary:
    """Rows of {language code: form}; ``original`` is the language the articles are in."""

    rows: tuple[dict[str, str], ...] = ()
    original: str = "ar"
    # "glossary.tsv:LINE: …" for each line that is not used, and why.
    problems: tuple[str, ...] = ()
    _matchers: dict = field(default_factory=dict, compare=False, repr=False)

    def matcher(self, source: str, target: str) -> TermMatcher:
        """Return the term finder for one direction (built once per glossary)."""
        if (source, target) not in self._matchers:
            self._matchers[(source, target)] = TermMatcher(self.mapping(source, target), source)
        return self._matchers[(source, target)]

    def mapping(self, source: str, target: str) -> dict[str, str]:
        """Return {term as written in ``source``: form to use in ``target``}."""
        result: dict[str, str] = {}
        for row in self.rows:
            # '=' means the term is written the same in that language as in the original.
            term, form = (row[self.original] if row.get(lang) == KEEP else row.get(lang, "")
                          for lang in (source, target))  # fmt: skip
            if term and form:
                result[term] = form
        return result


def load_glossary(
    path: Path | None, languages: Sequence[str] = ("ar", "en", "fr"), *, complete: bool = True
) -> Glossary:
    """Read the tab-separated glossary; a missing file is an empty one.

    The header names the columns: the original language first, then one column per
    language in any order, and ``note``. Every language in ``languages`` (the source
    and the targets) needs a column, and a cell in every row; ``complete=False``
    reads an older copy that may lack a column added since (no terms for it).
    A bad line is left out and named in ``problems`` (``glossary.tsv:LINE: …``); a
    header that cannot be used stops the build (GlossaryError).
    """
    if path is None or not path.exists():
        return Glossary((), languages[0])
    rows: list[dict[str, str]] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path}: not valid UTF-8; save it as UTF-8.") from error
    header = [cell.strip() for cell in lines[0].split("\t")] if lines else []
    expected = "<TAB>".join([*languages, NOTE])
    if not header or header[0] != languages[0]:
        raise GlossaryError(f"{path}:1: the first line must be the header '{expected}'.")
    if not complete:
        languages = [lang for lang in languages if lang in header]
    for lang in languages:
        if lang not in header:
            raise GlossaryError(
                f"{path}:1: the header has no {lang!r} column ({lang} is a target in "
                f"AUTOTRANSLATE): add one, e.g. '{expected}', with each term's {lang} form "
                "or '=' to keep it as written."
            )
    width = max(header.index(lang) for lang in languages) + 1
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        row = dict(zip(header, cells, strict=False))
        if len(cells) < width or not all(row.get(lang) for lang in languages):
            problems.append(
                f"{path}:{number}: expected at least {width} tab-separated cells "
                f"({', '.join(header[:width])}), none empty; use '=' to keep a term as it is "
                "written. This line is not used."
            )
            continue
        term = row[languages[0]]
        if term in first_line:
            problems.append(
                f"{path}:{number}: {term!r} is already on line {first_line[term]}; "
                "this line is not used."
            )
            continue
        first_line[term] = number
        rows.append(row)
    return Glossary(tuple(rows), languages[0], tuple(problems))


def changed_terms(old: Glossary, new: Glossary, source: str, target: str) -> set[str]:
    """Return the source terms added, removed or given another ``target`` form.

    >>> old = Glossary(({"ar": "فاس", "en": "Fes", "fr": "Fès"},))
    >>> meknes = {"ar": "مكناس", "en": "Meknes", "fr": "Meknès"}
    >>> new = Glossary(({"ar": "فاس", "en": "Fez", "fr": "Fès"}, meknes))
    >>> sorted(changed_terms(old, new, "ar", "en")), sorted(changed_terms(old, new, "ar", "fr"))
    (['فاس', 'مكناس'], ['مكناس'])
    """
    before, after = old.mapping(source, target), new.mapping(source, target)
    return {term for term in before.keys() | after.keys() if before.get(term) != after.get(term)}


def mentioned_terms(source_html: str, terms: set[str], source: str) -> list[str]:
    """Return the terms a source segment (an HTML fragment) mentions, in text order.

    >>> mentioned_terms("زار الوفد <a href='/x'>بفاس</a> اليوم", {"فاس", "مكناس"}, "ar")
    ['فاس']
    """
    if not terms:
        return []
    text = html.unescape(re.sub(r"<[^>]*>", "", source_html))
    found = [match.term for match in TermMatcher(dict.fromkeys(terms, ""), source).finditer(text)]
    return list(dict.fromkeys(found))


def protect_terms(
    sentence: Sentence, terms: TermMatcher | Mapping[str, str], source: str
) -> Sentence:
    """Return ``sentence`` with each glossary term turned into an atom holding its target form.

    Pass ``Glossary.matcher(...)`` when protecting many sentences: it is built once.
    """
    if not terms:
        return sentence
    matcher = terms if isinstance(terms, TermMatcher) else TermMatcher(terms, source)
    pieces: list[Piece] = []
    changed = False
    for piece in sentence.pieces:
        if piece.atom is not None:
            pieces.append(piece)
            continue
        cursor = 0
        for match in matcher.finditer(piece.text):
            changed = True
            before = piece.text[cursor : match.start]
            if before:
                pieces.append(Piece(before, piece.path))
            form = html.escape(matcher.terms[match.term], quote=False)
            pieces.append(Piece("", piece.path, form))
            cursor = match.end
        if cursor < len(piece.text):
            pieces.append(Piece(piece.text[cursor:], piece.path))
    return Sentence(tuple(pieces)) if changed else sentence
