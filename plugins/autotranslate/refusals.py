"""Which articles and pages cannot be built because of their slug, and the message why.

Decided once per build by the translation stage, on the contents as the original
language's section reads them, so that every section leaves out the same files.
Pure: contents and settings in, ``{source path: message}`` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# File names hold 255 bytes; a catalog's temporary file adds about 20 to the slug.
MAX_SLUG_BYTES = 200


def _direct_template_files(settings: Mapping[str, Any]) -> set[str]:
    """Return the files Pelican writes for its direct templates (index, archives, search)."""
    return {
        settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        for name in settings.get("DIRECT_TEMPLATES", ())
    }


def unbuildable_articles(articles: Iterable[Any], settings: Mapping[str, Any]) -> dict[str, str]:
    """Return source path → why, for the articles whose slug cannot name their page.

    A slug too long for a file name, a slug another article already has, or one
    naming a page Pelican writes itself (``2026/index.html``) would stop the build
    or overwrite a page: such an article is left out, and the rest of the site builds.
    """
    taken: dict[tuple[str, str], str] = {}
    refused: dict[str, str] = {}
    direct = _direct_template_files(settings)
    for article in sorted(articles, key=lambda a: str(a.source_path)):
        slug, where = article.slug or "", str(article.source_path)
        length = len(slug.encode("utf-8"))
        # Pages Pelican writes at fixed places: period archives and direct templates.
        fixed = direct | {
            settings[key].format(date=article.date)
            for key in ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
            if settings.get(key) and getattr(article, "date", None)
        }
        if length > MAX_SLUG_BYTES:
            problem = (
                f"slug {slug[:40]!r}… is {length} bytes long, too long for a file name "
                f"(at most {MAX_SLUG_BYTES}); set a shorter Slug:"
            )
        elif (slug.casefold(), article.lang) in taken:
            problem = (
                f"slug {slug!r} is also used by {taken[(slug.casefold(), article.lang)]}; "
                "give one of them another Slug:"
            )
        elif article.save_as and article.save_as in fixed:
            problem = (
                f"slug {slug!r} names a page Pelican writes itself ({article.save_as}); "
                "set another Slug:"
            )
        else:
            # Case aside: on a case-insensitive disk Rabat.html and rabat.html are one file.
            taken[(slug.casefold(), article.lang)] = where
            continue
        refused[where] = f"{where}: {problem}. The article is not built."
    return refused


def pages_on_fixed_files(pages: Iterable[Any], settings: Mapping[str, Any]) -> dict[str, str]:
    """Return source path → why, for each page whose file is one Pelican writes itself.

    Pages live at the section root (``PAGE_SAVE_AS``), next to the home, archives and
    search pages: Pelican would stop the build on the second write.
    """
    direct = _direct_template_files(settings)
    refused = {}
    for page in pages:
        # Where the page is written in its own section (its translations land there too).
        own_file = settings["PAGE_SAVE_AS"].format(**page.url_format)
        if own_file in direct:
            refused[str(page.source_path)] = (
                f"{page.source_path}: slug {page.slug!r} names a page Pelican writes itself "
                f"({own_file}); set another Slug:. The page is not built."
            )
    return refused
