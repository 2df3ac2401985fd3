"""Read an RSS or Atom feed (a file or a URL) with feedparser, one Post per entry."""

from __future__ import annotations

import calendar
import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .posts import ImportRefused, Post, PostRefused
from .wxr import Export

# WordPress feeds name each entry by its short link: https://site.ma/?p=123.
_WORDPRESS_GUID = re.compile(r"[?&]p=(\d+)\b")


def read_feed(source: str, timezone: str) -> Export:
    """Read every entry of a feed; a source that is not a feed raises ImportRefused."""
    import feedparser

    is_url = urlsplit(source).scheme in ("http", "https")
    if not is_url and not Path(source).is_file():
        raise ImportRefused(f"{source}: no such file (give a feed file or an http(s) URL)")
    parsed = feedparser.parse(source)
    if not parsed.get("version") or (parsed.bozo and not parsed.entries):
        why = parsed.get("bozo_exception") or "no <rss> or <feed> element"
        raise ImportRefused(f"{source}: not an RSS or Atom feed ({why})")
    zone = ZoneInfo(timezone)
    export = Export(base_url=parsed.feed.get("link", ""))
    for number, entry in enumerate(parsed.entries, start=1):
        entry_id = entry.get("id") or entry.get("link") or ""
        where = f"{source}, entry {number} ({entry_id or 'without an id'})"
        try:
            export.posts.append(_post(entry, entry_id, where, zone))
        except PostRefused as refusal:
            export.refused.append(f"{where}: {refusal}")
    return export


def _post(entry, entry_id: str, where: str, zone: ZoneInfo) -> Post:
    """Return one feed entry as a published article, or raise PostRefused."""
    if not entry_id:
        raise PostRefused("it has no <guid>/<id> and no link, so a later import could not find it")
    title = (entry.get("title") or "").strip()
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    if not title and not html.strip():
        raise PostRefused("it has no title and no content; there is nothing to import")
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if moment is None:
        raise PostRefused("its date cannot be read (<pubDate>/<published> missing or malformed)")
    date = datetime.datetime.fromtimestamp(calendar.timegm(moment), datetime.UTC).astimezone(zone)
    updated = entry.get("updated_parsed")
    modified = (
        datetime.datetime.fromtimestamp(calendar.timegm(updated), datetime.UTC).astimezone(zone)
        if updated
        else None
    )
    link = entry.get("link", "")
    name = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1] if link else ""
    guid = _WORDPRESS_GUID.search(entry_id)
    return Post(
        source_id=entry_id,
        kind="article",
        status="publish",
        title=title,
        html=html,
        name=name.removesuffix(".html"),
        date=date,
        modified=modified if modified and modified > date else None,
        author=entry.get("author", ""),
        tags=tuple(tag.get("term", "") for tag in entry.get("tags", []) if tag.get("term")),
        link=link,
        short_link_id=guid.group(1) if guid else "",
        where=where,
    )
