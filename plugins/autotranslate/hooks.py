"""What the plugin does at each Pelican signal; ``register()`` only connects these."""

from __future__ import annotations

import html
import logging
from itertools import chain

from pelican.utils import order_content, process_translations

from .articles import make_translated_article
from .config import load_config
from .diagnose import explain_unreadable, failed_sources
from .engines import create_engine
from .memory import Status
from .pipeline import TranslationFailed, TranslationRun
from .progress import EngineProgress
from .sources import collect
from .terms import make_term, text_slug

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
    sources = list(collected.contents)
    # The section runs of one build read the same articles: translate them once.
    shared = generator.settings.get(BUILD_STATE_SETTING)
    if shared is not None and "autotranslate" in shared:
        run, texts, results = shared["autotranslate"]
    else:
        _report_unreadable(generator, config, list(collected.problems))
        run, texts, results = _translate(config, collected.texts())
        _report(run, config.strict)
        if shared is not None:
            shared["autotranslate"] = (run, texts, results)
    _name_term_pages(generator, config, run)
    existing = {(a.slug, a.lang) for a in _all_articles(generator)}

    created = {id(a): [] for a in sources}
    for article, text in zip(sources, texts, strict=True):
        article.parallel_blocks = []
        per_lang = results[text.key]
        for index, block in enumerate(text.content.blocks()):
            row = {config.source: block.raw}
            row.update({lang: per_lang[lang].blocks[index] for lang in per_lang})
            article.parallel_blocks.append(row)
        for lang, translated in per_lang.items():
            if (article.slug, lang) in existing:
                continue  # a person wrote this language version: never replace it
            category = getattr(article, "category", None)
            created[id(article)].append(
                make_translated_article(
                    article,
                    lang,
                    translated,
                    run.translate_term(category.name, lang) if category else None,
                    [run.translate_term(tag.name, lang) for tag in getattr(article, "tags", [])],
                    generator.settings,
                    generator.context,
                )
            )
    _relink(generator, sources, created)


def _all_articles(generator):
    """Yield published and hidden articles, originals and translations alike."""
    return chain(
        generator.articles,
        generator.translations,
        generator.hidden_articles,
        generator.hidden_translations,
    )


def _name_term_pages(generator, config, run) -> None:
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
                translated = run.translate_term(term.name, lang)
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


def _translate(config, texts):
    """Translate the source texts; return the run, the texts and the results."""
    progress = EngineProgress(enabled=config.progress)
    run = TranslationRun(config, lambda: create_engine(config), progress)
    try:
        results = run.translate_all(texts)
    finally:
        progress.close()
    return run, texts, results


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


def _report(run: TranslationRun, strict: bool) -> None:
    """Print the build's translation summary; fail in strict mode when anything is missing."""
    for (source, target), reason in sorted(run.unavailable.items()):
        log.warning("autotranslate: no engine for %s→%s: %s", source, target, reason)
    for problem in run.problems:
        log.warning("autotranslate: %s", problem)
    for message in run.skipped.values():
        log.error("autotranslate: %s Until then this language version is not built.", message)
    print(run.summary_line())
    missing = run.totals.get(Status.MISSING, 0)
    if missing:
        log.warning(
            "autotranslate: %d segments have no translation and are shown in the source "
            "language. Install models with `invoke models` (or `invoke models --from DIR` "
            "offline), or add translations to the catalogs.",
            missing,
        )
    if strict and (missing or run.problems or run.unavailable):
        raise TranslationFailed(
            "autotranslate: strict mode: the build has missing translations or problems (above)."
        )
