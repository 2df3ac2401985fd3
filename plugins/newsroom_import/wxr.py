"""Read a WordPress export (WXR: RSS 2.0 with the wp:, content:, excerpt: namespaces)."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .posts import Attachment, ImportRefused, Post, PostRefused

WP_NAMESPACE = "http://wordpress.org/export/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# Post types that become site contents; attachments feed the image map; the rest
# (menus, revisions, reusable blocks, custom types) are WordPress's own machinery.
CONTENT_TYPES = {"post": "article", "page": "page"}
# WordPress statuses whose items are not contents at all: counted, never imported.
NOT_CONTENT_STATUSES = frozenset({"trash", "auto-draft", "inherit"})
KNOWN_STATUSES = frozenset({"publish", "draft", "pending", "future", "private"})
_NO_DATE = "0000-00-00 00:00:00"


@dataclass
class Export:
    """What one export holds: its contents, its attachments, and what could not be read."""

    posts: list[Post] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # "nav_menu_item", "trash"...
    base_url: str = ""  # wp:base_site_url, the old site's address
    authors: dict[str, str] = field(default_factory=dict)  # login → display name


def read_wxr(path: Path, timezone: str) -> Export:
    """Read every item of a WXR file; a file that is not one raises ImportRefused."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        line, column = error.position
        raise ImportRefused(
            f"{path}: not an XML file (line {line}, column {column}: "
            f"{str(error).split(':')[0]}); give the file WordPress writes in Tools → Export"
        ) from None
    except OSError as error:
        raise ImportRefused(f"{path}: cannot be read ({error.strerror or error})") from None
    channel = root.find("channel")
    version = None if channel is None else _wp_child(channel, "wxr_version")
    if root.tag != "rss" or version is None:
        raise ImportRefused(
            f"{path}: XML, but not a WordPress export (WXR): no <rss><channel> with a "
            "<wp:wxr_version>; export from WordPress with Tools → Export → All content"
        )
    zone = ZoneInfo(timezone)
    export = Export(base_url=_text(_wp_child(channel, "base_site_url")))
    for author in channel:
        if _local(author.tag) == ("wp", "author"):
            login = _text(_wp_child(author, "author_login")).strip()
            shown = _text(_wp_child(author, "author_display_name")).strip()
            if login and shown:
                export.authors[login] = shown
    for number, item in enumerate(channel.findall("item"), start=1):
        fields = _fields(item)
        post_id = fields.get("wp:post_id", "")
        where = f"{path}, item {number} (post {post_id or 'without an id'})"
        post_type = fields.get("wp:post_type", "post")
        if post_type == "attachment":
            url = fields.get("wp:attachment_url", "")
            if post_id and url:
                export.attachments[post_id] = Attachment(
                    post_id, url, fields.get("wp:post_parent", "")
                )
            continue
        if post_type not in CONTENT_TYPES:
            export.skipped[post_type] += 1
            continue
        status = fields.get("wp:status", "")
        if status in NOT_CONTENT_STATUSES:
            export.skipped[status] += 1
            continue
        try:
            export.posts.append(_post(item, fields, post_id, post_type, status, where, zone))
        except PostRefused as refusal:
            export.refused.append(f"{where}: {refusal}")
    return export


def _post(item, fields, post_id, post_type, status, where, zone) -> Post:
    """Return one post or page, or raise PostRefused saying why it cannot be imported."""
    if not post_id:
        raise PostRefused("it has no <wp:post_id>, so a later import could not find it again")
    if status not in KNOWN_STATUSES:
        raise PostRefused(
            f"unknown status {status!r} (WordPress writes publish, draft, pending, future "
            "or private); fix <wp:status> or delete the item"
        )
    title = fields.get("title", "").strip()
    html = fields.get("content:encoded", "")
    if not title and not html.strip():
        raise PostRefused("it has no title and no content; there is nothing to import")
    date = _site_time(fields, "post_date", zone)
    modified = _site_time(fields, "post_modified", zone)
    if date is None:
        date = modified  # a draft WordPress never dated: its last edit
    if date is None:
        raise PostRefused("it has no date (<wp:post_date> and <wp:post_modified> are empty)")
    categories, tags, language = [], [], ""
    for category in item.findall("category"):
        domain, name = category.get("domain", ""), _text(category).strip()
        if domain == "category" and name:
            categories.append(name)
        elif domain == "post_tag" and name:
            tags.append(name)
        elif domain == "language":  # Polylang records a post's language so
            language = category.get("nicename", "") or name
    meta = {
        _text(_wp_child(entry, "meta_key")): _text(_wp_child(entry, "meta_value"))
        for entry in item
        if _local(entry.tag) == ("wp", "postmeta")
    }
    return Post(
        source_id=post_id,
        kind=CONTENT_TYPES[post_type],
        status=status,
        title=title,
        html=html,
        name=fields.get("wp:post_name", "").strip(),
        date=date,
        modified=modified if modified and modified > date else None,
        author=fields.get("dc:creator", "").strip(),
        categories=tuple(dict.fromkeys(categories)),
        tags=tuple(dict.fromkeys(tags)),
        excerpt=fields.get("excerpt:encoded", "").strip(),
        link=fields.get("link", "").strip(),
        language=language.strip().lower(),
        thumbnail_id=meta.get("_thumbnail_id", "").strip(),
        short_link_id=post_id,
        where=where,
    )


def _site_time(fields, name: str, zone: ZoneInfo) -> datetime.datetime | None:
    """Return a WordPress date in the site's time zone (from its GMT twin when it has one)."""
    local, utc = fields.get(f"wp:{name}", "").strip(), fields.get(f"wp:{name}_gmt", "").strip()
    for text, given_zone in ((utc, datetime.UTC), (local, zone)):
        if not text or text == _NO_DATE:
            continue
        try:
            parsed = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise PostRefused(
                f"<wp:{name}{'_gmt' if text is utc else ''}> {text!r} is not a date "
                "(WordPress writes YYYY-MM-DD HH:MM:SS); fix it in the export"
            ) from None
        return parsed.replace(tzinfo=given_zone).astimezone(zone)
    return None


def _local(tag: str) -> tuple[str, str]:
    """Return (namespace kind, local name) of an element tag: ("wp", "post_id")."""
    if not tag.startswith("{"):
        return "", tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(WP_NAMESPACE):
        return ("excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"), local
    if namespace == CONTENT_NAMESPACE:
        return "content", local
    if namespace == DC_NAMESPACE:
        return "dc", local
    return namespace, local


def _fields(item) -> dict[str, str]:
    """Return an item's single-valued children by "kind:name" (title, wp:post_id...)."""
    fields = {}
    for child in item:
        kind, local = _local(child.tag)
        key = f"{kind}:{local}" if kind else local
        fields.setdefault(key, _text(child))
    return fields


def _wp_child(element, name: str):
    """Return the first wp:NAME child of ``element`` (any WXR version), or None."""
    return next((child for child in element if _local(child.tag) == ("wp", name)), None)


def _text(element) -> str:
    """Return an element's text, "" for a missing element or an empty one."""
    return "" if element is None or element.text is None else element.text
