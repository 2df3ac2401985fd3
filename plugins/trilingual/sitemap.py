"""Write sitemap.xml (hreflang alternates, lastmod) and robots.txt from the built pages."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import quoteattr

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass
class PageLinks:
    """What a built page says about itself: canonical URL, alternates, indexability."""

    canonical: str | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)
    noindex: bool = False
    lang: str = ""
    modified: str | None = None  # article:modified_time of an article or page
    links: list[str] = field(default_factory=list)  # every <a href> in the page
    json_ld: list[str] = field(default_factory=list)  # bodies of its JSON-LD scripts


class _HeadLinkParser(HTMLParser):
    """Collect head links, robots and modified-time meta, links and JSON-LD from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links = PageLinks()
        self._json_ld: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "").split()
        if tag == "html":
            self.links.lang = values.get("lang", "")
        elif tag == "a" and values.get("href"):
            self.links.links.append(values["href"])
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._json_ld = []
        elif tag == "meta" and values.get("property") == "article:modified_time":
            self.links.modified = values.get("content") or None
        elif tag == "link" and "canonical" in rel:
            self.links.canonical = values.get("href")
        elif tag == "link" and "alternate" in rel and "hreflang" in values:
            self.links.alternates.append((values["hreflang"], values.get("href", "")))
        elif tag == "meta" and values.get("name", "").lower() == "robots":
            self.links.noindex = "noindex" in values.get("content", "").lower()

    def handle_data(self, data: str) -> None:
        if self._json_ld is not None:
            self._json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json_ld is not None:
            self.links.json_ld.append("".join(self._json_ld))
            self._json_ld = None


def read_page_links(path: Path) -> PageLinks:
    """Parse one HTML file's head links."""
    parser = _HeadLinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def collect_pages(
    output: Path, since: float | None = None, paths: Iterable[Path] | None = None
) -> dict[Path, PageLinks]:
    """Return the head links of every HTML page under ``output``, sorted by path.

    With ``paths``, only those files count (the pages a build made); with ``since``
    (a time.time() value), only pages written from then on: pages left over from an
    older build (a renamed article) must not be advertised.
    """
    if paths is None:
        found = sorted(Path(output).rglob("*.html"))
    else:
        found = sorted(p for p in paths if p.suffix == ".html")
    if since is not None:
        found = [p for p in found if p.stat().st_mtime >= since]
    return {path: read_page_links(path) for path in found}


def parse_time(value: str | None) -> datetime.datetime | None:
    """Return an ISO 8601 date-time as an aware datetime (UTC when no offset), or None.

    >>> parse_time("2016-11-29T10:00:00+01:00").isoformat()
    '2016-11-29T10:00:00+01:00'
    >>> parse_time("not a date") is None
    True
    """
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def last_modified(pages: dict[Path, PageLinks]) -> dict[str, datetime.datetime]:
    """Return {canonical URL: lastmod} for every page that has a date to give.

    An article or page declares its own (article:modified_time: Modified, else
    Date). A listing changed when the newest article it links to changed; a page
    that links to no dated page takes the newest date of the site.
    """
    own = {
        links.canonical: when
        for links in pages.values()
        if links.canonical and (when := parse_time(links.modified))
    }
    newest = max(own.values(), default=None)
    dates = {}
    for links in pages.values():
        if not links.canonical:
            continue
        if links.canonical in own:
            dates[links.canonical] = own[links.canonical]
            continue
        linked = [own[href] for href in links.links if href in own]
        when = max(linked, default=newest)
        if when is not None:
            dates[links.canonical] = when
    return dates


def render_sitemap(pages: dict[Path, PageLinks]) -> str:
    """Return sitemap XML for the indexable pages: one <url> each, lastmod and alternates.

    An alternate that is itself kept out of search engines (noindex) is not listed.
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    hidden = {links.canonical for links in pages.values() if links.noindex}
    dates = last_modified(pages)
    for links in pages.values():
        if links.noindex or not links.canonical:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{_escape(links.canonical)}</loc>")
        if links.canonical in dates:
            lines.append(f"    <lastmod>{dates[links.canonical].isoformat()}</lastmod>")
        for hreflang, href in links.alternates:
            if href in hidden:
                continue
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)}'
                f" href={quoteattr(href)}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(
    output: Path,
    root: str,
    since: float | None = None,
    pages: dict[Path, PageLinks] | None = None,
) -> Path:
    """Write ``sitemap.xml`` at the output root (``pages``, else those written since ``since``)."""
    if not root.startswith(("http://", "https://")):
        # Search engines need absolute URLs; a development build keeps the
        # root-relative ones its pages use.
        logger.debug("trilingual: SITEURL is not absolute; sitemap URLs are root-relative")
    target = Path(output) / "sitemap.xml"
    if pages is None:
        pages = collect_pages(output, since)
    write_if_changed(target, render_sitemap(pages))
    return target


def write_robots(output: Path, root: str, sitemap: Path, more: Sequence[Path] = ()) -> Path:
    """Write ``robots.txt`` allowing everything and naming the sitemap (and ``more`` ones)."""
    target = Path(output) / "robots.txt"
    named = "".join(f"Sitemap: {root}/{path.name}\n" for path in (sitemap, *more))
    write_if_changed(target, f"User-agent: *\nAllow: /\n\n{named}")
    return target


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds it; return True if written.

    An unchanged file keeps its time, so a rebuild rewrites only what changed.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.write_bytes(data)
    return True


def _escape(text: str) -> str:
    """Escape text for an XML element body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
