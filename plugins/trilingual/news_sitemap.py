"""Write one Google News sitemap per language from the news facts of the build's articles.

An article's record holds what its NewsArticle JSON-LD says (headline, datePublished,
publisher, inLanguage), taken from the article when it was rendered.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from autotranslate.errors import StopBuild

from .manifest import SitemapFacts
from .sitemap import SITEMAP_NS, parse_time, write_if_changed

logger = logging.getLogger(__name__)

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_SITEMAP_NAME = "news-sitemap-{lang}.xml"
# Google News reads articles published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000
NEWS_LIMIT_SETTING = "TRILINGUAL_NEWS_SITEMAP_MAX_URLS"  # lower only (tests cross it)


@dataclass(frozen=True)
class NewsEntry:
    """One article as a news sitemap lists it."""

    url: str
    lang: str
    title: str
    published: datetime.datetime
    publication: str


def news_entry(page: SitemapFacts) -> NewsEntry | None:
    """Return the page's entry if it is a dated article that may be indexed."""
    news = page.news
    if page.noindex or news is None:
        return None
    published = parse_time(news.published)
    if published is None:
        logger.warning(
            "trilingual: %s: publication date %r is not ISO 8601; not in the news sitemap",
            page.url,
            news.published,
        )
        return None
    return NewsEntry(page.url, news.lang, news.title, published, news.publication)


def recent_news(
    entries: Iterable[NewsEntry], lang: str, now: datetime.datetime, limit: int = NEWS_LIMIT
) -> list[NewsEntry]:
    """Return the ``limit`` newest ``lang`` entries published in the two days before ``now``."""
    recent = [e for e in entries if e.lang == lang and now - NEWS_WINDOW <= e.published <= now]
    return sorted(recent, key=lambda e: e.published, reverse=True)[: min(limit, NEWS_LIMIT)]


def news_limit(settings: Mapping) -> int:
    """Return how many URLs a news sitemap may hold under ``settings`` (at most 1,000)."""
    value = settings.get(NEWS_LIMIT_SETTING, NEWS_LIMIT)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= NEWS_LIMIT:
        raise StopBuild(
            f"{NEWS_LIMIT_SETTING} = {value!r}: give a whole number from 1 to {NEWS_LIMIT:,}"
            " in the settings file, or leave it out for Google News's limit"
        )
    return value


def render_news_sitemap(entries: Sequence[NewsEntry]) -> str:
    """Return a Google News sitemap; with no entries it is a valid, empty urlset."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">',
    ]
    for entry in entries:
        lines += [
            "  <url>",
            f"    <loc>{escape(entry.url)}</loc>",
            "    <news:news>",
            "      <news:publication>",
            f"        <news:name>{escape(entry.publication)}</news:name>",
            f"        <news:language>{escape(entry.lang)}</news:language>",
            "      </news:publication>",
            f"      <news:publication_date>{entry.published.isoformat()}</news:publication_date>",
            f"      <news:title>{escape(entry.title)}</news:title>",
            "    </news:news>",
            "  </url>",
        ]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_news_sitemaps(
    output: Path,
    pages: Iterable[SitemapFacts],
    languages: Sequence[str],
    now: datetime.datetime | None = None,
    limit: int = NEWS_LIMIT,
) -> list[Path]:
    """Write ``news-sitemap-<lang>.xml`` at the output root for each language; return them.

    They sit at the root (not in /fr/) so that each may list its section's URLs
    whatever the section's folder; robots.txt names them all.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    entries = [entry for page in pages if (entry := news_entry(page))]
    written = []
    for lang in languages:
        target = Path(output) / NEWS_SITEMAP_NAME.format(lang=lang)
        write_if_changed(target, render_news_sitemap(recent_news(entries, lang, now, limit)))
        written.append(target)
    return written
