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
    lang = text.lang
    metadata = {k: v for k, v in source.metadata.items() if k not in _NOT_INHERITED}
    metadata.update(
        title=text.title,
        lang=lang,
        slug=source.slug,
        date=source.date,
    )
    where = f"{lang} translation of {source.source_path}"
    if category_name is not None:
        metadata["category"] = make_term(Category, category_name, settings, where)
    if tag_names:
        metadata["tags"] = [make_term(Tag, name, settings, where) for name in tag_names]
    if text.summary is not None:
        metadata["summary"] = text.summary
    article = Article(
        text.content,
        metadata=metadata,
        settings=settings,
        source_path=source.source_path,
        context=context,
    )
    # The notice and the language switcher read this typed value, not metadata keys.
    attach_translation(article, source, text)
    return article


def make_translated_page(
    source: Page,
    text: LanguageVersion,
    settings: dict[str, Any],
    context: dict[str, Any],
) -> Page:
    """Return ``text`` (one language version of the page ``source``) as a Pelican Page."""
    metadata = {k: v for k, v in source.metadata.items() if k not in _NOT_INHERITED}
    metadata.update(title=text.title, lang=text.lang, slug=source.slug)
    if text.summary is not None:
        metadata["summary"] = text.summary
    page = Page(
        text.content,
        metadata=metadata,
        settings=settings,
        source_path=source.source_path,
        context=context,
    )
    attach_translation(page, source, text)
    return page
