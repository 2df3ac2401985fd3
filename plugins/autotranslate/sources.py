"""Collect what there is to translate: the source-language articles, pages and their terms.

The build's hook collects from the generator Pelican already filled; ``invoke
translate`` reads the content the same way Pelican does, without building anything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import AutotranslateConfig
from .exclusions import (
    PROJECT_ROOT_SETTING,
    links_outside,
    project_root,
    section_language,
    unknown_languages,
)
from .pipeline import SourceText, source_text_for

log = logging.getLogger(__name__)
_SAFE_SLUG = re.compile(r"^[^\W_][\w.-]*$")
# Pages get their own catalog folder: a page and an article may share a slug.
PAGE_CATALOG_PREFIX = "pages/"
# Statuses the build publishes (hidden articles are built, reachable by link only).
TRANSLATED_STATUSES = ("published", "hidden")


def is_safe_slug(slug: str) -> bool:
    """Tell whether a slug can name files (no path separators, no '..', no leading '_').

    A slug starts with a letter or digit, so no article can take the name of the
    category and tag catalog (``_terms``).

    >>> [is_safe_slug(slug) for slug in ("rabat-2016", "../x", "a/b", "_terms")]
    [True, False, False, False]
    """
    return bool(_SAFE_SLUG.match(slug)) and ".." not in slug


def terms_of(content: Any) -> list[str]:
    """Return the category and tag names of an article (none for a page)."""
    terms = [getattr(content, "category", None), *(getattr(content, "tags", None) or [])]
    return [term.name for term in terms if term]


@dataclass(frozen=True)
class Sources:
    """The contents to translate (in one fixed order) and why others cannot be."""

    contents: tuple[Any, ...]  # Pelican Article/Page objects, sorted by source path
    keys: tuple[str, ...]  # the catalog name of each content, same order
    problems: tuple[str, ...]  # one message per content that is not translated
    source_lang: str = "ar"
    # One message per file left out of the site on purpose (exclusions.py).
    left_out: tuple[str, ...] = ()

    def texts(self) -> list[SourceText]:
        """Segment every content (title, body, summary, terms), in order."""
        return [
            source_text_for(
                key,
                content.title,
                content._content,
                content.metadata.get("summary"),
                terms_of(content),
                self.source_lang,
            )
            for key, content in zip(self.keys, self.contents, strict=True)
        ]


def collect(contents: Iterable[Any], config: AutotranslateConfig, key_prefix: str = "") -> Sources:
    """Segment every source-language content; name each one whose slug cannot name a file."""
    chosen, problems = [], []
    for content in contents:
        if content.lang != config.source:
            continue
        if not is_safe_slug(content.slug):
            problems.append(
                f"{content.source_path}: slug {content.slug!r} cannot name a catalog file; "
                "set a Slug: of letters, digits and hyphens. It is not translated."
            )
            continue
        chosen.append(content)
    # Each section run lists contents in its own order; the shared work needs one order.
    chosen.sort(key=lambda content: content.source_path)
    keys = tuple(key_prefix + content.slug for content in chosen)
    return Sources(tuple(chosen), keys, tuple(problems), config.source)


def merge(*parts: Sources) -> Sources:
    """Return the sources of several collections, in the given order."""
    return Sources(
        tuple(c for part in parts for c in part.contents),
        tuple(k for part in parts for k in part.keys),
        tuple(p for part in parts for p in part.problems),
        parts[0].source_lang if parts else "ar",
        tuple(m for part in parts for m in part.left_out),
    )


@dataclass(frozen=True)
class SiteContents:
    """Every article and page Pelican would read, what it cannot read and what is left out."""

    articles: tuple[Any, ...]  # every language and status, by source path
    pages: tuple[Any, ...]
    problems: tuple[str, ...]  # one message per file Pelican cannot read
    # Source path (absolute, as Pelican names it) → why it is left out (exclusions.py).
    left_out: Mapping[str, str]

    def published(self, contents: Iterable[Any]) -> list[Any]:
        """Return the contents the build publishes (hidden ones included), not left out."""
        return [
            content
            for content in contents
            if getattr(content, "status", None) in TRANSLATED_STATUSES
            and str(content.source_path) not in self.left_out
        ]


def read_contents(
    settings: Mapping[str, Any], config: AutotranslateConfig, cache_name: str = ""
) -> SiteContents:
    """Read the site's articles and pages as Pelican would; nothing is written.

    ``cache_name`` names a Pelican content cache for the reader (none by default).
    """
    from pelican.contents import Article, Page
    from pelican.readers import Readers

    readers = Readers(dict(settings), cache_name)
    articles, article_problems, articles_out = _read(
        settings, config, readers, "ARTICLE_PATHS", "ARTICLE_EXCLUDES", Article
    )
    pages, page_problems, pages_out = _read(
        settings, config, readers, "PAGE_PATHS", "PAGE_EXCLUDES", Page
    )
    if cache_name:
        readers.save_cache()
    return SiteContents(
        tuple(articles),
        tuple(pages),
        tuple(article_problems + page_problems),
        {**articles_out, **pages_out},
    )


def read_site(settings: Mapping[str, Any], config: AutotranslateConfig) -> Sources:
    """Read the site's articles and pages as Pelican would, and collect what to translate.

    Nothing is written and no plugin runs: this is the input of ``invoke translate``.
    """
    return contents_to_translate(read_contents(settings, config), config)


def contents_to_translate(
    contents: SiteContents, config: AutotranslateConfig, refused: Mapping[str, str] | None = None
) -> Sources:
    """Collect the published source-language articles and pages, leaving out ``refused``."""

    refused = refused or {}

    def kept(found):
        return [c for c in contents.published(found) if str(c.source_path) not in refused]

    unreadable = Sources(
        (), (), contents.problems, config.source, tuple(dict.fromkeys(contents.left_out.values()))
    )
    return merge(
        collect(kept(contents.articles), config),
        collect(kept(contents.pages), config, PAGE_CATALOG_PREFIX),
        unreadable,
    )


def site_languages(config: AutotranslateConfig) -> tuple[str, ...]:
    """Return the languages the site has a section for (checked against TRILINGUAL)."""
    return (config.source, *config.targets)


def _read(
    settings: Mapping[str, Any],
    config: AutotranslateConfig,
    readers: Any,
    paths_key: str,
    excludes_key: str,
    content_class,
):
    """Return the valid contents under one kind of path (every status), read failures and
    source path → why, for the files left out (exclusions.py)."""
    import os

    from pelican.generators import Generator

    from .diagnose import explain_unreadable

    settings = dict(settings)
    # A generator instance only to list files with Pelican's own rules (IGNORE_FILES...).
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {}}
    lister = Generator(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings.get("OUTPUT_PATH", "output"),
    )
    problems = []
    files = lister.get_files(settings[paths_key], exclude=settings[excludes_key])
    root = project_root(settings["PATH"], settings.get(PROJECT_ROOT_SETTING))
    outside = links_outside(files, settings["PATH"], root)  # never read: they may be anything
    languages = site_languages(config)
    read = []
    for relative in sorted(files - outside.keys()):
        try:
            content = readers.read_file(
                base_path=settings["PATH"],
                path=relative,
                content_class=content_class,
                context=context,
            )
        except Exception:  # Pelican raises anything on a bad file; say which and why
            problems.append(explain_unreadable(Path(settings["PATH"]) / relative))
            continue
        # As the build's hook does before Pelican makes the content: FR is fr.
        content.lang = section_language(content.lang, languages) or content.lang
        read.append(content)
    unknown = unknown_languages(((c.source_path, c.lang) for c in read), languages)
    contents = [c for c in read if c.source_path not in unknown and c.is_valid()]
    # Keyed like a content's source_path (absolute), as the section runs compare.
    left_out = {
        os.path.abspath(os.path.join(settings["PATH"], path)): why for path, why in outside.items()
    }
    left_out.update({str(path): why for path, why in unknown.items()})
    return contents, problems, left_out
