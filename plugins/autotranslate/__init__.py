"""Pelican plugin: French and English versions of Arabic articles, translated offline."""

from pelican import signals


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    from .hooks import (
        attach_article_translations,
        attach_page_translations,
        check_settings,
        normalise_language,
        skip_files_left_out,
        skip_static_links_out_of_project,
    )

    # initialized: before any content is read, so a bad setting stops the build at once
    # (and a plain `pelican` run, which no driver prepared, runs the translation stage).
    signals.initialized.connect(check_settings)
    # generator init: the generator exists but has listed no file yet.
    signals.article_generator_init.connect(skip_files_left_out)
    signals.page_generator_init.connect(skip_files_left_out)
    # context: a file's metadata is read, its Article or Page not yet made from it.
    signals.article_generator_context.connect(normalise_language)
    signals.page_generator_context.connect(normalise_language)
    # static_generator_finalized: files are found (and linked) but not yet copied.
    signals.static_generator_finalized.connect(skip_static_links_out_of_project)
    # pretaxonomy: articles are read and grouped, but categories, tags and archives
    # are not built yet, so the translations the contract holds still enter them.
    signals.article_generator_pretaxonomy.connect(attach_article_translations)
    # page_generator_finalized: pages are read and grouped, not yet written.
    signals.page_generator_finalized.connect(attach_page_translations)
