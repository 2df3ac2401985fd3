"""Pelican plugin: French and English versions of Arabic articles, translated offline."""

from pelican import signals


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    from .hooks import check_settings, translate_articles, translate_pages

    # initialized: before any content is read, so a bad setting stops the build at once.
    signals.initialized.connect(check_settings)
    # pretaxonomy: articles are read and grouped, but categories, tags and archives
    # are not built yet, so the new translations still enter them.
    signals.article_generator_pretaxonomy.connect(translate_articles)
    # page_generator_finalized: pages are read and grouped, not yet written; the
    # article hook (earlier in the same run) already translated them.
    signals.page_generator_finalized.connect(translate_pages)
