"""What the plugin does at each Pelican signal; ``register()`` only connects these."""

from __future__ import annotations

import html
import logging
from itertools import chain

from pelican.utils import order_content, process_translations

from .articles import make_translated_article
from .config import load_config
from .contract import (
    BUILD_STATE_KEY,
    BuildTranslations,
    attach_parallel,
    shared_translations,
)
from .diagnose import explain_unreadable, failed_sources
from .engines import create_engine
from .pipeline import TranslationFailed
from .progress import EngineProgress
from .sources import collect
from .terms import make_term, text_slug
from .translations import translate_sources

log = logging.getLogger(__name__)
# Set by the section driver: a dict shared by the Pelican runs of one build.
BUILD_STATE_SETTING = "TRILINGUAL_BUILD_STATE"


def check_settings(pelican) -> None:
    """Check AUTOTRANSLATE (and its agreement with TRILINGUAL) before any content is read."""
    load_config(pelican.settings)


def translate_articles(generator) -> None:
    """Add a translated Article for every source-language article and target language."""
    config = load_config(generator.settings)
    collected = collect(_all_articles(generator), config)
    # The section runs of one build read the same articles: translate them once and
    # share the frozen result (never a live run) with the later runs.
    shared = generator.settings.get(BUILD_STATE_SETTING)
    translations = shared_translations(shared)
    if translations is None:
        _report_unreadable(generator, config, list(collected.problems))
        translations = _translate(config, collected.texts())
        _report(translations, config.strict)
        if shared is not None:
            shared[BUILD_STATE_KEY] = translations
    _name_term_pages(generator, config, translations)
    existing = {(a.slug, a.lang) for a in _all_articles(generator)}

    created = {id(a): [] for a in collected.contents}
    for article, key in zip(collected.contents, collected.keys, strict=True):
        item = translations.items.get(key)
        if item is None:
            continue
        attach_parallel(article, item)
        for lang, version in item.versions.items():
            if (article.slug, lang) in existing:
                continue  # a person wrote this language version: never replace it
            category = getattr(article, "category", None)
            created[id(article)].append(
                make_translated_article(
                    article,
                    version,
                    _term(translations, category.name, lang) if category else None,
                    [_term(translations, tag.name, lang) for tag in getattr(article, "tags", [])],
                    generator.settings,
                    generator.context,
                )
            )
    _relink(generator, list(collected.contents), created)


def _term(translations: BuildTranslations, name: str, lang: str) -> str:
    """Return a category or tag name in ``lang`` as escaped text (the source's if unknown)."""
    translated = translations.term(name, lang)
    return translated if translated is not None else html.escape(name, quote=False)


def _all_articles(generator):
    """Yield published and hidden articles, originals and translations alike."""
    return chain(
        generator.articles,
        generator.translations,
        generator.hidden_articles,
        generator.hidden_translations,
    )


def _name_term_pages(generator, config, translations: BuildTranslations) -> None:
    """Slug source-language categories and tags after their translated name.

    Pelican transliterates Arabic names to consonants (الشأن المحلي → lshn-lmhly);
    the translated name gives a readable URL. Every section run does this before
    Pelican groups articles by category and tag, so all runs agree on the URLs.
    A name that gives no slug at all gets a stable one and a warning.
    """
    lang = config.term_slugs_from
    for article in _all_articles(generator):
        if article.lang != config.source:
            continue
        terms = [getattr(article, "category", None), *getattr(article, "tags", [])]
        for term in filter(None, terms):
            slug = ""
            if lang:
                translated = _term(translations, term.name, lang)
                # No translation yet (the name comes back as it is): keep Pelican's slug.
                if html.unescape(translated) != html.unescape(term.name):
                    slug = text_slug(type(term), translated, term.settings)
            if slug:
                term.slug = slug
            elif not text_slug(type(term), term.name, term.settings):
                fixed = make_term(type(term), term.name, term.settings, str(article.source_path))
                term.slug = fixed.slug


def _report_unreadable(generator, config, unsafe: list[str]) -> None:
    """Log every article that cannot be translated; fail in strict mode."""
    unreadable = [explain_unreadable(path) for path in failed_sources(generator)]
    for message in unreadable + unsafe:
        log.error(message)
    if config.strict and (unreadable or unsafe):
        raise TranslationFailed(
            f"strict mode: {len(unreadable) + len(unsafe)} article(s) could not be read"
        )


def _translate(config, texts) -> BuildTranslations:
    """Translate the source texts into the build's frozen translations."""
    progress = EngineProgress(enabled=config.progress)
    try:
        return translate_sources(config, texts, lambda: create_engine(config), progress)
    finally:
        progress.close()


def _relink(generator, sources, created) -> None:
    """Re-run Pelican's translation grouping so the run's language leads each group."""
    translation_id = generator.settings["ARTICLE_TRANSLATION_ID"]
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    hidden_sources = {
        id(a) for a in chain(generator.hidden_articles, generator.hidden_translations)
    }
    new_published = [a for s in sources if id(s) not in hidden_sources for a in created[id(s)]]
    new_hidden = [a for s in sources if id(s) in hidden_sources for a in created[id(s)]]
    for new in new_hidden:
        new.status = "hidden"

    published = [*generator.articles, *generator.translations, *new_published]
    articles, translations = process_translations(published, translation_id=translation_id)
    generator.articles = order_content(articles, order_by)
    generator.translations = translations
    hidden = [*generator.hidden_articles, *generator.hidden_translations, *new_hidden]
    articles, translations = process_translations(hidden, translation_id=translation_id)
    generator.hidden_articles = order_content(articles, order_by)
    generator.hidden_translations = translations


def _report(translations: BuildTranslations, strict: bool) -> None:
    """Print the build's translation summary; fail in strict mode when anything is missing."""
    for reason in translations.unavailable:
        log.warning("autotranslate: no engine for %s", reason)
    for problem in translations.problems:
        log.warning("autotranslate: %s", problem)
    for message in translations.unreadable:
        log.error("autotranslate: %s Until then this language version is not built.", message)
    print(translations.summary_line())
    missing = translations.missing
    if missing:
        log.warning(
            "autotranslate: %d segments have no translation and are shown in the source "
            "language. Install models with `invoke models` (or `invoke models --from DIR` "
            "offline), or add translations to the catalogs.",
            missing,
        )
    if strict and (missing or translations.problems or translations.unavailable):
        raise TranslationFailed(
            "autotranslate: strict mode: the build has missing translations or problems (above)."
        )
