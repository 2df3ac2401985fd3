"""Pelican plugin: French and English versions of Arabic articles, translated offline."""

from pelican import signals


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    from .hooks import (
        check_settings,
        normalise_language,
        skip_links_out_of_project,
        skip_static_links_out_of_project,
        translate_articles,
        translate_pages,
    )

    # initialized: before any content is read, so a bad setting stops the build at once.
    signals.initialized.connect(check_settings)
    # generator init: the generator exists but has listed no file yet.
    signals.article_generator_init.connect(skip_links_out_of_project)
    signals.page_generator_init.connect(skip_links_out_of_project)
    # context: a file's metadata is read, its Article or Page not yet made from it.
    signals.article_generator_context.connect(normalise_language)
    signals.page_generator_context.connect(normalise_language)
    # static_generator_finalized: files are found (and linked) but not yet copied.
    signals.static_generator_finalized.connect(skip_static_links_out_of_project)
    # pretaxonomy: articles are read and grouped, but categories, tags and archives
    # are not built yet, so the new translations still enter them.
    signals.article_generator_pretaxonomy.connect(translate_articles)
    # page_generator_finalized: pages are read and grouped, not yet written; the
    # article hook (earlier in the same run) already translated them.
    signals.page_generator_finalized.connect(translate_pages)
