"""Make every feed declare the language of its section."""

from __future__ import annotations

from typing import Any


def declare_language(context: dict[str, Any], feed: Any) -> None:
    """Set the feed's language (Atom ``xml:lang``, RSS ``<language>``) to the run's language.

    Pelican never passes a language to feedgenerator; each section's run
    writes only its own language's articles, so DEFAULT_LANG is the feed's.
    """
    feed.feed["language"] = context.get("DEFAULT_LANG")
