"""The sitemaps as the build made them until it kept facts in its records: by reading
every written page back. The tests hold the record-made sitemaps to this reference.

The parser, ``last_modified``, the entries and ``news_entry`` are the product's code of
that time; the files are framed by the product's own helpers, so a difference between
the two can only come from what the pages say against what the records say.
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

from trilingual.news_sitemap import NEWS_SITEMAP_NAME, NewsEntry, recent_news, render_news_sitemap
from trilingual.sitemap import SitemapLimits, parse_time, write_sitemap_entries

logger = logging.getLogger(__name__)


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


def collect_pages(paths: Iterable[Path]) -> dict[Path, PageLinks]:
    """Return the head links of the HTML files among ``paths``, sorted by path."""
    return {path: read_page_links(path) for path in sorted(p for p in paths if p.suffix == ".html")}


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


def last_modified(pages: dict[Path, PageLinks]) -> dict[str, datetime.datetime]:
    """Return {canonical URL: lastmod}: own dates, listings by the articles they link."""
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


def sitemap_entries(pages: dict[Path, PageLinks]) -> list[tuple[str, str]]:
    """Return (lastmod or "", <url> element text) for each indexable page, in page order."""
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


def news_entry(path: Path, links: PageLinks) -> NewsEntry | None:
    """Return the page's entry if it declares a NewsArticle and may be indexed."""
    if links.noindex or not links.canonical:
        return None
    for body in links.json_ld:
        try:
            data = json.loads(body)
        except ValueError as error:
            logger.warning("%s: invalid JSON-LD (%s); not in the news sitemap", path, error)
            continue
        if not isinstance(data, dict) or data.get("@type") != "NewsArticle":
            continue
        published = parse_time(data.get("datePublished"))
        publisher = data.get("publisher") or {}
        if published is None or not data.get("headline"):
            continue
        return NewsEntry(
            url=links.canonical,
            lang=str(data.get("inLanguage") or links.lang),
            title=str(data["headline"]),
            published=published,
            publication=str(publisher.get("name", "")) if isinstance(publisher, dict) else "",
        )
    return None


def write_read_back_sitemaps(
    pages: dict[Path, PageLinks],
    target: Path,
    root: str,
    languages: Sequence[str],
    now: datetime.datetime,
    limits: SitemapLimits,
    news_limit: int,
) -> list[Path]:
    """Write into ``target`` the sitemap files and news sitemaps the read-back made."""
    written = write_sitemap_entries(target, root, sitemap_entries(pages), limits)
    entries = [entry for path, links in pages.items() if (entry := news_entry(path, links))]
    for lang in languages:
        path = target / NEWS_SITEMAP_NAME.format(lang=lang)
        path.write_text(render_news_sitemap(recent_news(entries, lang, now, news_limit)), "utf-8")
        written.append(path)
    return written


def _escape(text: str) -> str:
    """Escape text for an XML element body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
