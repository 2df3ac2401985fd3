"""What a translated page must tell its reader: reviewed, machine, mixed, and by what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autotranslate.contract import translation_of

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
    """Read a field a hand-written translation states, as attribute or as metadata."""
    value = getattr(article, name, None)
    if value is None:
        value = getattr(article, "metadata", {}).get(name)
    return value


def translation_info(article: Any, original_lang: str) -> TranslationInfo | None:
    """Return the translation notice data, or None when ``article`` is an original.

    A version the translation stage made carries its typed record (read first);
    a hand-written translation file may state ``translation_status`` and
    ``translation_engines`` as Markdown metadata (text). An article in another
    language is an original too (a French press release) when it claims no
    translation status and no original-language version exists.
    """
    if article.lang == original_lang:
        return None
    made = translation_of(article)
    if made is not None:
        version = made.version
        # A fully reviewed translation names no engine, whatever produced its first
        # draft: the reader is told a person vouches for all of it.
        engines = () if version.status == "reviewed" else version.engines
        counts = version.counts
        return TranslationInfo(
            version.status, engines, made.original, int(counts.get("reviewed", 0)),
            sum(counts.values()),
        )  # fmt: skip
    status = str(_field(article, "translation_status") or "").strip().lower()
    if status and status not in STATUSES:
        raise ValueError(f"{article.source_path}: unknown translation_status {status!r}")
    engines = _field(article, "translation_engines") or ()
    if isinstance(engines, str):
        engines = [e.strip() for e in engines.split(",")]
    # A fully reviewed translation names no engine, whatever produced its first
    # draft: the reader is told a person vouches for all of it.
    engines = () if status == "reviewed" else tuple(e for e in engines if e)
    original = next(
        (t for t in getattr(article, "translations", ()) if t.lang == original_lang), None
    )
    if original is None and not status:
        return None
    # Segment counts come only from the stage: a hand-written file makes no count claim.
    return TranslationInfo(status, engines, original)
