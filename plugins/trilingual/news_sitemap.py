"""Write one Google News sitemap per language from the NewsArticle JSON-LD of built pages."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from autotranslate.errors import StopBuild

from .sitemap import SITEMAP_NS, PageLinks, parse_time, write_if_changed

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


def news_entry(path: Path, links: PageLinks) -> NewsEntry | None:
    """Return the page's entry if it declares a NewsArticle and may be indexed."""
    if links.noindex or not links.canonical:
        return None
    for body in links.json_ld:
        try:
            data = json.loads(body)
        except ValueError as error:
            logger.warning(
                "trilingual: %s: invalid JSON-LD (%s); not in the news sitemap", path, error
            )
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
    pages: Mapping[Path, PageLinks],
    languages: Sequence[str],
    now: datetime.datetime | None = None,
    limit: int = NEWS_LIMIT,
) -> list[Path]:
    """Write ``news-sitemap-<lang>.xml`` at the output root for each language; return them.

    They sit at the root (not in /fr/) so that each may list its section's URLs
    whatever the section's folder; robots.txt names them all.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    entries = [e for path, links in pages.items() if (e := news_entry(path, links))]
    written = []
    for lang in languages:
        target = Path(output) / NEWS_SITEMAP_NAME.format(lang=lang)
        write_if_changed(target, render_news_sitemap(recent_news(entries, lang, now, limit)))
        written.append(target)
    return written
