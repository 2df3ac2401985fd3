"""What the plugin does at each Pelican signal; ``register()`` only connects these."""

from __future__ import annotations

import html
import logging
import os
from itertools import chain

from pelican.utils import order_content, process_translations

from .articles import make_translated_article, make_translated_page
from .config import load_config
from .contract import (
    BUILD_STATE_KEY,
    BuildTranslations,
    attach_parallel,
    shared_translations,
    translation_of,
)
from .diagnose import explain_unreadable, failed_sources
from .engines import create_engine
from .exclusions import (
    PROJECT_ROOT_SETTING,
    links_outside,
    project_root,
    section_language,
    unknown_languages,
)
from .orphans import orphaned_catalogs
from .pipeline import TranslationFailed
from .progress import EngineProgress
from .sources import PAGE_CATALOG_PREFIX, collect, merge, read_pages, site_languages
from .terms import make_term, text_slug
from .translations import translate_sources

log = logging.getLogger(__name__)
# Set by the section driver: a dict shared by the Pelican runs of one build.
BUILD_STATE_SETTING = "TRILINGUAL_BUILD_STATE"
# File names hold 255 bytes; a catalog's temporary file adds about 20 to the slug.
MAX_SLUG_BYTES = 200
# Where the article hook leaves the build's translations for the page hook (the
# generators of one Pelican run share one context dict).
CONTEXT_KEY = "autotranslate_build"
# Where the file listers of one Pelican run note the files a link leads out of the project.
LINKS_OUT_KEY = "autotranslate_links_out"
ARTICLE_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations",
    "drafts", "drafts_translations",
)  # fmt: skip
PAGE_LISTS = (
    "pages", "translations", "hidden_pages", "hidden_translations",
    "draft_pages", "draft_translations",
)  # fmt: skip


def check_settings(pelican) -> None:
    """Check AUTOTRANSLATE (and its agreement with TRILINGUAL) before any content is read."""
    load_config(pelican.settings)


def skip_links_out_of_project(generator) -> None:
    """Make an article or page generator list no file a symbolic link leads out of the project.

    Such a file is never read (it may be anything on the build machine); the files
    left out are noted in the run's context, for the article hook to name them.
    """
    root = project_root(generator.path, generator.settings.get(PROJECT_ROOT_SETTING))
    list_files = generator.get_files
    noted = generator.context.setdefault(LINKS_OUT_KEY, {})

    def get_files(paths, exclude=None, extensions=None):
        files = list_files(paths, exclude=exclude, extensions=extensions)
        outside = links_outside(files, generator.path, root)
        # Keyed like a content's source_path (absolute), as the article hook compares.
        noted.update({os.path.join(generator.path, path): m for path, m in outside.items()})
        return files - outside.keys()

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


def _left_out_articles(generator, config) -> dict[str, str]:
    """Return source path → why, for the articles left out of the site (exclusions.py)."""
    every = [a for name in ARTICLE_LISTS for a in getattr(generator, name, [])]
    unknown = unknown_languages(
        ((str(a.source_path), a.lang) for a in every), site_languages(config)
    )
    return {**generator.context.get(LINKS_OUT_KEY, {}), **unknown}


def translate_articles(generator) -> None:
    """Add a translated Article for every source-language article and target language."""
    config = load_config(generator.settings)
    shared = generator.settings.get(BUILD_STATE_SETTING)
    drafts = chain(getattr(generator, "drafts", []), getattr(generator, "drafts_translations", []))
    known_slugs = {article.slug for article in chain(_all_articles(generator), drafts)}
    # Decided once, in the first section run (where articles have their own paths), so
    # every run leaves out the same articles.
    if shared is not None and "autotranslate-refused" in shared:
        left_out, refused = shared["autotranslate-left-out"], shared["autotranslate-refused"]
    else:
        left_out = _left_out_articles(generator, config)
        # Left out first: a file that is not published takes no slug from another.
        _take_out(generator, left_out, ARTICLE_LISTS)
        refused = _unbuildable(generator)
        if shared is not None:
            shared["autotranslate-left-out"] = left_out
            shared["autotranslate-refused"] = refused
    _take_out(generator, {**left_out, **refused}, ARTICLE_LISTS)
    collected = collect(_all_articles(generator), config)
    # The section runs of one build read the same articles: translate them once and
    # share the frozen result (never a live run) with the later runs.
    translations = shared_translations(shared)
    if translations is None:
        # Pages are read after articles: read them here, as `invoke translate` does, so
        # articles and pages are translated in one stage with one summary.
        pages = read_pages(generator.settings, config)
        # One message per link, however many files are under a linked folder.
        _report_unreadable(
            generator,
            config,
            [*refused.values(), *collected.problems, *pages.problems],
            list(dict.fromkeys([*left_out.values(), *pages.left_out])),
        )
        originals = chain(_all_articles(generator), drafts, pages.contents)
        invented = invented_slugs(o for o in originals if translation_of(o) is None)
        texts = merge(collected, pages).texts()
        translations = _translate(config, texts)
        segments = {text.key: {s.html() for s in text.sentences()} for text in texts}
        orphans = orphaned_catalogs(config.catalog_dir, known_slugs, segments, config.source)
        _report(translations, config.strict, [orphan.message() for orphan in orphans], invented)
        if shared is not None:
            shared[BUILD_STATE_KEY] = translations
    generator.context[CONTEXT_KEY] = translations
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


def _unbuildable(generator) -> dict[str, str]:
    """Return source path → why, for the articles whose slug cannot name their page.

    A slug too long for a file name, a slug another article already has, or one
    naming a page Pelican writes itself (``2026/index.html``) would stop the build
    or overwrite a page: such an article is left out, and the rest of the site builds.
    """
    settings = generator.settings
    taken: dict[tuple[str, str], str] = {}
    refused: dict[str, str] = {}
    for article in sorted(_all_articles(generator), key=lambda a: str(a.source_path)):
        slug, where = article.slug or "", str(article.source_path)
        length = len(slug.encode("utf-8"))
        # Pages Pelican writes at fixed places: period archives and direct templates.
        fixed = {
            settings[key].format(date=article.date)
            for key in ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
            if settings.get(key) and getattr(article, "date", None)
        } | {
            settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            for name in settings.get("DIRECT_TEMPLATES", ())
        }
        if length > MAX_SLUG_BYTES:
            problem = (
                f"slug {slug[:40]!r}… is {length} bytes long, too long for a file name "
                f"(at most {MAX_SLUG_BYTES}); set a shorter Slug:"
            )
        elif (slug.casefold(), article.lang) in taken:
            problem = (
                f"slug {slug!r} is also used by {taken[(slug.casefold(), article.lang)]}; "
                "give one of them another Slug:"
            )
        elif article.save_as and article.save_as in fixed:
            problem = (
                f"slug {slug!r} names a page Pelican writes itself ({article.save_as}); "
                "set another Slug:"
            )
        else:
            # Case aside: on a case-insensitive disk Rabat.html and rabat.html are one file.
            taken[(slug.casefold(), article.lang)] = where
            continue
        refused[where] = f"{where}: {problem}. The article is not built."
    return refused


def _take_out(generator, refused: dict[str, str], lists: tuple[str, ...]) -> None:
    """Remove the refused contents from every list Pelican builds pages from.

    Pelican already grouped translations: no content kept may list a refused one.
    """
    for name in lists:
        kept = [a for a in getattr(generator, name, []) if str(a.source_path) not in refused]
        setattr(generator, name, kept)
        for content in kept:
            versions = getattr(content, "translations", [])
            content.translations = [v for v in versions if str(v.source_path) not in refused]


def _report_unreadable(generator, config, unsafe: list[str], left_out: list[str] = ()) -> None:
    """Log every article that cannot be translated and every file left out; fail in strict mode."""
    unreadable = [explain_unreadable(path) for path in failed_sources(generator)]
    for message in unreadable + unsafe:
        log.error(message)
    for message in left_out:
        log.warning("%s", message)
    failures = []
    if unreadable or unsafe:
        failures.append(f"{len(unreadable) + len(unsafe)} article(s) could not be read")
    if left_out:
        failures.append(f"{len(left_out)} file(s) or link(s) were left out of the site")
    if config.strict and failures:
        raise TranslationFailed(f"strict mode: {' and '.join(failures)} (above)")


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


def invented_slugs(contents) -> list[str]:
    """Return one warning per article or page whose slug Pelican made from its title."""
    return [
        f"{content.source_path}: no Slug: line, so Pelican made the slug {content.slug!r} "
        "from the title; add `Slug: " + str(content.slug) + "` (or another) to the file: "
        "without it the URL and the translation catalogs move whenever the title changes."
        for content in sorted(contents, key=lambda c: str(c.source_path))
        if "slug" not in content.metadata
    ]


def _report(
    translations: BuildTranslations,
    strict: bool,
    orphaned: list[str],
    invented: list[str] = (),
) -> None:
    """Print the build's translation summary; fail in strict mode when anything is missing."""
    for reason in translations.unavailable:
        log.warning("autotranslate: no engine for %s", reason)
    for problem in [*translations.problems, *orphaned, *invented]:
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
    if strict and (
        missing or translations.problems or translations.unavailable or orphaned or invented
    ):
        raise TranslationFailed(
            "autotranslate: strict mode: the build has missing translations or problems (above)."
        )


def translate_pages(generator) -> None:
    """Add a translated Page for every source-language page and target language.

    The article hook (which runs first) translated the pages with the articles and
    left the result in the run's context; this links each page to its versions.
    """
    config = load_config(generator.settings)
    # Named by the article hook, which read the pages to translate them (read_pages).
    every = [page for name in PAGE_LISTS for page in getattr(generator, name, [])]
    unknown = unknown_languages(
        ((str(p.source_path), p.lang) for p in every), site_languages(config)
    )
    _take_out(generator, unknown, PAGE_LISTS)
    for name in ("pages", "hidden_pages", "draft_pages"):
        generator.context[name] = getattr(generator, name, [])
    translations = generator.context.get(CONTEXT_KEY)
    if not isinstance(translations, BuildTranslations):
        return  # the article hook did not run (no article generator): nothing to attach
    lists = ("pages", "translations", "hidden_pages", "hidden_translations")
    _take_out_pages_on_fixed_files(generator, lists)
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


def _take_out_pages_on_fixed_files(generator, lists: tuple[str, ...]) -> None:
    """Leave out every page whose file is one Pelican writes itself (``search.html``...).

    Pages live at the section root (``PAGE_SAVE_AS``), next to the home, archives and
    search pages: Pelican would stop the build on the second write. Such a page is
    named (once, in its own language's run) and the rest of the site builds.
    """
    settings = generator.settings
    fixed = {
        settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        for name in settings.get("DIRECT_TEMPLATES", ())
    }
    for name in lists:
        kept = []
        for page in getattr(generator, name):
            # Where the page is written in its own section (another language's run
            # writes it nowhere, but its translation would land there).
            own_file = settings["PAGE_SAVE_AS"].format(**page.url_format)
            if own_file not in fixed:
                kept.append(page)
            elif page.lang == settings["DEFAULT_LANG"]:
                log.error(
                    "%s: slug %r names a page Pelican writes itself (%s); set another Slug:. "
                    "The page is not built.",
                    page.source_path,
                    page.slug,
                    own_file,
                )
        setattr(generator, name, kept)
