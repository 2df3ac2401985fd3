"""Render an imported post as a Markdown file of this project, and recognise one on disk.

The file records where it came from (``WordPress-Id:`` or ``Feed-Id:``) and a digest
of what the import wrote (``Import-Digest:``): a later import finds the post by its id
and can tell a file nobody touched (updated when the source changed) from one a
person edited since (kept, unless forced).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DIGEST_KEY = "Import-Digest"
SOURCE_KEYS = {"wordpress": "WordPress-Id", "feed": "Feed-Id"}
_DIGEST_LINE = re.compile(rf"^{DIGEST_KEY}: *([0-9a-f]*) *\n", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    """One post as the import would write it."""

    kind: str  # "article" or "page"
    slug: str
    lang: str
    status: str  # "published" or "draft"
    text: str  # the whole file, digest line included


def one_line(text: str) -> str:
    """Return ``text`` on one line (a metadata value cannot hold a line break).

    >>> one_line("  سطر\\nثان  ")
    'سطر ثان'
    """
    return " ".join(str(text).split())


def digest_of(text: str) -> str:
    """Return the digest of a file's text with its Import-Digest line left out."""
    body = _DIGEST_LINE.sub("", text, count=1)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def recorded_digest(text: str) -> str | None:
    """Return the Import-Digest a file records, or None if it has none."""
    match = _DIGEST_LINE.search(text)
    return match.group(1) if match else None


def render(fields: list[tuple[str, str]], body: str, source: str, source_id: str, kind: str) -> str:
    """Return a file: metadata lines (empty values left out), source id, digest, body."""
    lines = [f"{key}: {one_line(value)}" for key, value in fields if one_line(value)]
    lines.append(f"{SOURCE_KEYS[source]}: {one_line(source_id)}")
    without_digest = "\n".join(lines) + "\n\n" + body
    digest = digest_of(without_digest)
    return "\n".join([*lines, f"{DIGEST_KEY}: {digest}"]) + "\n\n" + body


def format_time(moment: datetime.datetime) -> str:
    """Return a date as the project's files write it (site time, to the minute).

    >>> format_time(datetime.datetime(2016, 11, 29, 10, 5, 31))
    '2016-11-29 10:05'
    """
    return moment.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class OnDisk:
    """An imported file found in the content: its id, slug and whether a person edited it."""

    path: Path
    source_id: str
    slug: str
    text: str

    @property
    def edited(self) -> bool:
        """Tell whether the file differs from what the import wrote (no digest: edited)."""
        recorded = recorded_digest(self.text)
        return recorded is None or recorded != digest_of(self.text)


def read_front_matter(text: str) -> dict[str, str]:
    """Return the ``Key: value`` lines at the top of a file, keys lowercased."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if not line.strip() or not colon or " " in key.strip():
            break
        fields.setdefault(key.strip().lower(), value.strip())
    return fields


def imported_files(folder: Path, source: str) -> tuple[dict[str, OnDisk], dict[Path, str]]:
    """Return (source id → imported file, file → slug of every Markdown file) of a folder."""
    key = SOURCE_KEYS[source].lower()
    found: dict[str, OnDisk] = {}
    slugs: dict[Path, str] = {}
    for path in sorted(Path(folder).rglob("*.md")) if Path(folder).is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        fields = read_front_matter(text)
        slugs[path] = fields.get("slug") or path.stem
        if fields.get(key):
            found.setdefault(fields[key], OnDisk(path, fields[key], slugs[path], text))
    return found, slugs
