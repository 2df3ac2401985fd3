"""Static files (images…) are stored once, in the original language's section."""

from __future__ import annotations

from typing import Any

# Set by the section driver on the runs of the other languages.
SHARED_STATIC_SETTING = "TRILINGUAL_SHARED_STATIC"


def shared_static_url(prefix: str, static_url: str = "{path}") -> str:
    """Return the STATIC_URL that leads from a section at ``prefix`` to the site root.

    Pelican joins it to the section's SITEURL (``/fr/`` + ``../images/a.jpg``), which
    resolves to the one copy at the root, with or without a domain and a base path.

    >>> shared_static_url("fr"), shared_static_url("lang/fr", "static/{path}")
    ('../{path}', '../../static/{path}')
    """
    depth = len([part for part in prefix.strip("/").split("/") if part])
    return "../" * depth + static_url


def copy_static_files_once(generator: Any) -> None:
    """In a section that shares the original's static files, copy none of them."""
    if generator.settings.get(SHARED_STATIC_SETTING):
        generator.staticfiles = []
        generator.context["staticfiles"] = []
