"""Write sitemap.xml (hreflang alternates, lastmod) and robots.txt from the built pages.

Within the protocol's limits (sitemaps.org): a sitemap file holds at most 50,000 URLs
and 50 MB; a site with more gets ``sitemap.xml`` as a sitemap index over
``sitemap-1.xml``, ``sitemap-2.xml``... (at most 50,000 of them).
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import quoteattr

from autotranslate.errors import StopBuild

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The protocol's limits; the settings below lower them (tests cross them with few pages).
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # 52,428,800 bytes, uncompressed
SITEMAP_INDEX_MAX_ENTRIES = 50_000
MAX_URLS_SETTING = "TRILINGUAL_SITEMAP_MAX_URLS"
MAX_BYTES_SETTING = "TRILINGUAL_SITEMAP_MAX_BYTES"
SITEMAP_PART_NAME = "sitemap-{number}.xml"
_URLSET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
)
_URLSET_TAIL = "</urlset>\n"


class SitemapLimitError(StopBuild, ValueError):
    """A sitemap limit setting is not a positive whole number, or the site outgrows the index."""


@dataclass(frozen=True)
class SitemapLimits:
    """How many URLs and bytes one sitemap file may hold."""

    max_urls: int = SITEMAP_MAX_URLS
    max_bytes: int = SITEMAP_MAX_BYTES

    @classmethod
    def from_settings(cls, settings: dict) -> SitemapLimits:
        """Return the limits a build's settings ask for (the protocol's by default)."""
        values = {}
        for name, key, default, ceiling in (
            (MAX_URLS_SETTING, "max_urls", SITEMAP_MAX_URLS, SITEMAP_MAX_URLS),
            (MAX_BYTES_SETTING, "max_bytes", SITEMAP_MAX_BYTES, SITEMAP_MAX_BYTES),
        ):
            value = settings.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SitemapLimitError(
                    f"{name} = {value!r}: give a whole number from 1 to {ceiling:,}"
                    " in the settings file, or leave it out for the protocol's limit"
                )
            values[key] = min(value, ceiling)
        return cls(**values)


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
    Date). A listing changed when the newest article it links to changed: a dated
    page in the menu of every page (About) says nothing about a listing. A page that
    links to no article (archives.html links years and months) takes the newest
    article's date, else the newest date of the site.
    """
    own = {
        links.canonical: when
        for links in pages.values()
        if links.canonical and (when := parse_time(links.modified))
    }
    articles = {
        links.canonical: own[links.canonical]
        for links in pages.values()
        if links.canonical in own and declares_news_article(links)
    }
    newest = max(articles.values(), default=None) or max(own.values(), default=None)
    dates = {}
    for links in pages.values():
        if not links.canonical:
            continue
        if links.canonical in own:
            dates[links.canonical] = own[links.canonical]
            continue
        linked = [articles[href] for href in links.links if href in articles]
        when = max(linked, default=newest)
        if when is not None:
            dates[links.canonical] = when
    return dates


def declares_news_article(links: PageLinks) -> bool:
    """Return True if the page's JSON-LD says it is a NewsArticle (an article, not a page)."""
    for body in links.json_ld:
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") == "NewsArticle":
            return True
    return False


def sitemap_entries(pages: dict[Path, PageLinks]) -> list[tuple[str, str]]:
    """Return (lastmod or "", <url> element text) for each indexable page, in page order.

    An alternate that is itself kept out of search engines (noindex) is not listed.
    """
    hidden = {links.canonical for links in pages.values() if links.noindex}
    dates = last_modified(pages)
    entries = []
    for links in pages.values():
        if links.noindex or not links.canonical:
            continue
        lines = ["  <url>", f"    <loc>{_escape(links.canonical)}</loc>"]
        when = dates[links.canonical].isoformat() if links.canonical in dates else ""
        if when:
            lines.append(f"    <lastmod>{when}</lastmod>")
        for hreflang, href in links.alternates:
            if href in hidden:
                continue
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)}'
                f" href={quoteattr(href)}/>"
            )
        lines.append("  </url>")
        entries.append((when, "\n".join(lines) + "\n"))
    return entries


def render_sitemap(pages: dict[Path, PageLinks]) -> str:
    """Return sitemap XML for the indexable pages: one <url> each, lastmod and alternates."""
    return _urlset(element for _, element in sitemap_entries(pages))


def split_entries(
    entries: Sequence[tuple[str, str]], limits: SitemapLimits
) -> list[list[tuple[str, str]]]:
    """Cut ``entries`` into runs that each make a sitemap file within ``limits``."""
    frame = len((_URLSET_HEAD + _URLSET_TAIL).encode("utf-8"))
    parts: list[list[tuple[str, str]]] = []
    size = 0
    for entry in entries:
        grown = len(entry[1].encode("utf-8"))
        if parts and len(parts[-1]) < limits.max_urls and size + grown <= limits.max_bytes:
            parts[-1].append(entry)
            size += grown
            continue
        if frame + grown > limits.max_bytes:
            raise SitemapLimitError(
                f"{MAX_BYTES_SETTING} = {limits.max_bytes:,}: one <url> entry takes"
                f" {frame + grown:,} bytes with its frame; raise the setting"
            )
        parts.append([entry])
        size = frame + grown
    return parts


def render_sitemap_index(parts: Sequence[tuple[str, str]]) -> str:
    """Return a sitemap index naming each (URL, newest lastmod or "") sitemap file."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<sitemapindex xmlns="{SITEMAP_NS}">',
    ]
    for url, when in parts:
        lines += ["  <sitemap>", f"    <loc>{_escape(url)}</loc>"]
        if when:
            lines.append(f"    <lastmod>{when}</lastmod>")
        lines.append("  </sitemap>")
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"


def write_sitemap(
    output: Path,
    root: str,
    since: float | None = None,
    pages: dict[Path, PageLinks] | None = None,
    limits: SitemapLimits | None = None,
) -> list[Path]:
    """Write the sitemap at the output root; return its files, ``sitemap.xml`` first.

    ``pages``, else those written since ``since``. Within ``limits`` it is one
    ``sitemap.xml``; past them, ``sitemap.xml`` is an index over numbered files.
    """
    if not root.startswith(("http://", "https://")):
        # Search engines need absolute URLs; a development build keeps the
        # root-relative ones its pages use.
        logger.debug("trilingual: SITEURL is not absolute; sitemap URLs are root-relative")
    target = Path(output) / "sitemap.xml"
    if pages is None:
        pages = collect_pages(output, since)
    parts = split_entries(sitemap_entries(pages), limits or SitemapLimits())
    if len(parts) <= 1:
        write_if_changed(target, _urlset(element for _, element in (parts or [[]])[0]))
        return [target]
    if len(parts) > SITEMAP_INDEX_MAX_ENTRIES:
        raise SitemapLimitError(
            f"the sitemap needs {len(parts):,} files, more than a sitemap index may name"
            f" ({SITEMAP_INDEX_MAX_ENTRIES:,}); raise {MAX_URLS_SETTING} or {MAX_BYTES_SETTING}"
        )
    written, named = [target], []
    for number, part in enumerate(parts, start=1):
        path = Path(output) / SITEMAP_PART_NAME.format(number=number)
        write_if_changed(path, _urlset(element for _, element in part))
        written.append(path)
        # ISO 8601 strings of one site compare as their times do only with one offset,
        # so the newest is found by parsing.
        dates = [parsed for when, _ in part if (parsed := parse_time(when))]
        newest = max(dates).isoformat() if dates else ""
        named.append((f"{root}/{path.name}", newest))
    write_if_changed(target, render_sitemap_index(named))
    return written


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


def _urlset(elements: Iterable[str]) -> str:
    """Return a <urlset> document around ready-made <url> elements."""
    return _URLSET_HEAD + "".join(elements) + _URLSET_TAIL


def _escape(text: str) -> str:
    """Escape text for an XML element body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
