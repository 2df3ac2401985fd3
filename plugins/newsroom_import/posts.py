"""What an importer reads from an archive: one Post per item, and the errors it raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ImportRefused(Exception):
    """A whole source cannot be imported: the message names the file and what to do."""


class PostRefused(Exception):
    """One item of a source cannot be imported; the others still are."""


@dataclass(frozen=True)
class Attachment:
    """A file WordPress knows about (wp:attachment_url), by its attachment id."""

    attachment_id: str
    url: str
    parent: str


@dataclass(frozen=True)
class Post:
    """One post or page of an archive, as its source gives it (HTML body, site-time dates)."""

    source_id: str  # the WordPress post id, or a feed entry's id
    kind: str  # "article" or "page"
    status: str  # the source's own status word (publish, draft, future, private...)
    title: str
    html: str
    name: str  # WordPress post name (percent-encoded), "" when none
    date: datetime.datetime | None
    modified: datetime.datetime | None = None
    author: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excerpt: str = ""
    link: str = ""  # the old permalink
    language: str = ""  # the language WordPress recorded (Polylang, WPML), if any
    thumbnail_id: str = ""  # _thumbnail_id postmeta: the featured image's attachment
    short_link_id: str = ""  # the WordPress id its /?p=ID short link names, if known
    where: str = ""  # "FILE, item N (post ID)" for messages
    problems: tuple[str, ...] = field(default=())  # why it cannot be imported, if so
