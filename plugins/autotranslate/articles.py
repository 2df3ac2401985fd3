"""Turn translated text into Pelican Article and Page objects linked to their original."""

from __future__ import annotations

from typing import Any

from pelican.contents import Article, Page
from pelican.urlwrappers import Category, Tag

from .contract import LanguageVersion, attach_translation
from .terms import make_term

# Metadata that must not be copied: it would make the translation overwrite the original.
_NOT_INHERITED = {"save_as", "url", "summary", "title", "lang", "category", "tags", "translation"}


def make_translated_article(
    source: Article,
    text: LanguageVersion,
    category_name: str | None,  # escaped text, as the stage renders term names
    tag_names: list[str],
    settings: dict[str, Any],
    context: dict[str, Any],
) -> Article:
    """Return ``text`` (one language version of ``source``) as a Pelican Article."""
    where = f"{text.lang} translation of {source.source_path}"
    extra: dict[str, Any] = {"date": source.date}
    if category_name is not None:
        extra["category"] = make_term(Category, category_name, settings, where)
    if tag_names:
        extra["tags"] = [make_term(Tag, name, settings, where) for name in tag_names]
    return _translated(Article, source, text, settings, context, extra)


def make_translated_page(
    source: Page,
    text: LanguageVersion,
    settings: dict[str, Any],
    context: dict[str, Any],
) -> Page:
    """Return ``text`` (one language version of the page ``source``) as a Pelican Page."""
    return _translated(Page, source, text, settings, context, {})


def _translated(kind, source, text: LanguageVersion, settings, context, extra: dict[str, Any]):
    """Build a ``kind`` (Article or Page) holding ``text``, linked to its original ``source``."""
    metadata = {k: v for k, v in source.metadata.items() if k not in _NOT_INHERITED}
    metadata.update(title=text.title, lang=text.lang, slug=source.slug, **extra)
    if text.summary is not None:
        metadata["summary"] = text.summary
    content = kind(
        text.content,
        metadata=metadata,
        settings=settings,
        source_path=source.source_path,
        context=context,
    )
    # The notice and the language switcher read this typed value, not metadata keys.
    attach_translation(content, source, text)
    return content
