"""The plugin's settings: one ``AUTOTRANSLATE`` dict, defaults merged, checked once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENGINES = ("argos", "pseudo")
# Languages the pipeline knows how to split, translate and render.
KNOWN_LANGUAGES = frozenset({"ar", "en", "fr", "es", "de", "it", "pt", "nl", "tr", "zgh"})


class ConfigError(ValueError):
    """A setting is unknown or has a bad value; the message names it."""


@dataclass(frozen=True)
class ArgosSettings:
    """How the Argos engine runs CTranslate2."""

    packages_dir: str = ""
    inter_threads: int = 1
    intra_threads: int = 0
    max_batch_size: int = 32
    batch_type: str = "examples"
    beam_size: int = 2
    compute_type: str = "int8"


@dataclass(frozen=True)
class AutotranslateConfig:
    """Validated settings of one build."""

    source: str = "ar"
    targets: tuple[str, ...] = ("en", "fr")
    pivot: str | None = "en"
    engine: str = "argos"
    catalog_dir: Path = Path("content/translations")
    glossary: Path | None = None
    strict: bool = False
    checkpoint_segments: int = 256
    lock_timeout: float = 120.0
    progress: bool = True
    # Name the source language's category and tag pages after their translation into
    # this language (e.g. /category/local-affairs.html), not Pelican's transliteration.
    term_slugs_from: str | None = None
    argos: ArgosSettings = field(default_factory=ArgosSettings)

    def direction_plan(self, target: str) -> tuple[str, ...]:
        """Return the chain of languages a target is reached through, e.g. ar→en→fr."""
        if self.pivot and target != self.pivot and self.pivot in self.targets:
            return (self.source, self.pivot, target)
        return (self.source, target)


def _require(condition: bool, key: str, message: str) -> None:
    if not condition:
        raise ConfigError(f"AUTOTRANSLATE[{key!r}]: {message} (in pelicanconf.py)")


def _language(value: Any, key: str) -> str:
    _require(
        isinstance(value, str) and value in KNOWN_LANGUAGES,
        key,
        f"unknown language code {value!r}; use one of {', '.join(sorted(KNOWN_LANGUAGES))}",
    )
    return value


def _argos_settings(raw: Any) -> ArgosSettings:
    _require(isinstance(raw, dict), "argos", "must be a dict")
    known = {f.name: f for f in fields(ArgosSettings)}
    for key, value in raw.items():
        _require(key in known, f"argos.{key}", f"unknown key; known: {', '.join(known)}")
        expected = type(getattr(ArgosSettings(), key))
        _require(isinstance(value, expected), f"argos.{key}", f"must be {expected.__name__}")
    settings = ArgosSettings(**raw)
    _require(settings.inter_threads >= 1, "argos.inter_threads", "must be at least 1")
    _require(settings.intra_threads >= 0, "argos.intra_threads", "must be 0 (auto) or more")
    _require(settings.max_batch_size >= 1, "argos.max_batch_size", "must be at least 1")
    _require(settings.beam_size >= 1, "argos.beam_size", "must be at least 1")
    _require(
        settings.batch_type in ("examples", "tokens"), "argos.batch_type", "examples or tokens"
    )
    return settings


def load_config(
    settings: dict[str, Any], environ: dict[str, str] | None = None
) -> AutotranslateConfig:
    """Build the config from Pelican settings, with environment overrides applied.

    ``AUTOTRANSLATE_ENGINE`` (argos|pseudo) and ``AUTOTRANSLATE_STRICT`` (1) override
    the settings for one build. Relative paths are taken from Pelican's PATH.
    """
    environ = os.environ if environ is None else environ
    raw = dict(settings.get("AUTOTRANSLATE") or {})
    known = {f.name for f in fields(AutotranslateConfig)}
    for key in raw:
        _require(key in known, key, f"unknown setting; known: {', '.join(sorted(known))}")

    source = _language(raw.get("source", "ar"), "source")
    targets_raw = raw.get("targets", ("en", "fr"))
    _require(isinstance(targets_raw, list | tuple) and targets_raw, "targets", "must be a list")
    targets = tuple(_language(t, "targets") for t in targets_raw)
    _require(source not in targets, "targets", "must not contain the source language")
    pivot = raw.get("pivot", "en")
    if pivot is not None:
        pivot = _language(pivot, "pivot")

    engine = environ.get("AUTOTRANSLATE_ENGINE") or raw.get("engine", "argos")
    if engine not in ENGINES:
        origin = (
            "environment variable AUTOTRANSLATE_ENGINE"
            if environ.get("AUTOTRANSLATE_ENGINE")
            else "AUTOTRANSLATE['engine']"
        )
        raise ConfigError(f"{origin}: unknown engine {engine!r}; use one of {', '.join(ENGINES)}")

    content_root = Path(settings.get("PATH", "content"))
    catalog_dir = Path(raw.get("catalog_dir", "translations"))
    if not catalog_dir.is_absolute():
        catalog_dir = content_root / catalog_dir
    glossary = raw.get("glossary", "glossary.tsv")
    glossary_path = None
    if glossary:
        glossary_path = Path(glossary)
        if not glossary_path.is_absolute():
            glossary_path = content_root / glossary_path

    strict = bool(raw.get("strict", False)) or environ.get("AUTOTRANSLATE_STRICT", "") == "1"
    checkpoint = raw.get("checkpoint_segments", 256)
    _require(isinstance(checkpoint, int) and checkpoint >= 1, "checkpoint_segments", "must be >= 1")
    term_slugs_from = raw.get("term_slugs_from")
    if term_slugs_from is not None:
        _require(term_slugs_from in targets, "term_slugs_from", "must be one of the targets")
    lock_timeout = raw.get("lock_timeout", 120.0)
    _require(isinstance(lock_timeout, int | float) and lock_timeout >= 0, "lock_timeout", ">= 0")
    return AutotranslateConfig(
        source=source,
        targets=targets,
        pivot=pivot,
        engine=engine,
        catalog_dir=catalog_dir,
        glossary=glossary_path,
        strict=strict,
        checkpoint_segments=checkpoint,
        lock_timeout=float(lock_timeout),
        progress=bool(raw.get("progress", True)),
        term_slugs_from=term_slugs_from,
        argos=_argos_settings(raw.get("argos", {})),
    )
