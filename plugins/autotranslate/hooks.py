"""What the plugin does at each Pelican signal; ``register()`` only connects these."""

from __future__ import annotations

import html
import logging
import os
from itertools import chain

from pelican.utils import order_content, process_translations

from .articles import make_translated_article, make_translated_page
from .config import load_config
from .contract import BuildTranslations, attach_parallel
from .contract_file import CONTRACT_SETTING, contract_path, contract_setting, read_contract
from .exclusions import PROJECT_ROOT_SETTING, links_outside, project_root, section_language
from .pipeline import TranslationFailed
from .sources import PAGE_CATALOG_PREFIX, collect, site_languages
from .terms import make_term, text_slug
from .translation_stage import run_translation_stage

log = logging.getLogger(__name__)


def check_settings(pelican) -> None:
    """Check AUTOTRANSLATE (and its agreement with TRILINGUAL) before any content is read.

    In a plain ``pelican`` run (no driver named a contract) the translation stage
    runs here, before any generator, as the driver runs it before the sections.
    """
    settings = pelican.settings
    load_config(settings)
    if CONTRACT_SETTING not in settings:
        path = contract_path(settings["CACHE_PATH"])
        _, digest = run_translation_stage(settings, path)
        settings[CONTRACT_SETTING] = contract_setting(path, digest)


def _contract(settings) -> BuildTranslations:
    """Return the build's translations, as the stage saved them for this run."""
    return read_contract(settings[CONTRACT_SETTING])


def skip_files_left_out(generator) -> None:
    """Make an article or page generator list no file the translation stage left out.

    Such a file (a link out of the project, a Lang: that is no section, a slug that
    cannot name its page) is never read in any section; the stage named each one.
    """
    left_out = _contract(generator.settings).left_out
    root = os.path.abspath(generator.path)
    list_files = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        files = list_files(paths, exclude=exclude, extensions=extensions)
        # The contract names files as Pelican names a content's source_path (absolute).
        return {f for f in files if os.path.join(root, f) not in left_out}

    # This generator's own lister only: Pelican reads what get_files returns.
    generator.get_files = get_files


def normalise_language(generator, metadata) -> None:
    """Write a file's Lang: as the site names the language (FR and fr-MA are fr)."""
    if "lang" not in metadata:
        return
    config = load_config(generator.settings, cuda_devices=None)
    lang = section_language(metadata["lang"], site_languages(config))
    if lang:
        metadata["lang"] = lang


def skip_static_links_out_of_project(generator) -> None:
    """Copy no static file (an image…) a symbolic link leads out of the project.

    The original language's run (the one that copies them) names each link; a
    strict build stops there.
    """
    settings = generator.settings
    root = project_root(generator.path, settings.get(PROJECT_ROOT_SETTING))
    outside = links_outside(
        [static.source_path for static in generator.staticfiles], generator.path, root
    )
    if not outside:
        return
    generator.staticfiles = [s for s in generator.staticfiles if s.source_path not in outside]
    generator.context["staticfiles"] = generator.staticfiles
    config = load_config(settings, cuda_devices=None)
    messages = list(dict.fromkeys(outside.values()))
    if settings.get("DEFAULT_LANG") != config.source:
        return  # named once, by the run that copies the files
    for message in messages:
        log.warning("%s", message)
    if config.strict:
        raise TranslationFailed(
            f"strict mode: {len(messages)} static link(s) were left out of the site (above)"
        )


def attach_article_translations(generator) -> None:
    """Add the contract's translated Article for every source-language article and language."""
    # No engine is loaded here: the devices it would run on are not checked again.
    config = load_config(generator.settings, cuda_devices=None)
    translations = _contract(generator.settings)
    collected = collect(_all_articles(generator), config)
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
            elif text_slug(type(term), term.name, term.settings):
                # Pelican's own slug again: an article from the content cache keeps the
                # slug an earlier build gave it (a pseudo build's "[en] …" name).
                term.slug = type(term)(term.name, term.settings).slug
            else:
                fixed = make_term(type(term), term.name, term.settings, str(article.source_path))
                term.slug = fixed.slug


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


def attach_page_translations(generator) -> None:
    """Add the contract's translated Page for every source-language page and language."""
    # No engine is loaded here: the devices it would run on are not checked again.
    config = load_config(generator.settings, cuda_devices=None)
    translations = _contract(generator.settings)
    lists = ("pages", "translations", "hidden_pages", "hidden_translations")
    every = [page for name in lists for page in getattr(generator, name)]
    existing = {(page.slug, page.lang) for page in every}
    collected = collect(every, config, PAGE_CATALOG_PREFIX)
    hidden = {id(page) for page in chain(generator.hidden_pages, generator.hidden_translations)}
    new_published, new_hidden = [], []
    for page, key in zip(collected.contents, collected.keys, strict=True):
        item = translations.items.get(key)
        if item is None:
            continue
        for lang, version in item.versions.items():
            if (page.slug, lang) in existing:
                continue  # a person wrote this language version: never replace it
            made = make_translated_page(page, version, generator.settings, generator.context)
            if id(page) in hidden:
                made.status = "hidden"
                new_hidden.append(made)
            else:
                new_published.append(made)
    translation_id = generator.settings["PAGE_TRANSLATION_ID"]
    order_by = generator.settings["PAGE_ORDER_BY"]
    for listed, unlisted, new in (
        ("pages", "translations", new_published),
        ("hidden_pages", "hidden_translations", new_hidden),
    ):
        group = [*getattr(generator, listed), *getattr(generator, unlisted), *new]
        originals, others = process_translations(group, translation_id=translation_id)
        setattr(generator, listed, order_content(originals, order_by))
        setattr(generator, unlisted, others)
        generator.context[listed] = getattr(generator, listed)
