"""Pelican plugin: French and English versions of Arabic articles, translated offline."""

from pelican import signals


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    from .hooks import translate_articles

    # pretaxonomy: articles are read and grouped, but categories, tags and archives
    # are not built yet, so the new translations still enter them.
    signals.article_generator_pretaxonomy.connect(translate_articles)
