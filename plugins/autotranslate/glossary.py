"""The site glossary: names the engine must render exactly as an editor wrote them.

Each term is turned into a placeholder before the engine sees the sentence and
replaced by the glossary's form afterwards, so the model can neither mistranslate
nor drop it (a lost placeholder is put back at the end of the sentence).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import StopBuild
from .segmenter import Piece, Sentence

NOTE = "note"  # a free column for translators, never used by the engine
# Beside the catalogs: the glossary as the last build applied it, to see what changed.
APPLIED_NAME = "glossary-applied.tsv"
KEEP = "="
# Arabic proclitics that may be written onto a name: و ف ب ل ك (and, so, in, for, like).
_PROCLITICS = "[وفبلك]{0,2}"


class GlossaryError(StopBuild, ValueError):
    """The glossary file is malformed; the message names the file, line and fix."""


@dataclass(frozen=True)
class Glossary:
    """Rows of {language code: form}; ``original`` is the language the articles are in."""

    rows: tuple[dict[str, str], ...] = ()
    original: str = "ar"

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
    """
    if path is None or not path.exists():
        return Glossary((), languages[0])
    rows: list[dict[str, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
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
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        row = dict(zip(header, cells, strict=False))
        if len(cells) < width or not all(row.get(lang) for lang in languages):
            raise GlossaryError(
                f"{path}:{number}: expected at least {width} tab-separated cells "
                f"({', '.join(header[:width])}); use '=' to keep a term as it is written."
            )
        rows.append(row)
    return Glossary(tuple(rows), languages[0])


def _term_pattern(terms, source: str) -> re.Pattern[str]:
    """Return a regex for the terms, longest first, with Arabic proclitics allowed."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    prefix = _PROCLITICS if source == "ar" else ""
    return re.compile(rf"(?<!\w)({prefix})({alternatives})(?!\w)")


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
    found = [match.group(2) for match in _term_pattern(terms, source).finditer(text)]
    return list(dict.fromkeys(found))


def protect_terms(sentence: Sentence, terms: dict[str, str], source: str) -> Sentence:
    """Return ``sentence`` with each glossary term turned into an atom holding its target form."""
    if not terms:
        return sentence
    pattern = _term_pattern(terms, source)
    pieces: list[Piece] = []
    changed = False
    for piece in sentence.pieces:
        if piece.atom is not None:
            pieces.append(piece)
            continue
        cursor = 0
        for match in pattern.finditer(piece.text):
            changed = True
            before = piece.text[cursor : match.start(2)]
            if before:
                pieces.append(Piece(before, piece.path))
            form = html.escape(terms[match.group(2)], quote=False)
            pieces.append(Piece("", piece.path, form))
            cursor = match.end(2)
        if cursor < len(piece.text):
            pieces.append(Piece(piece.text[cursor:], piece.path))
    return Sentence(tuple(pieces)) if changed else sentence
