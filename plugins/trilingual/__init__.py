"""Trilingual sections for Pelican: per-language helpers, feeds and the parallel view."""

from __future__ import annotations

from pelican import signals

from .feeds import declare_language
from .own_language import keep_own_language_articles, keep_own_language_pages
from .parallel import write_parallel_views
from .redirects import collect_targets
from .siteurl import check_settings
from .static_copy import copy_changed_static_files
from .static_files import copy_static_files_once
from .templating import install
from .writer import incremental_writer


def _install_templating(generator) -> None:
    """Give a generator's Jinja env the run's language helpers and catalog."""
    install(generator.env, generator.settings, generator.theme)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    # initialized: before anything is read, so a bad SITEURL stops even a plain `pelican`.
    signals.initialized.connect(check_settings)
    # generator_init: each generator builds its own Jinja env; this is the first
    # moment it exists and the last before any template renders.
    signals.generator_init.connect(_install_templating)
    # feed_generated: the feed object is complete but not yet serialized, so its
    # language can still be set.
    signals.feed_generated.connect(declare_language)
    # article_writer_finalized: articles (with translations and parallel blocks)
    # are final and a writer is at hand for extra pages.
    signals.article_writer_finalized.connect(write_parallel_views)
    # pretaxonomy / page finalized: after the translation plugin (listed before this
    # one in PLUGINS) added its versions, before listings, categories and tags exist.
    signals.article_generator_pretaxonomy.connect(keep_own_language_articles)
    signals.page_generator_finalized.connect(keep_own_language_pages)
    # finalized generators: every content has its URL; the driver writes the redirect
    # pages of content/redirects.tsv after the sections (redirects.py).
    signals.article_generator_finalized.connect(collect_targets)
    signals.page_generator_finalized.connect(collect_targets)
    # static_generator_finalized: files are found (and linked) but not yet copied.
    signals.static_generator_finalized.connect(copy_static_files_once)
    signals.static_generator_finalized.connect(copy_changed_static_files)
    # get_writer: the section driver's builds render only pages whose inputs changed.
    signals.get_writer.connect(incremental_writer)
