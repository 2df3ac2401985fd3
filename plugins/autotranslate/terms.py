"""Category and tag names as page names: slugged from their text, never empty.

Names are escaped HTML text, as Pelican keeps them; the slug is made from the
text they show (``l'Europe``, not ``l&#x27;Europe``). A name that slugifies to
nothing (only punctuation, say) would make Pelican write a hidden ``tag/.html``:
it gets a stable page name of its own and a warning that says what to fix.
"""

from __future__ import annotations

import hashlib
import html
import logging
from typing import Any

from pelican.urlwrappers import URLWrapper

log = logging.getLogger(__name__)


def fallback_slug(kind: str, name: str) -> str:
    """Return the page name used when a term's text gives none (stable for one name).

    >>> fallback_slug("Tag", "؟!")
    'tag-64522604'
    """
    digest = hashlib.sha256(html.unescape(name).encode("utf-8")).hexdigest()[:8]
    return f"{kind.lower()}-{digest}"


def text_slug(cls: type[URLWrapper], name: str, settings: dict[str, Any]) -> str:
    """Return the slug Pelican gives the text of ``name`` ('' when it gives none)."""
    # Pelican's own slugify rules for this kind of term, without its vague warning.
    return cls(name, settings)._normalize_key(html.unescape(name))


def make_term(cls: type[URLWrapper], name: str, settings: dict[str, Any], where: str) -> URLWrapper:
    """Return a Category or Tag named ``name`` (escaped text) with a non-empty slug."""
    term = cls(name, settings)
    slug = text_slug(cls, name, settings)
    if not slug:
        slug = fallback_slug(cls.__name__, name)
        log.warning(
            "autotranslate: %s %r (%s) gives no page name; its page is named %r. "
            "Give it letters or digits.",
            cls.__name__.lower(), html.unescape(name), where, slug,
        )  # fmt: skip
    term.slug = slug
    return term
