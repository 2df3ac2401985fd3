"""Turn translated text into Pelican Article objects linked to their original."""

from __future__ import annotations

from typing import Any

from pelican.contents import Article
from pelican.urlwrappers import Category, Tag

from .pipeline import TranslatedText
from .terms import make_term

# Metadata that must not be copied: it would make the translation overwrite the original.
_NOT_INHERITED = {"save_as", "url", "summary", "title", "lang", "category", "tags", "translation"}


def make_translated_article(
    source: Article,
    lang: str,
    text: TranslatedText,
    category_name: str | None,  # escaped text, as translate_term returns it
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
    where = f"{lang} translation of {source.source_path}"
    if category_name is not None:
        metadata["category"] = make_term(Category, category_name, settings, where)
    if tag_names:
        metadata["tags"] = [make_term(Tag, name, settings, where) for name in tag_names]
    if text.summary is not None:
        metadata["summary"] = text.summary
    return Article(
        text.content,
        metadata=metadata,
        settings=settings,
        source_path=source.source_path,
        context=context,
    )
