"""Write sitemap.xml (hreflang alternates, lastmod) and robots.txt from the build's records.

The facts come from the records the section writers made while rendering each page
(sitemap_facts.py), kept in the manifest for pages a build did not render again:
no written page is read back.

Within the protocol's limits (sitemaps.org): a sitemap file holds at most 50,000 URLs
and 50 MB; a site with more gets ``sitemap.xml`` as a sitemap index over
``sitemap-1.xml``, ``sitemap-2.xml``... (at most 50,000 of them).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import quoteattr

from autotranslate.errors import StopBuild

from .manifest import OutputRecord, SitemapFacts
from .redirects import REDIRECT_KIND

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


def listed_pages(records: Mapping[str, OutputRecord]) -> list[SitemapFacts]:
    """Return the sitemap facts of the recorded pages, in path order.

    A file without facts (a feed, a picture) is no page; a redirect is never listed.
    """
    found = [
        (PurePosixPath(name), record.sitemap)
        for name, record in records.items()
        if record.sitemap is not None and record.section != REDIRECT_KIND
    ]
    return [facts for _, facts in sorted(found, key=lambda item: item[0])]


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


def last_modified(pages: Sequence[SitemapFacts]) -> dict[str, datetime.datetime]:
    """Return {URL: lastmod} for every page that has a date to give.

    An article or page has its own (Modified, else Date). A listing changed when
    the newest article it lists changed: a dated page in the menu of every page
    (About) says nothing about a listing. A page that lists no article (archives.html
    links years and months) takes the newest article's date, else the newest date
    of the site.
    """
    own = {page.url: when for page in pages if (when := parse_time(page.modified))}
    articles = {page.url: own[page.url] for page in pages if page.article and page.url in own}
    newest = max(articles.values(), default=None) or max(own.values(), default=None)
    dates = {}
    for page in pages:
        if page.url in own:
            dates[page.url] = own[page.url]
            continue
        shown = [articles[url] for url in page.shows if url in articles]
        when = max(shown, default=newest)
        if when is not None:
            dates[page.url] = when
    return dates


def sitemap_entries(pages: Sequence[SitemapFacts]) -> list[tuple[str, str]]:
    """Return (lastmod or "", <url> element text) for each indexable page, in page order.

    An alternate that is itself kept out of search engines (noindex) is not listed.
    """
    hidden = {page.url for page in pages if page.noindex}
    dates = last_modified(pages)
    entries = []
    for page in pages:
        if page.noindex:
            continue
        when = dates[page.url].isoformat() if page.url in dates else ""
        entries.append((when, url_element(page.url, when, page.alternates, hidden)))
    return entries


def url_element(
    url: str, when: str, alternates: Iterable[tuple[str, str]], hidden: set[str]
) -> str:
    """Return one <url> element: its loc, lastmod and the alternates not in ``hidden``."""
    lines = ["  <url>", f"    <loc>{_escape(url)}</loc>"]
    if when:
        lines.append(f"    <lastmod>{when}</lastmod>")
    for hreflang, href in alternates:
        if href in hidden:
            continue
        lines.append(
            f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)}'
            f" href={quoteattr(href)}/>"
        )
    lines.append("  </url>")
    return "\n".join(lines) + "\n"


def render_sitemap(pages: Sequence[SitemapFacts]) -> str:
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
    pages: Sequence[SitemapFacts],
    limits: SitemapLimits | None = None,
) -> list[Path]:
    """Write the sitemap of ``pages`` at the output root; return its files, ``sitemap.xml`` first.

    Within ``limits`` it is one ``sitemap.xml``; past them, ``sitemap.xml`` is an
    index over numbered files.
    """
    return write_sitemap_entries(output, root, sitemap_entries(pages), limits)


def write_sitemap_entries(
    output: Path,
    root: str,
    entries: Sequence[tuple[str, str]],
    limits: SitemapLimits | None = None,
) -> list[Path]:
    """Write ready-made (lastmod, <url> element) entries as ``sitemap.xml`` (and its parts)."""
    if not root.startswith(("http://", "https://")):
        # Search engines need absolute URLs; a development build keeps the
        # root-relative ones its pages use.
        logger.debug("trilingual: SITEURL is not absolute; sitemap URLs are root-relative")
    target = Path(output) / "sitemap.xml"
    parts = split_entries(entries, limits or SitemapLimits())
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
