"""Turn translated text into Pelican Article objects linked to their original."""

from __future__ import annotations

from typing import Any

from pelican.contents import Article
from pelican.urlwrappers import Category, Tag

from .pipeline import TranslatedText

# Metadata that must not be copied: it would make the translation overwrite the original.
_NOT_INHERITED = {"save_as", "url", "summary", "title", "lang", "category", "tags", "translation"}


def make_translated_article(
    source: Article,
    lang: str,
    text: TranslatedText,
    category_name: str | None,
    tag_names: list[str],
    settings: dict[str, Any],
    context: dict[str, Any],
) -> Article:
    """Return the ``lang`` version of ``source`` as a Pelican Article."""
    metadata = {k: v for k, v in source.metadata.items() if k not in _NOT_INHERITED}
    metadata.update(
        title=text.title,
        lang=lang,
        slug=source.slug,
        date=source.date,
        translation_of=source,
        translation_status=text.status,
        translation_engines=sorted(text.engines),
        translation_counts={status.value: n for status, n in text.counts.items()},
    )
    if category_name is not None:
        metadata["category"] = Category(category_name, settings)
    if tag_names:
        metadata["tags"] = [Tag(name, settings) for name in tag_names]
    if text.summary is not None:
        metadata["summary"] = text.summary
    return Article(
        text.content,
        metadata=metadata,
        settings=settings,
        source_path=source.source_path,
        context=context,
    )
