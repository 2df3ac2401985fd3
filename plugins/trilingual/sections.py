"""The build driver: the translation stage, every language section at once, then the sitemap."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.settings import read_settings
from pelican.utils import clean_output_dir

from autotranslate.contract import BuildTranslations
from autotranslate.contract_file import CONTRACT_SETTING, contract_path, contract_setting
from autotranslate.translation_stage import run_translation_stage

from .languages import Language, SiteLanguages
from .manifest import (
    Manifest,
    load_manifest,
    manifest_path,
    record_file,
    remove_stale,
    save_manifest,
)
from .news_sitemap import news_limit, write_news_sitemaps
from .redirects import write_redirects
from .search import SearchIndexError, write_search_index
from .section_runs import build_sections
from .sharing import SharingSettings
from .sitemap import SitemapLimits, listed_pages, write_robots, write_sitemap
from .siteurl import check_site_url
from .static_files import SHARED_STATIC_SETTING, shared_static_url
from .templating import site_languages
from .writer import PLAN_SETTING, BuildPlan, merged_outputs

logger = logging.getLogger(__name__)


def section_overrides(
    base: Mapping[str, Any], languages: SiteLanguages, language: Language, output: Path
) -> dict[str, Any]:
    """Return the settings that turn one Pelican run into the section of ``language``."""
    root = str(base.get("SITEURL", "")).rstrip("/")
    section_url = languages.section_url(root, language.code)
    is_original = language.code == languages.default
    overrides = {
        "DEFAULT_LANG": language.code,
        "OUTPUT_PATH": str(output / language.prefix) if language.prefix else str(output),
        "SITEURL": section_url,
        "FEED_DOMAIN": section_url,
        "TRILINGUAL_ROOT_URL": root,
        "SITENAME": language.sitename or base.get("SITENAME", ""),
        # The default author of every article of the section, and so of its feeds.
        "AUTHOR": language.author or base.get("AUTHOR", ""),
        # Each run caches content parsed with its own DEFAULT_LANG.
        "CACHE_PATH": str(Path(base["CACHE_PATH"]) / language.code),
        # The driver empties the output once; a run deleting its OUTPUT_PATH would
        # wipe the other sections (the original's section is the output root).
        "DELETE_OUTPUT_DIRECTORY": False,
        # Links are built from the language map, so they must not be rewritten
        # relative to each page.
        "RELATIVE_URLS": False,
        # Other-language articles keep URLs relative to their own section and
        # are not written here: their own run writes them.
        "ARTICLE_LANG_URL": base["ARTICLE_URL"],
        "ARTICLE_LANG_SAVE_AS": "",
        "PAGE_LANG_URL": base["PAGE_URL"],
        "PAGE_LANG_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "DRAFT_PAGE_LANG_SAVE_AS": "",
        # A file without a Lang: line is in the site's original language whatever the
        # run's language (Pelican would take it as the run's own, e.g. Arabic as French).
        "DEFAULT_METADATA": {**base.get("DEFAULT_METADATA", {}), "lang": languages.default},
        # Static files get that language too: one copy, whatever the run's language.
        "STATIC_LANG_URL": base.get("STATIC_URL", "{path}"),
        "STATIC_LANG_SAVE_AS": base.get("STATIC_SAVE_AS", "{path}"),
    }
    if not is_original:
        # One stylesheet and one copy of each image for the whole site, copied by the
        # original's run; {static} links of this section lead there.
        overrides["THEME_STATIC_PATHS"] = []
        overrides[SHARED_STATIC_SETTING] = True
        overrides["STATIC_URL"] = overrides["STATIC_LANG_URL"] = shared_static_url(
            language.prefix, base.get("STATIC_URL", "{path}")
        )
    return overrides


def section_settings(
    settings_file: str, output: Path, overrides: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Return the complete Pelican settings of every section, original language first."""
    base = read_settings(settings_file, override=dict(overrides or {}))
    languages = site_languages(base)
    ordered = sorted(languages.languages, key=lambda lang: lang.code != languages.default)
    runs = []
    for language in ordered:
        run_overrides = dict(overrides or {})
        run_overrides.update(section_overrides(base, languages, language, output))
        runs.append(read_settings(settings_file, override=run_overrides))
    return runs


def short_summary(done: str) -> str:
    """Shorten Pelican's "Done: Processed …" line to its non-zero counts and the time.

    >>> short_summary("Done: Processed 6 articles, 0 drafts, 0 hidden articles, "
    ...               "1 page, 0 hidden pages and 0 draft pages in 0.38 seconds.\\n")
    '6 articles, 1 page in 0.38 s'
    >>> short_summary("something else")
    'something else'
    """
    text = " ".join(done.split())
    match = re.fullmatch(r"Done: Processed (.*) in ([\d.]+) seconds\.", text)
    if not match:
        return text  # not Pelican's usual line: pass it on whole
    counts = re.split(r", | and ", match.group(1))
    kept = [count for count in counts if not count.startswith("0 ")]
    return f"{', '.join(kept) or 'nothing'} in {match.group(2)} s"


@dataclass(frozen=True)
class SiteBuild:
    """What a build made: the output folder and, when the translation stage ran, its result."""

    output: Path
    translations: BuildTranslations
    # Pages and feeds rendered, files written and kept as they were, files removed.
    rendered: int = 0
    written: int = 0
    kept: int = 0
    removed: tuple[str, ...] = ()


def build_site(
    settings_file: str,
    output: Path,
    *,
    overrides: Mapping[str, Any] | None = None,
    full: bool = False,
    offline_memory: bool = False,
) -> SiteBuild:
    """Translate, then build every language section into ``output``, its sitemap and search.

    Stage 1, the translation stage, reads every source and saves the contract;
    stage 2 builds the sections side by side from it. Pages whose inputs did not
    change since the last build are kept as they are (``full``: every page is made
    again), and files the last build made that this one no longer makes are
    removed, before the search index is written. ``offline_memory``: no engine is
    loaded; what the committed memory lacks is shown in the source language.
    """
    output = Path(output).resolve()
    overrides = dict(overrides or {})
    base = read_settings(settings_file, override=dict(overrides))
    # Checked before the sections' URLs are made from it; every run gets the clean value.
    overrides["SITEURL"] = base["SITEURL"] = check_site_url(base.get("SITEURL", ""))
    # A bad SHARING value stops the build here, before any section is written.
    SharingSettings.from_setting(base.get("SHARING"))
    # So do bad sitemap limits (tests lower them; none may exceed the protocol's).
    sitemap_limits, news_max = SitemapLimits.from_settings(base), news_limit(base)
    manifest_file = manifest_path(base["CACHE_PATH"])
    previous, why_full = load_manifest(manifest_file, output)
    if base.get("DELETE_OUTPUT_DIRECTORY"):
        clean_output_dir(str(output), base.get("OUTPUT_RETENTION", []))
        previous, why_full = None, "DELETE_OUTPUT_DIRECTORY empties the output folder"
    elif full:
        why_full = "asked for (--full)"
    if why_full:
        logger.info("trilingual: full build: %s", why_full)
    output.mkdir(parents=True, exist_ok=True)
    plan = BuildPlan(output, manifest_file, full=bool(why_full))
    overrides[PLAN_SETTING] = plan.setting()
    runs = section_settings(settings_file, output, overrides)
    # Stage 1, in this process: the original language's section reads the sources as
    # the stage does, so the stage reads them with its settings.
    contract_file = contract_path(base["CACHE_PATH"])
    translations, digest = run_translation_stage(
        runs[0], contract_file, offline_memory=offline_memory
    )
    for settings in runs:
        settings[CONTRACT_SETTING] = contract_setting(contract_file, digest)
    # Stage 2: every section at once.
    results = build_sections(runs)
    for settings, result in zip(runs, results, strict=True):
        logger.info(
            "trilingual: section %r → %s: %s",
            settings["DEFAULT_LANG"],
            settings["OUTPUT_PATH"],
            short_summary(result.summary),
        )
    made = merged_outputs(result.made for result in results if result.made is not None)
    # Old addresses (content/redirects.tsv): noindex pages, so no sitemap lists them.
    made.files.update(write_redirects(output, base, made.targets, made.files))
    root = str(base.get("SITEURL", "")).rstrip("/")
    # The facts the writers recorded of the pages this build made (a kept page keeps
    # its previous record's): files an older build left are not advertised.
    pages = listed_pages(made.files)
    sitemaps = write_sitemap(output, root, pages=pages, limits=sitemap_limits)
    news = write_news_sitemaps(output, pages, site_languages(base).codes, limit=news_max)
    robots = write_robots(output, root, sitemaps[0], news)
    for path in (*sitemaps, *news, robots):
        made.files[path.relative_to(output).as_posix()] = record_file(path, "", "site")
    removed = remove_stale(output, previous, made.files, base.get("OUTPUT_RETENTION", []))
    logger.info(
        "trilingual: %d pages and feeds rendered, %d files written, %d kept as they were, "
        "%d removed",
        made.rendered,
        made.written,
        made.kept,
        len(removed),
    )
    save_manifest(manifest_file, Manifest(str(output), made.files))
    if base.get("TRILINGUAL_SEARCH", True):
        _index_for_search(output)
    return SiteBuild(output, translations, made.rendered, made.written, made.kept, tuple(removed))


def _index_for_search(output: Path) -> None:
    """Run the search indexer; a failure leaves the site usable, without search."""
    try:
        write_search_index(output)
    except SearchIndexError as error:
        logger.error("%s", error)
