"""Which page is the same page in the other languages (switcher, hreflang, sitemap)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .languages import SiteLanguages


@dataclass(frozen=True)
class Version:
    """One language version of a page.

    ``exact`` is False when that language has no counterpart and the link falls
    back to the section's home page: such links appear in the switcher but never
    as hreflang alternates, which must point at the same content.
    """

    lang: str
    url: str
    name: str
    direction: str
    current: bool
    exact: bool


class PageVersions:
    """Compute language versions of pages for one run (one current language)."""

    def __init__(self, languages: SiteLanguages, root: str, current: str) -> None:
        self.languages = languages
        self.root = root
        self.current = current

    def _build(self, paths: dict[str, str]) -> list[Version]:
        """Turn {lang: path-in-its-section} into versions, falling back to section homes."""
        versions = []
        for lang in self.languages.languages:
            exact = lang.code in paths
            path = paths.get(lang.code, "index.html")
            versions.append(
                Version(
                    lang=lang.code,
                    url=self.languages.url(self.root, lang.code, path),
                    name=lang.native_name,
                    direction=lang.direction,
                    current=lang.code == self.current,
                    exact=exact,
                )
            )
        return versions

    def same_path(self, path: str) -> list[Version]:
        """Versions of a listing that has the same path in every section (index, archives)."""
        return self._build(dict.fromkeys(self.languages.codes, path))

    def only_self(self, path: str) -> list[Version]:
        """Versions of a page that exists in one language only (the parallel view)."""
        return self._build({self.current: path})

    def for_article(self, article: Any) -> list[Version]:
        """Versions of an article: itself plus its Pelican translations."""
        paths = {self.current: article.url}
        for other in getattr(article, "translations", ()):
            if other.lang in self.languages.codes and other.lang != self.current:
                paths[other.lang] = other.url
        return self._build(paths)

    def for_period(self, path: str, articles: Iterable[Any]) -> list[Version]:
        """Versions of a period archive: the sections where some of its articles are."""
        langs = dict.fromkeys([self.current], path)
        for article in articles:
            for other in getattr(article, "translations", ()):
                langs.setdefault(other.lang, path)  # a translation keeps the original's date
        return self._build(self._known(langs))

    def for_category(self, category: Any, articles: Iterable[Any]) -> list[Version]:
        """Versions of a category page, found through its articles' translations."""
        paths = {self.current: category.url}
        for article in articles:
            for other in getattr(article, "translations", ()):
                other_category = getattr(other, "category", None)
                if other_category is not None and other.lang not in paths:
                    paths[other.lang] = other_category.url
        return self._build(self._known(paths))

    def for_tag(self, tag: Any, articles: Iterable[Any]) -> list[Version]:
        """Versions of a tag page: the tag at the same position in a translation's tags."""
        paths = {self.current: tag.url}
        for article in articles:
            tags: Sequence[Any] = getattr(article, "tags", ())
            if tag not in tags:
                continue
            index = list(tags).index(tag)
            for other in getattr(article, "translations", ()):
                other_tags = getattr(other, "tags", ())
                # Translated tags mirror the original list; a different length
                # means we cannot tell which tag corresponds, so we do not guess.
                if other.lang not in paths and len(other_tags) == len(tags):
                    paths[other.lang] = other_tags[index].url
        return self._build(self._known(paths))

    def _known(self, paths: dict[str, str]) -> dict[str, str]:
        """Keep only configured languages."""
        return {code: path for code, path in paths.items() if code in self.languages.codes}


def hreflang_links(versions: Sequence[Version], default: str) -> list[tuple[str, str]]:
    """Return (hreflang, href) pairs: every exact version, then x-default if known."""
    links = [(v.lang, v.url) for v in versions if v.exact]
    for v in versions:
        if v.exact and v.lang == default:
            links.append(("x-default", v.url))
    return links
