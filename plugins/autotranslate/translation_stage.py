"""The translation stage of a build: read every source once, translate, write the contract.

It runs in the driver before any section (and at ``initialized`` in a plain
``pelican`` run). It reads the articles and pages as the original language's
section does, decides what every section leaves out, looks every sentence up in
the memory, translates what is missing, writes the catalogs, prints the summary,
and saves one ``BuildTranslations`` with the digest of its inputs. The sections
then only attach what the contract holds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import AutotranslateConfig, load_config
from .contract import BuildTranslations
from .contract_file import save_contract, saved_contract
from .engines import create_engine
from .engines.base import Engine
from .engines.offline import MemoryOnlyEngine
from .orphans import orphaned_catalogs
from .pipeline import TranslationFailed
from .progress import EngineProgress
from .refusals import pages_on_fixed_files, unbuildable_articles
from .sources import PAGE_CATALOG_PREFIX, SiteContents, contents_to_translate, read_contents
from .translations import translate_sources

log = logging.getLogger(__name__)
# The reader cache of the stage, beside the section runs' own (under CACHE_PATH).
READER_CACHE = "autotranslate_stage"
# Bumped when what the digest covers changes.
DIGEST_VERSION = "1"
# Packages whose code shapes the stage's result (reading, segmenting, rendering).
DIGESTED_PACKAGES = ("pelican", "markdown", "babel", "argostranslate", "ctranslate2")
# Where this build's contract and plan are: not what the translations are made from.
UNDIGESTED_SETTINGS = frozenset(
    {"AUTOTRANSLATE_CONTRACT", "TRILINGUAL_INCREMENTAL", "TRILINGUAL_CHECK_SKIPS"}
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def run_translation_stage(
    settings: Mapping[str, Any],
    contract_file: Path,
    *,
    config: AutotranslateConfig | None = None,
    offline_memory: bool = False,
    engine_factory: Callable[[], Engine] | None = None,
) -> tuple[BuildTranslations, str]:
    """Translate the site and save the contract; return it with the digest of its inputs.

    ``settings`` are the original language's section settings; ``config`` their checked
    AUTOTRANSLATE with a command line's flags applied. ``engine_factory`` makes the
    engine the first time one is needed (``invoke translate --cluster``); by default
    the configured one. ``offline_memory``: load no engine; what the memory lacks is
    shown in the source language.
    """
    config = config or load_config(settings)
    contents = read_contents(settings, config, READER_CACHE)
    # Left out first: a file that is not published takes no slug from another.
    refused = unbuildable_articles(contents.published(contents.articles), settings)
    page_files = pages_on_fixed_files(contents.published(contents.pages), settings)
    sources = contents_to_translate(contents, config, {**refused, **page_files})
    _report_unreadable(
        config,
        [*contents.problems, *refused.values(), *sources.problems],
        list(dict.fromkeys(contents.left_out.values())),
    )
    for message in page_files.values():
        log.error("%s", message)
    texts = sources.texts()
    digest = inputs_digest(settings, config, contents, offline_memory)
    saved = saved_contract(contract_file)
    if saved and saved[0] == digest and _complete(saved[1]):
        # Nothing the translations are made from changed, and nothing was missing (an
        # engine installed since could translate it): the last build's result stands.
        log.debug("autotranslate: inputs unchanged since the last build; its result is reused")
        translations = replace(saved[1], sent=0)
    else:
        if offline_memory:
            engine_factory = MemoryOnlyEngine
        translations = _translate(config, texts, engine_factory or (lambda: create_engine(config)))
        # The digest of the inputs as this stage leaves them (it wrote catalogs).
        digest = inputs_digest(settings, config, contents, offline_memory)
    known = {article.slug for article in contents.articles}
    segments = {text.key: {s.html() for s in text.sentences()} for text in texts}
    orphans = orphaned_catalogs(config.catalog_dir, known, segments, config.source)
    kept = {**contents.left_out, **refused}
    pages = [c for c, key in zip(sources.contents, sources.keys, strict=True) if is_page(key)]
    originals = [*(a for a in contents.articles if str(a.source_path) not in kept), *pages]
    _report(translations, config.strict, [o.message() for o in orphans], invented_slugs(originals))
    translations = replace(translations, left_out={**kept, **page_files})
    save_contract(contract_file, translations, digest)
    return translations, digest


def is_page(key: str) -> bool:
    """Tell whether a catalog key names a page (pages have their own catalog folder)."""
    return key.startswith(PAGE_CATALOG_PREFIX)


def _complete(translations: BuildTranslations) -> bool:
    """Tell whether a result lacks nothing an engine or a fixed catalog could add."""
    return not (translations.missing or translations.unavailable or translations.unreadable)


def inputs_digest(
    settings: Mapping[str, Any],
    config: AutotranslateConfig,
    contents: SiteContents,
    offline_memory: bool = False,
) -> str:
    """Return the digest of what the stage's result is made from.

    The settings, the checked config, this plugin's code and the packages that segment
    and render, every source read, and every file of the memory (and of a pseudo
    build's catalogs) and the glossary.
    """
    hasher = hashlib.blake2b(digest_size=16)

    def feed(*parts: str | bytes) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            hasher.update(len(data).to_bytes(8, "little"))
            hasher.update(data)

    feed(DIGEST_VERSION, repr(config), str(offline_memory))
    for name in sorted(k for k in settings if k not in UNDIGESTED_SETTINGS):
        # An object's address in its repr would make every digest new: never reused.
        feed(name, _ADDRESS.sub("", repr(settings[name])))
    for package in DIGESTED_PACKAGES:
        try:
            feed(package, importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            feed(package, "-")
    code = sorted(p for p in Path(__file__).parent.rglob("*.py") if "__pycache__" not in p.parts)
    sources = sorted(Path(c.source_path) for c in (*contents.articles, *contents.pages))
    memory = [
        path
        for folder in (config.catalog_dir, config.pseudo_catalog_dir)
        if folder and Path(folder).is_dir()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file() and not path.name.endswith((".lock", ".tmp"))
    ]
    for path in [*code, *sources, *memory, *([config.glossary] if config.glossary else [])]:
        try:
            feed(str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        except OSError:
            feed(str(path), b"-")
    return hasher.hexdigest()


def _translate(config, texts, engine_factory) -> BuildTranslations:
    """Translate the source texts into the build's frozen translations; close the engine."""
    progress = EngineProgress(enabled=config.progress)
    made: list[Engine] = []

    def make() -> Engine:
        made.append(engine_factory())
        return made[-1]

    try:
        return translate_sources(config, texts, make, progress)
    finally:
        progress.close()
        for engine in made:
            if hasattr(engine, "close"):
                engine.close()


def _report_unreadable(config, unreadable: list[str], left_out: list[str]) -> None:
    """Log every article that cannot be built and every file left out; fail in strict mode."""
    for message in unreadable:
        log.error(message)
    for message in left_out:
        log.warning("%s", message)
    failures = []
    if unreadable:
        failures.append(f"{len(unreadable)} article(s) could not be read")
    if left_out:
        failures.append(f"{len(left_out)} file(s) or link(s) were left out of the site")
    if config.strict and failures:
        raise TranslationFailed(f"strict mode: {' and '.join(failures)} (above)")


def invented_slugs(contents: Iterable[Any]) -> list[str]:
    """Return one warning per article or page whose slug Pelican made from its title."""
    return [
        f"{content.source_path}: no Slug: line, so Pelican made the slug {content.slug!r} "
        "from the title; add `Slug: " + str(content.slug) + "` (or another) to the file: "
        "without it the URL and the translation catalogs move whenever the title changes."
        for content in sorted(contents, key=lambda c: str(c.source_path))
        if "slug" not in content.metadata
    ]


def _report(
    translations: BuildTranslations, strict: bool, orphaned: list[str], invented: list[str]
) -> None:
    """Print the build's translation summary; fail in strict mode when anything is missing."""
    for reason in translations.unavailable:
        log.warning("autotranslate: no engine for %s", reason)
    for problem in [*translations.problems, *orphaned, *invented]:
        log.warning("autotranslate: %s", problem)
    for message in translations.unreadable:
        log.error("autotranslate: %s Until then this language version is not built.", message)
    print(translations.summary_line())
    missing = translations.missing
    if missing:
        log.warning(
            "autotranslate: %d segments have no translation and are shown in the source "
            "language. Install models with `invoke models` (or `invoke models --from DIR` "
            "offline), or add translations to the catalogs.",
            missing,
        )
    if strict and (
        missing or translations.problems or translations.unavailable or orphaned or invented
    ):
        raise TranslationFailed(
            "autotranslate: strict mode: the build has missing translations or problems (above)."
        )
