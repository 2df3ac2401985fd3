"""Each section lists only its own language: other-language originals stay out of it."""

from __future__ import annotations

from typing import Any

# (listed, not listed) attribute pairs of Pelican's generators.
ARTICLE_LISTS = (("articles", "translations"), ("hidden_articles", "hidden_translations"),
                 ("drafts", "drafts_translations"))  # fmt: skip
PAGE_LISTS = (("pages", "translations"), ("hidden_pages", "hidden_translations"),
              ("draft_pages", "draft_translations"))  # fmt: skip


def split_by_language(items: list[Any], lang: str) -> tuple[list[Any], list[Any]]:
    """Return (items in ``lang``, the others), each in its original order.

    >>> class A:
    ...     def __init__(self, lang): self.lang = lang
    >>> own, other = split_by_language([A("fr"), A("ar"), A("fr")], "fr")
    >>> [a.lang for a in own], [a.lang for a in other]
    (['fr', 'fr'], ['ar'])
    """
    own = [item for item in items if item.lang == lang]
    return own, [item for item in items if item.lang != lang]


def _keep_own_language(generator: Any, lists: tuple[tuple[str, str], ...]) -> None:
    """Move every listed item not in the run's language to its unlisted companion list.

    Pelican lists an article that has no version in the run's language as if it were
    one (a French press release in the Arabic home page and feeds, under lang="ar",
    linking to a page this run never writes). Such an article is published in its own
    language's section only.
    """
    lang = generator.settings["DEFAULT_LANG"]
    for listed, unlisted in lists:
        own, other = split_by_language(getattr(generator, listed), lang)
        if other:
            setattr(generator, listed, own)
            setattr(generator, unlisted, [*getattr(generator, unlisted), *other])
            if listed in generator.context:  # the templates read the context's list
                generator.context[listed] = own


def keep_own_language_articles(generator: Any) -> None:
    """List only articles in the run's language (after the translation plugin added them)."""
    _keep_own_language(generator, ARTICLE_LISTS)


def keep_own_language_pages(generator: Any) -> None:
    """List only pages in the run's language (after the translation plugin added them)."""
    _keep_own_language(generator, PAGE_LISTS)
