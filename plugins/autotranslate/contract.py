"""The one contract between the translation stage and the site build: frozen values only.

The stage makes one ``BuildTranslations`` from the sources, the catalogs and the
settings; the Pelican hooks attach its parts to Articles; ``plugins/trilingual``
reads them through ``translation_of`` and ``parallel_of`` and nothing else. Pure:
no Pelican, no engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

STATUSES = ("reviewed", "machine", "mixed", "incomplete")
# The attributes the hooks set on Pelican content objects (read through the functions below).
_TRANSLATION_ATTRIBUTE = "autotranslate_translation"
_PARALLEL_ATTRIBUTE = "autotranslate_parallel"


def _frozen(mapping: Mapping) -> Mapping:
    """Return a read-only copy of a mapping."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class LanguageVersion:
    """One article or page in one target language, as the stage rendered it.

    ``title`` is escaped text, ``content``/``summary``/``blocks`` are sanitised HTML:
    everything from a catalog was checked against the source before it got here.
    """

    lang: str
    title: str
    content: str
    summary: str | None
    status: str  # one of STATUSES
    counts: Mapping[str, int]  # segments by memory status (reviewed, machine, stale, ...)
    engines: tuple[str, ...]  # provenance labels of the machine segments shown
    blocks: tuple[str, ...]  # one HTML fragment per source block, for the parallel view

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown translation status {self.status!r}")
        object.__setattr__(self, "counts", _frozen(self.counts))


@dataclass(frozen=True)
class SourceTranslations:
    """Every language version of one source article or page (by catalog key)."""

    key: str
    source_blocks: tuple[str, ...]  # the original's blocks, aligned with each version's
    # By language; a language whose catalog cannot be read is absent (not built).
    versions: Mapping[str, LanguageVersion]

    def __post_init__(self) -> None:
        object.__setattr__(self, "versions", _frozen(self.versions))


@dataclass(frozen=True)
class BuildTranslations:
    """What the translation stage gives the site build: results, terms, problems, counts.

    Every problem is in ``problems`` before anything is printed: the summary and the
    strict check read this value, never a live run.
    """

    source: str
    targets: tuple[str, ...]
    items: Mapping[str, SourceTranslations] = field(default_factory=dict)
    terms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lang → name → text
    problems: tuple[str, ...] = ()  # engine failures, markup shown as text...
    unavailable: tuple[str, ...] = ()  # directions without an engine, and why
    unreadable: tuple[str, ...] = ()  # catalogs left untouched, with file:line
    totals: Mapping[str, int] = field(default_factory=dict)  # segments shown, by status
    sent: int = 0  # segments sent to the engine
    # Source path → why the file is left out of every section (a link out of the
    # project, a Lang: that is no section, a slug that cannot name its page).
    left_out: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _frozen(self.items))
        object.__setattr__(self, "terms", _frozen({k: _frozen(v) for k, v in self.terms.items()}))
        object.__setattr__(self, "totals", _frozen(self.totals))
        object.__setattr__(self, "left_out", _frozen(self.left_out))

    @property
    def missing(self) -> int:
        """Return how many segments are shown untranslated."""
        return self.totals.get("missing", 0)

    def term(self, name: str, lang: str) -> str | None:
        """Return the translated category or tag name (escaped text), None if unknown."""
        return self.terms.get(lang, {}).get(name)

    def summary_line(self) -> str:
        """Return the one-line summary printed at the end of the stage."""
        total = sum(self.totals.values())
        parts = [f"{count} {status}" for status, count in self.totals.items() if count]
        return (
            f"autotranslate: {total} segments shown ({', '.join(parts) or 'none'}); "
            f"{self.sent} sent to the engine"
        )


@dataclass(frozen=True)
class TranslationOf:
    """What a machine-made language version knows of itself: its original and its version."""

    original: Any  # the source-language Pelican content object
    version: LanguageVersion


def attach_translation(content: Any, original: Any, version: LanguageVersion) -> None:
    """Mark a Pelican content object as the ``version`` of ``original``."""
    setattr(content, _TRANSLATION_ATTRIBUTE, TranslationOf(original, version))


def attach_parallel(content: Any, translations: SourceTranslations) -> None:
    """Give an original the aligned blocks of all its versions (the parallel view)."""
    setattr(content, _PARALLEL_ATTRIBUTE, translations)


def translation_of(content: Any) -> TranslationOf | None:
    """Return what the stage attached to a translated content object, if anything."""
    value = getattr(content, _TRANSLATION_ATTRIBUTE, None)
    return value if isinstance(value, TranslationOf) else None


def parallel_of(content: Any) -> SourceTranslations | None:
    """Return the translations the stage attached to an original, if anything."""
    value = getattr(content, _PARALLEL_ATTRIBUTE, None)
    return value if isinstance(value, SourceTranslations) else None


def contract_data(translations: BuildTranslations) -> dict[str, Any]:
    """Return ``translations`` as plain JSON-ready data (what the contract file holds)."""
    return {
        "source": translations.source,
        "targets": list(translations.targets),
        "items": {
            key: {
                "source_blocks": list(item.source_blocks),
                "versions": {
                    lang: {
                        "title": v.title,
                        "content": v.content,
                        "summary": v.summary,
                        "status": v.status,
                        "counts": dict(v.counts),
                        "engines": list(v.engines),
                        "blocks": list(v.blocks),
                    }
                    for lang, v in item.versions.items()
                },
            }
            for key, item in translations.items.items()
        },
        "terms": {lang: dict(names) for lang, names in translations.terms.items()},
        "problems": list(translations.problems),
        "unavailable": list(translations.unavailable),
        "unreadable": list(translations.unreadable),
        "totals": dict(translations.totals),
        "sent": translations.sent,
        "left_out": dict(translations.left_out),
    }


def contract_from_data(data: Mapping[str, Any]) -> BuildTranslations:
    """Return the BuildTranslations that ``contract_data`` gave ``data`` from."""
    items = {
        key: SourceTranslations(
            key=key,
            source_blocks=tuple(item["source_blocks"]),
            versions={
                lang: LanguageVersion(
                    lang=lang,
                    title=v["title"],
                    content=v["content"],
                    summary=v["summary"],
                    status=v["status"],
                    counts=v["counts"],
                    engines=tuple(v["engines"]),
                    blocks=tuple(v["blocks"]),
                )
                for lang, v in item["versions"].items()
            },
        )
        for key, item in data["items"].items()
    }
    return BuildTranslations(
        source=data["source"],
        targets=tuple(data["targets"]),
        items=items,
        terms=data["terms"],
        problems=tuple(data["problems"]),
        unavailable=tuple(data["unavailable"]),
        unreadable=tuple(data["unreadable"]),
        totals=data["totals"],
        sent=data["sent"],
        left_out=data["left_out"],
    )
