"""What a translated page must tell its reader: reviewed, machine, mixed, and by what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("reviewed", "machine", "mixed", "incomplete")


@dataclass(frozen=True)
class TranslationInfo:
    """The provenance of one translated article, for its notice.

    ``status`` is "" when the article carries no status (a hand-written
    translation file): the notice then makes no claim either way.
    """

    status: str
    engines: tuple[str, ...]
    original: Any | None
    reviewed: int = 0  # segments a person reviewed (0 when counts are unknown)
    total: int = 0  # all segments (0 when counts are unknown)


def _field(article: Any, name: str) -> Any:
    """Read a field the translation plugin sets, as attribute or as metadata."""
    value = getattr(article, name, None)
    if value is None:
        value = getattr(article, "metadata", {}).get(name)
    return value


def translation_info(article: Any, original_lang: str) -> TranslationInfo | None:
    """Return the translation notice data, or None when ``article`` is an original.

    An article in another language is an original too (a French press release) when
    it claims no translation status and no original-language version exists.
    """
    if article.lang == original_lang:
        return None
    status = str(_field(article, "translation_status") or "").strip().lower()
    if status and status not in STATUSES:
        raise ValueError(f"{article.source_path}: unknown translation_status {status!r}")
    engines = _field(article, "translation_engines") or ()
    if isinstance(engines, str):
        engines = [e.strip() for e in engines.split(",")]
    # A fully reviewed translation names no engine, whatever produced its first
    # draft: the reader is told a person vouches for all of it.
    engines = () if status == "reviewed" else tuple(e for e in engines if e)
    original = _field(article, "translation_of")
    if original is None:
        original = next(
            (t for t in getattr(article, "translations", ()) if t.lang == original_lang), None
        )
    if original is None and not status:
        return None
    counts = _field(article, "translation_counts")
    # Only the translation plugin sets counts (a dict); a Markdown field is text.
    counts = counts if isinstance(counts, Mapping) else {}
    return TranslationInfo(
        status, engines, original, int(counts.get("reviewed", 0)), sum(counts.values())
    )
