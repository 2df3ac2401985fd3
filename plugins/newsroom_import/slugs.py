"""Readable Latin slugs for imported posts: percent-decoded, transliterated, unique.

Transliteration is anyascii's (a maintained Unicode → ASCII table, Arabic included).
The slug rules of the build (autotranslate.sources.is_safe_slug, at most
MAX_SLUG_BYTES, one article per slug whatever its case, no page Pelican writes itself)
hold for every slug made here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from anyascii import anyascii

# Imported slugs stay well below the build's 200-byte limit: they name files and URLs.
MAX_IMPORTED_SLUG = 80
# Names of pages the build writes itself in a section ({name}.html, {year}/{name}.html).
RESERVED_SLUGS = frozenset(
    {"index", "archives", "categories", "tags", "search", "404", "sitemap", "robots", "drafts"}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def latin_name(text: str) -> str:
    """Return ``text`` transliterated to lowercase Latin letters, digits and hyphens.

    >>> latin_name("مراكش: المجلس يصادق على ميزانية 2027")
    'mrksh-lmjls-ysdq-la-myznyh-2027'
    >>> latin_name("Fès, l'été")
    'fes-lete'
    """
    # Apostrophes and backquotes stand for hamza and ain: part of a word, not a break.
    ascii_text = anyascii(text).lower().replace("'", "").replace("`", "")
    return _NOT_SLUG.sub("-", ascii_text).strip("-")


def shorten(slug: str, limit: int = MAX_IMPORTED_SLUG) -> str:
    """Cut a slug to ``limit`` characters at a hyphen where one is near.

    >>> shorten("a-very-long-slug", 12)
    'a-very-long'
    """
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if "-" in cut[limit // 2 :]:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def slug_for(post_name: str, title: str, source_id: str) -> str:
    """Return the slug a post asks for: its post name decoded, else its title; never empty.

    >>> slug_for("%d8%a7%d9%84%d8%b1%d8%a8%d8%a7%d8%b7", "", "7")
    'lrbt'
    >>> slug_for("", "Festival de Fès", "8")
    'festival-de-fes'
    >>> slug_for("", "؟!", "9")
    'post-9'
    """
    decoded = unquote(post_name or "").strip()
    slug = shorten(latin_name(decoded)) or shorten(latin_name(title))
    if not slug or slug in RESERVED_SLUGS:
        slug = f"post-{latin_name(source_id) or 'x'}" if not slug else f"{slug}-{source_id}"
    return slug


class SlugBook:
    """The slugs already taken (case-folded), and a distinct one for each newcomer."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = {slug.casefold() for slug in taken}

    def __contains__(self, slug: str) -> bool:
        return slug.casefold() in self._taken

    def claim(self, wanted: str) -> str:
        """Return ``wanted``, or ``wanted-2``, ``wanted-3``... whichever is free, and take it."""
        slug, number = wanted, 1
        while slug.casefold() in self._taken:
            number += 1
            suffix = f"-{number}"
            slug = shorten(wanted, MAX_IMPORTED_SLUG - len(suffix)) + suffix
        self._taken.add(slug.casefold())
        return slug
