"""What a shared link and a search engine read in a page's head: description, OpenGraph,
Twitter card and schema.org JSON-LD, in the page's language (pure: no Pelican import)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .languages import ConfigError, SiteLanguages
from .provenance import TranslationInfo, translation_info

_SHARING_KEYS = {"noindex_machine_translations", "author_type", "publisher_logo", "twitter_site"}
AUTHOR_TYPES = ("Organization", "Person")


@dataclass(frozen=True)
class SharingSettings:
    """The publisher's choices for shared links and search engines (setting SHARING)."""

    # Google judges pages by their value, not by how they were made: indexed by default.
    noindex_machine_translations: bool = False
    author_type: str = "Organization"
    publisher_logo: str = "theme/images/apple-touch-icon.png"
    twitter_site: str = ""

    @classmethod
    def from_setting(cls, value: Any) -> SharingSettings:
        """Parse and check the SHARING setting, naming any unknown key or bad value."""
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ConfigError("SHARING must be a dict")
        unknown = set(value) - _SHARING_KEYS
        if unknown:
            raise ConfigError(
                f"SHARING: unknown key(s) {sorted(unknown)}; known: {sorted(_SHARING_KEYS)}"
            )
        noindex = value.get("noindex_machine_translations", False)
        if not isinstance(noindex, bool):
            raise ConfigError("SHARING['noindex_machine_translations'] must be True or False")
        author_type = value.get("author_type", "Organization")
        if author_type not in AUTHOR_TYPES:
            raise ConfigError(
                f"SHARING['author_type'] must be one of {AUTHOR_TYPES}, not {author_type!r}"
            )
        for key in ("publisher_logo", "twitter_site"):
            if not isinstance(value.get(key, ""), str):
                raise ConfigError(f"SHARING[{key!r}] must be a string")
        return cls(
            noindex,
            author_type,
            value.get("publisher_logo", cls.publisher_logo),
            value.get("twitter_site", ""),
        )


def plain_text(html: Any) -> str:
    """Return the text of an HTML fragment (tags dropped, entities decoded, spaces folded).

    >>> plain_text("Ouverture &amp; <em>débat</em>\\n à Rabat")
    'Ouverture & débat à Rabat'
    """
    if html is None:
        return ""
    return Markup(str(html)).striptags()


def json_for_script(data: Any) -> Markup:
    """Serialize ``data`` as JSON that is safe inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` become \\u escapes, so no text (a title with
    ``</script>`` in it) can close the element or open a comment; the JSON
    value is unchanged.

    >>> str(json_for_script({"headline": "</script><b>&"}))
    '{"headline": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)


def absolute_url(root: str, path: str) -> str:
    """Return ``path`` (site-relative, root-relative or absolute) as a URL under ``root``.

    >>> absolute_url("https://x.org/a", "images/p.jpg"), absolute_url("", "/images/p.jpg")
    ('https://x.org/a/images/p.jpg', '/images/p.jpg')
    >>> absolute_url("https://x.org/a", "https://cdn.example/p.jpg")
    'https://cdn.example/p.jpg'
    """
    path = path.strip()
    if path.startswith(("http://", "https://")):
        return path
    for marker in ("{static}", "{attach}", "{filename}"):
        path = path.removeprefix(marker)
    return f"{root.rstrip('/')}/{path.lstrip('/')}"


def is_unreviewed_translation(info: TranslationInfo | None) -> bool:
    """Tell whether a translation is machine output that no person has reviewed at all."""
    if info is None or not info.status:
        return False  # an original, or a translation written by hand
    return info.status in ("machine", "incomplete") and info.reviewed == 0


def translators(info: TranslationInfo | None) -> list[dict[str, str]]:
    """Return schema.org translators, claiming only what the provenance says.

    A reviewed passage was translated (or checked) by a person; machine passages
    name their engine. A hand-written translation file makes no claim.
    """
    if info is None or not info.status:
        return []
    people = info.status in ("reviewed", "mixed") or info.reviewed > 0
    machines = [] if info.status == "reviewed" else list(info.engines)
    found = [{"@type": "SoftwareApplication", "name": name} for name in machines]
    if people:
        found.append({"@type": "Person"})
    return found


@dataclass(frozen=True)
class MetaTag:
    """One ``<meta>`` element: ``attr`` is "name" or "property"."""

    attr: str
    key: str
    content: str


def _iso(value: Any) -> str:
    """Return an ISO 8601 date-time (with offset when known)."""
    return value.isoformat() if value is not None else ""


class PageSharing:
    """Head metadata of the articles and pages of one section run."""

    def __init__(
        self,
        languages: SiteLanguages,
        root: str,
        current: str,
        sitename: str,
        author: str,
        settings: SharingSettings,
    ) -> None:
        self.languages = languages
        self.root = root
        self.current = current
        self.sitename = plain_text(sitename)
        self.author = plain_text(author)
        self.settings = settings

    def url(self, content: Any) -> str:
        """Return the canonical URL of an article or page."""
        return self.languages.url(self.root, content.lang, content.url)

    def _translations(self, content: Any) -> list[Any]:
        """Other-language versions of ``content`` that the site publishes."""
        return [
            other
            for other in getattr(content, "translations", ())
            if other.lang in self.languages.codes and other.lang != content.lang
        ]

    def image(self, content: Any) -> str:
        """Return the absolute URL of the content's image (metadata ``Image:``), or ""."""
        value = getattr(content, "image", None) or getattr(content, "metadata", {}).get("image")
        return absolute_url(self.root, str(value)) if value else ""

    def noindex(self, content: Any) -> bool:
        """Tell whether the publisher keeps this page out of search engines (SHARING)."""
        if not self.settings.noindex_machine_translations:
            return False
        return is_unreviewed_translation(translation_info(content, self.languages.default))

    def meta_tags(self, content: Any, is_article: bool = True) -> list[MetaTag]:
        """Return description, OpenGraph and Twitter card tags of an article or page."""
        title = plain_text(content.title)
        summary = plain_text(getattr(content, "summary", ""))
        image = self.image(content)
        language = self.languages.get(content.lang)
        tags = [
            MetaTag("property", "og:type", "article"),
            MetaTag("property", "og:title", title),
            MetaTag("property", "og:url", self.url(content)),
            MetaTag("property", "og:site_name", self.sitename),
            MetaTag("property", "og:locale", language.share_locale),
        ]
        if summary:
            tags.insert(0, MetaTag("name", "description", summary))
            tags.append(MetaTag("property", "og:description", summary))
        for other in self._translations(content):
            locale = self.languages.get(other.lang).share_locale
            tags.append(MetaTag("property", "og:locale:alternate", locale))
        if image:
            tags.append(MetaTag("property", "og:image", image))
        date = getattr(content, "date", None)
        if date is not None:
            modified = getattr(content, "modified", None) or date
            tags.append(MetaTag("property", "article:published_time", _iso(date)))
            tags.append(MetaTag("property", "article:modified_time", _iso(modified)))
        category = getattr(content, "category", None) if is_article else None
        if category is not None:
            tags.append(MetaTag("property", "article:section", plain_text(category)))
        card = "summary_large_image" if image else "summary"
        tags.append(MetaTag("name", "twitter:card", card))
        if self.settings.twitter_site:
            tags.append(MetaTag("name", "twitter:site", self.settings.twitter_site))
        return tags

    def _work(self, content: Any, kind: str) -> dict[str, str]:
        """Return a short schema.org reference to another language version."""
        url = self.url(content)
        return {"@type": kind, "@id": url, "url": url, "inLanguage": content.lang}

    def structured_data(self, content: Any, is_article: bool = True) -> dict[str, Any]:
        """Return the schema.org NewsArticle (Article for a page) of ``content``."""
        kind = "NewsArticle" if is_article else "Article"
        url = self.url(content)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": kind,
            "@id": url,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": plain_text(content.title),
            "inLanguage": content.lang,
        }
        summary = plain_text(getattr(content, "summary", ""))
        if summary:
            data["description"] = summary
        date = getattr(content, "date", None)
        if date is not None:
            data["datePublished"] = _iso(date)
            data["dateModified"] = _iso(getattr(content, "modified", None) or date)
        image = self.image(content)
        if image:
            data["image"] = [image]
        author = getattr(content, "author", None)
        data["author"] = {
            "@type": self.settings.author_type,
            "name": plain_text(author) if author else self.author,
        }
        publisher: dict[str, Any] = {
            "@type": "Organization",
            "name": self.sitename,
            "url": self.languages.url(self.root, self.current, "index.html"),
        }
        if self.settings.publisher_logo:
            logo = absolute_url(self.root, self.settings.publisher_logo)
            publisher["logo"] = {"@type": "ImageObject", "url": logo}
        data["publisher"] = publisher
        info = translation_info(content, self.languages.default)
        if info is None:
            others = self._translations(content)
            if others:
                data["workTranslation"] = [self._work(other, kind) for other in others]
        else:
            original = info.original
            if original is not None:
                data["translationOfWork"] = self._work(original, kind)
            found = translators(info)
            if found:
                data["translator"] = found if len(found) > 1 else found[0]
        return data

    def json_ld(self, content: Any, is_article: bool = True) -> Markup:
        """Return the JSON-LD of ``content``, ready to place inside its script element."""
        return json_for_script(self.structured_data(content, is_article))
