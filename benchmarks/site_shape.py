"""Measure the shape of a built site: its sitemap files and the page linking the most articles.

Issue 21 asks that no page link more than about 1,000 articles and that no sitemap file
cross the protocol's limits; these figures are read from the output folder after a build.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# An article page, as ARTICLE_SAVE_AS makes it in any section: [fr/|en/]YYYY/slug.html
# (a year's archive is YYYY/index.html, its further pages YYYY/index2.html…).
ARTICLE_PAGE = re.compile(r"^(?:[a-z]{2}/)?\d{4}/(?!index\d*\.html$)[^/]+\.html$")
HREF = re.compile(rb"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SITEMAP_FILE = re.compile(r"^sitemap(?:-\d+)?\.xml$")
NEWS_SITEMAP_FILE = re.compile(r"^news-sitemap-[\w-]+\.xml$")


def article_pages(output: Path) -> set[str]:
    """Return the output paths (POSIX, relative) of every article page of the site."""
    found = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if ARTICLE_PAGE.match(relative):
            found.add(relative)
    return found


def _target(page: str, href: bytes) -> str | None:
    """Return the output path a link on ``page`` points to, or None for another site's."""
    parts = urlsplit(unquote(href.decode("utf-8", "replace")))
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, or a fragment of the same page
    if parts.path.startswith("/"):
        path = parts.path.lstrip("/")
    else:
        path = posixpath.join(posixpath.dirname(page), parts.path)
    path = posixpath.normpath(path) if path else ""
    if parts.path.endswith("/") or path in ("", "."):
        path = posixpath.join("" if path == "." else path, "index.html")
    return path


def largest_page_links(output: Path) -> dict[str, Any]:
    """Return the most distinct article pages any one HTML page links to, and that page."""
    articles = article_pages(output)
    most, where = 0, ""
    for path in sorted(output.rglob("*.html")):
        page = path.relative_to(output).as_posix()
        linked = {_target(page, href) for href in HREF.findall(path.read_bytes())}
        count = len((linked - {page}) & articles)
        if count > most:
            most, where = count, page
    return {"largest_page_links": most, "largest_page": where, "article_pages": len(articles)}


def sitemap_shape(output: Path) -> dict[str, Any]:
    """Return the sitemap's files (sitemap.xml and its parts) and their largest URL count."""
    files = sorted(p for p in output.iterdir() if SITEMAP_FILE.match(p.name))
    news = sorted(p for p in output.iterdir() if NEWS_SITEMAP_FILE.match(p.name))

    def urls(path: Path) -> int:
        return path.read_bytes().count(b"<loc>")

    return {
        "sitemap_files": len(files),
        "sitemap_largest_urls": max((urls(p) for p in files), default=0),
        "sitemap_largest_bytes": max((p.stat().st_size for p in files), default=0),
        "news_sitemap_files": len(news),
        "news_sitemap_largest_urls": max((urls(p) for p in news), default=0),
    }


def site_shape(output: Path) -> dict[str, Any]:
    """Return every shape figure of the site built into ``output``."""
    return {**sitemap_shape(Path(output)), **largest_page_links(Path(output))}
