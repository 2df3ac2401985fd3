"""The plugin's settings: one dataclass tree for ``AUTOTRANSLATE``, defaults here, checked once.

Every default lives in a dataclass field below; ``load_config`` reads the
``AUTOTRANSLATE`` dict against that tree (an unknown key or a value of the wrong
type is named), applies the environment and command-line overrides, and checks
the settings against each other (targets, pivot, the ``TRILINGUAL`` sections, the
device and compute type) before any work starts.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import StopBuild

ENGINES = ("argos", "pseudo")
# Pseudo builds' catalogs, next to the content folder (.cache/ is not committed).
PSEUDO_CATALOG_DIR = Path(".cache") / "pseudo-translations"
# Languages the pipeline knows how to split, translate and render.
KNOWN_LANGUAGES = frozenset({"ar", "en", "fr", "es", "de", "it", "pt", "nl", "tr", "zgh"})
DEVICES = ("cpu", "cuda", "auto")
BATCH_TYPES = ("examples", "tokens")
# CTranslate2 compute types: these run anywhere; the CUDA ones need a GPU.
CPU_COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32", "auto", "default")
CUDA_COMPUTE_TYPES = ("float16", "int8_float16", "bfloat16", "int8_bfloat16")
COMPUTE_TYPES = CPU_COMPUTE_TYPES + CUDA_COMPUTE_TYPES


class ConfigError(StopBuild, ValueError):
    """A setting is unknown or has a bad value; the message names it and the fix."""


@dataclass(frozen=True)
class ArgosSettings:
    """How the Argos engine finds packages and runs CTranslate2 (``AUTOTRANSLATE['argos']``)."""

    packages_dir: str | Path = ""  # "": ARGOS_PACKAGES_DIR, else Argos's default folder
    inter_threads: int = 1
    intra_threads: int = 0  # 0 lets CTranslate2 pick (all cores, capped at 4)
    max_batch_size: int = 32
    batch_type: str = "examples"
    # Argos uses 4; on a 2-core build machine 2 beams roughly halve decoder work
    # for a small quality loss, and machine output is reviewed anyway.
    beam_size: int = 2
    compute_type: str = "int8"
    # cpu, cuda, or auto (CUDA when CTranslate2 sees a device); load_config resolves auto.
    device: str = "cpu"
    # Texts per translate_batch call: big enough to fill batches, small enough
    # that progress is reported every few seconds on a real model.
    chunk_size: int = 256

    def __post_init__(self) -> None:
        where = "AUTOTRANSLATE['argos']"
        _require(
            self.batch_type in BATCH_TYPES,
            f"{where}['batch_type']",
            f"must be one of {', '.join(BATCH_TYPES)}, not {self.batch_type!r}",
        )
        _require(
            self.compute_type in COMPUTE_TYPES,
            f"{where}['compute_type']",
            f"must be one of {', '.join(COMPUTE_TYPES)}, not {self.compute_type!r}",
        )
        _require(
            self.device in DEVICES,
            f"{where}['device']",
            f"must be one of {', '.join(DEVICES)}, not {self.device!r}",
        )
        for name in ("inter_threads", "max_batch_size", "beam_size", "chunk_size"):
            _require(getattr(self, name) >= 1, f"{where}[{name!r}]", "must be at least 1")
        _require(
            self.intra_threads >= 0, f"{where}['intra_threads']", "must be 0 (automatic) or more"
        )


@dataclass(frozen=True)
class AutotranslateConfig:
    """Validated settings of one build (``AUTOTRANSLATE`` in pelicanconf.py)."""

    source: str = "ar"
    targets: tuple[str, ...] = ("en", "fr")
    pivot: str | None = "en"
    engine: str = "argos"
    catalog_dir: Path = Path("translations")  # relative to Pelican's PATH
    glossary: Path | None = Path("glossary.tsv")  # relative to PATH; None: no glossary
    strict: bool = False
    checkpoint_segments: int = 256
    lock_timeout: float = 120.0
    progress: bool = True
    # Name the source language's category and tag pages after their translation into
    # this language (e.g. /category/local-affairs.html), not Pelican's transliteration.
    term_slugs_from: str | None = None
    argos: ArgosSettings = field(default_factory=ArgosSettings)
    # Where a pseudo build writes its catalogs: it reads the memory but never writes
    # it. Default: .cache/pseudo-translations/content beside the content folder.
    pseudo_catalog_dir: Path | None = None

    def direction_plan(self, target: str) -> tuple[str, ...]:
        """Return the chain of languages a target is reached through, e.g. ar→en→fr."""
        if self.pivot and target != self.pivot and self.pivot in self.targets:
            return (self.source, self.pivot, target)
        return (self.source, target)

    def engine_directions(self) -> tuple[tuple[str, str], ...]:
        """Return the model directions the targets need, pivot first: (ar, en), (en, fr)...

        >>> AutotranslateConfig(targets=("en", "fr", "es")).engine_directions()
        (('ar', 'en'), ('en', 'fr'), ('en', 'es'))
        """
        pairs: dict[tuple[str, str], None] = {}
        for target in sorted(self.targets, key=lambda lang: lang != self.pivot):
            chain = self.direction_plan(target)
            pairs.update(dict.fromkeys(pairwise(chain)))
        return tuple(pairs)


def _require(condition: bool, key: str, message: str) -> None:
    """Raise ConfigError naming ``key`` unless ``condition`` holds."""
    if condition:
        return
    if key.startswith(("--", "environment")):
        raise ConfigError(f"{key}: {message}")
    where = key if key.startswith("AUTOTRANSLATE") else f"AUTOTRANSLATE[{key!r}]"
    raise ConfigError(f"{where}: {message} (in pelicanconf.py)")


def _is_type(value: Any, hint: Any) -> bool:
    """Tell whether a raw setting fits a field's type (a bool is never an int here)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_is_type(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False  # True is an int to Python, never a count or a path to us
    if hint is float:
        return isinstance(value, int | float)
    if hint is Path:
        return isinstance(value, str | Path)
    if origin is tuple:
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, hint)


def _type_name(hint: Any) -> str:
    """Return a reader's name for a field type ("true or false", "a list of codes"...)."""
    names = {
        bool: "True or False",
        int: "a whole number",
        float: "a number",
        str: "a string",
        Path: "a path (string)",
        type(None): "None",
    }
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arm) for arm in typing.get_args(hint))
    if typing.get_origin(hint) is tuple:
        return "a list of strings"
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def _read_section(cls: type, raw: Any, where: str) -> dict[str, Any]:
    """Check a settings dict against a dataclass: unknown keys and wrong types are named."""
    _require(isinstance(raw, Mapping), where, "must be a dict")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        _require(
            key in known, f"{where}[{key!r}]", f"unknown setting; known: {', '.join(sorted(known))}"
        )
        hint = hints[key]
        if is_dataclass(hint):
            values[key] = hint(**_read_section(hint, value, f"{where}[{key!r}]"))
            continue
        _require(
            _is_type(value, hint), f"{where}[{key!r}]", f"must be {_type_name(hint)}, not {value!r}"
        )
        if typing.get_origin(hint) is tuple:
            value = tuple(value)
        elif hint is float:
            value = float(value)
        values[key] = value
    return values


def _language(value: str, key: str) -> str:
    _require(
        value in KNOWN_LANGUAGES,
        key,
        f"unknown language code {value!r}; use one of {', '.join(sorted(KNOWN_LANGUAGES))}",
    )
    return value


def _from_path(content_root: Path, path: Path | str | None) -> Path | None:
    """Return a setting's path, relative paths taken from Pelican's PATH."""
    if not path:
        return None
    path = Path(path)
    return path if path.is_absolute() else content_root / path


def cuda_device_count() -> int:
    """Return how many CUDA devices CTranslate2 sees (0 when it cannot look)."""
    try:
        import ctranslate2
    except ImportError:
        return 0
    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:  # a CUDA driver that cannot be initialised counts as none
        return 0


def resolve_device(
    argos: ArgosSettings, cuda_devices: Callable[[], int] | None, origin: str
) -> ArgosSettings:
    """Return the settings with ``auto`` resolved; refuse a device or compute type that cannot run.

    ``origin`` names where the device came from (a setting or a flag), for the message.
    ``cuda_devices`` None leaves the device to be resolved where the work runs (a cluster).
    """
    compute_origin = "AUTOTRANSLATE['argos']['compute_type']"
    device = argos.device
    if device == "cpu" and argos.compute_type in CUDA_COMPUTE_TYPES:
        raise ConfigError(
            f"{compute_origin}: {argos.compute_type!r} needs a CUDA device but {origin} is "
            "'cpu'; use 'int8' (or 'float32') on CPU, or device 'cuda' on a GPU machine."
        )
    if device == "cpu" or cuda_devices is None:
        return argos
    count = cuda_devices()
    if device == "cuda" and count < 1:
        raise ConfigError(
            f"{origin}: 'cuda' asked, but CTranslate2 sees no CUDA device "
            "(ctranslate2.get_cuda_device_count() is 0); use 'cpu' or 'auto' here, "
            "or run on a machine with an NVIDIA GPU and its driver."
        )
    resolved = "cuda" if count >= 1 else "cpu"
    if resolved == "cpu" and argos.compute_type in CUDA_COMPUTE_TYPES:
        raise ConfigError(
            f"{compute_origin}: {argos.compute_type!r} needs a CUDA device; {origin} is 'auto' "
            "and CTranslate2 sees none. Use 'int8' (it runs on both), or device 'cuda' on a GPU."
        )
    return replace(argos, device=resolved)


def _check_sections(settings: Mapping[str, Any], source: str, targets: tuple[str, ...]) -> None:
    """Check AUTOTRANSLATE's languages against the TRILINGUAL sections, when there are any."""
    sections = settings.get("TRILINGUAL")
    if not isinstance(sections, Mapping) or not isinstance(sections.get("languages"), Mapping):
        return  # absent or malformed: plugins/trilingual names that problem itself
    codes = list(sections["languages"])
    default = sections.get("default", codes[0] if codes else None)
    if default != source:
        raise ConfigError(
            f"TRILINGUAL['default'] is {default!r} but AUTOTRANSLATE['source'] is {source!r}: "
            "the original section must be the source language (in pelicanconf.py)."
        )
    for lang in targets:
        if lang not in codes:
            raise ConfigError(
                f"AUTOTRANSLATE['targets'] has {lang!r} but TRILINGUAL['languages'] has no "
                f"{lang!r} section: add one (prefix, locale, sitename) in pelicanconf.py, "
                "or drop the target."
            )
    for lang in codes:
        if lang != source and lang not in targets:
            raise ConfigError(
                f"TRILINGUAL['languages'] has a {lang!r} section but AUTOTRANSLATE['targets'] "
                f"lacks {lang!r}, so it would stay empty: add the target or drop the section."
            )


def _env_flag(environ: Mapping[str, str], name: str) -> bool | None:
    """Read a 0/1 environment variable; None when unset."""
    value = environ.get(name, "")
    if value == "":
        return None
    _require(value in ("0", "1"), f"environment variable {name}", f"must be 0 or 1, not {value!r}")
    return value == "1"


def load_config(
    settings: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    *,
    engine: str = "",
    device: str = "",
    cuda_devices: Callable[[], int] | None = cuda_device_count,
) -> AutotranslateConfig:
    """Build the checked config from Pelican settings, the environment and flags.

    ``AUTOTRANSLATE_ENGINE`` (argos|pseudo) and ``AUTOTRANSLATE_STRICT`` (0|1)
    override the settings for one build; ``engine`` and ``device`` (the
    ``--engine``/``--device`` flags of ``invoke translate``) override both.
    ``cuda_devices=None`` defers the device check to the cluster that will run the
    work. Relative paths are taken from Pelican's PATH.
    """
    environ = os.environ if environ is None else environ
    values = _read_section(
        AutotranslateConfig, settings.get("AUTOTRANSLATE") or {}, "AUTOTRANSLATE"
    )
    config = AutotranslateConfig(**values)

    source = _language(config.source, "source")
    _require(bool(config.targets), "targets", "must list at least one language")
    targets = tuple(_language(t, "targets") for t in config.targets)
    _require(source not in targets, "targets", "must not contain the source language")
    _require(len(set(targets)) == len(targets), "targets", "lists a language twice")
    if config.pivot is not None:
        _require(
            config.pivot in targets,
            "pivot",
            f"{config.pivot!r} is not one of the targets {list(targets)}; "
            "name one of them, or None to translate every target directly",
        )
    if config.term_slugs_from is not None:
        _require(config.term_slugs_from in targets, "term_slugs_from", "must be one of the targets")
    _require(str(config.catalog_dir) not in ("", "."), "catalog_dir", "must name a folder")
    _require(config.checkpoint_segments >= 1, "checkpoint_segments", "must be at least 1")
    _require(config.lock_timeout >= 0, "lock_timeout", "must be 0 or more seconds")
    _check_sections(settings, source, targets)

    engine_origin = "AUTOTRANSLATE['engine']"
    chosen = config.engine
    if environ.get("AUTOTRANSLATE_ENGINE"):
        chosen, engine_origin = environ["AUTOTRANSLATE_ENGINE"], "environment AUTOTRANSLATE_ENGINE"
    if engine:
        chosen, engine_origin = engine, "--engine"
    _require(
        chosen in ENGINES,
        engine_origin,
        f"unknown engine {chosen!r}; use one of {', '.join(ENGINES)}",
    )

    argos = config.argos
    device_origin = "AUTOTRANSLATE['argos']['device']"
    if device:
        _require(
            device in DEVICES, "--device", f"must be one of {', '.join(DEVICES)}, not {device!r}"
        )
        argos, device_origin = replace(argos, device=device), "--device"
    if chosen == "argos":
        argos = resolve_device(argos, cuda_devices, device_origin)

    content_root = Path(settings.get("PATH", "content"))
    pseudo_dir = _from_path(content_root, config.pseudo_catalog_dir)
    _require(
        pseudo_dir is None or pseudo_dir.resolve() != (content_root / config.catalog_dir).resolve(),
        "pseudo_catalog_dir",
        "must not be the catalog_dir: pseudo output never enters the translation memory",
    )
    strict_env = _env_flag(environ, "AUTOTRANSLATE_STRICT")
    return replace(
        config,
        targets=targets,
        engine=chosen,
        catalog_dir=content_root / config.catalog_dir,
        glossary=_from_path(content_root, config.glossary),
        strict=config.strict if strict_env is None else strict_env,
        argos=argos,
        # Named after the content folder too: two content folders side by side (tests,
        # benchmark sites) never share pseudo catalogs.
        pseudo_catalog_dir=pseudo_dir
        or content_root.parent / PSEUDO_CATALOG_DIR / content_root.name,
    )
