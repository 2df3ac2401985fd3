"""Digest what a template reads (articles, pages, lists, pagination) into one stable key."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

# Attributes of a Content that are not its own data: the whole run's context and
# settings (the settings are keyed once per run, see writer.py).
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings"})
# What a Content shows that lives in properties, not in its __dict__.
CONTENT_PROPERTIES = ("url", "save_as", "content", "summary")
# A related Content (a translation, a neighbour, the original of a translation) is
# digested with its own data one level down; further down it is named only.
RELATED_DEPTH = 1
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class Fingerprinter:
    """Digest values for one build; each Content is digested once (it does not change
    while pages are written)."""

    def __init__(self) -> None:
        self._contents: dict[tuple[int, int], tuple[Any, bytes]] = {}
        self._frozen: dict[tuple[int, int], tuple[Any, bytes]] = {}

    def digest(self, value: Any) -> str:
        """Return the hex digest of ``value`` as a template would see it."""
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value, 0, set())
        return hasher.hexdigest()

    def _content(self, content: Any, depth: int) -> bytes:
        """Return the digest of a Content at ``depth`` (memoized by identity)."""
        key = (id(content), depth)
        known = self._contents.get(key)
        if known is not None and known[0] is content:
            return known[1]
        hasher = hashlib.blake2b(digest_size=16)
        _token(hasher, "content", type(content).__qualname__)
        for name in CONTENT_PROPERTIES:
            try:
                value = getattr(content, name)
            except Exception as error:  # a property that cannot be computed is data too
                value = f"<{type(error).__name__}>"
            _token(hasher, "property", name)
            self._feed(hasher, value, depth + 1, set())
        for name in sorted(vars(content)):
            if name in SKIPPED_ATTRIBUTES:
                continue
            _token(hasher, "attribute", name)
            self._feed(hasher, vars(content)[name], depth + 1, set())
        digest = hasher.digest()
        # The object is kept with its digest, so its id cannot be reused meanwhile.
        self._contents[key] = (content, digest)
        return digest

    def _feed(self, hasher: Any, value: Any, depth: int, seen: set[int]) -> None:
        """Feed ``value``'s canonical form into ``hasher``."""
        if value is None or isinstance(value, bool | int | float | str | bytes | Enum):
            _token(hasher, type(value).__name__, repr(value))
            return
        if isinstance(value, datetime.date | datetime.time):
            _token(
                hasher, type(value).__name__, value.isoformat(), str(getattr(value, "tzinfo", ""))
            )
            return
        if isinstance(value, PurePath):
            _token(hasher, "path", str(value))
            return
        if isinstance(value, Content):
            # ``depth`` counts Content steps from the page: inside another Content's
            # data is one step down; lists and listings do not count as a step.
            if depth > RELATED_DEPTH:
                _token(hasher, "ref", type(value).__qualname__, _content_name(value))
            else:
                _token(hasher, "content-digest", self._content(value, depth).hex())
            return
        if isinstance(value, URLWrapper):
            _token(
                hasher, type(value).__qualname__, value.name, value.slug, value.url, value.save_as
            )
            return
        if id(value) in seen:
            _token(hasher, "cycle")
            return
        seen = seen | {id(value)}
        if isinstance(value, Paginator):
            # A listing's page reads its own slice (below) and these numbers; the
            # whole list behind the paginator is not shown by one page.
            _token(hasher, "paginator", value.name, value.url, str(value.count))
            _token(hasher, str(value.num_pages), str(value.per_page), str(value.orphans))
            return
        if isinstance(value, PaginatorPage):
            _token(hasher, "page", value.full_name, value.base_url, str(value.number))
            self._feed(hasher, value.object_list, depth, seen)
            self._feed(hasher, value.paginator, depth, seen)
            return
        if isinstance(value, Mapping):
            _token(hasher, "mapping", str(len(value)))
            for key in sorted(value, key=repr):
                self._feed(hasher, key, depth, seen)
                self._feed(hasher, value[key], depth, seen)
            return
        if isinstance(value, list | tuple):
            _token(hasher, "sequence", str(len(value)))
            for item in value:
                self._feed(hasher, item, depth, seen)
            return
        if isinstance(value, set | frozenset):
            _token(hasher, "set", str(len(value)))
            for item in sorted(value, key=repr):
                self._feed(hasher, item, depth, seen)
            return
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if type(value).__dataclass_params__.frozen:
                # The translation stage's results are frozen and shared by many pages
                # (an original and its versions): digested once each.
                _token(hasher, "frozen", self._frozen_digest(value, depth, seen).hex())
            else:
                self._feed_fields(hasher, value, depth, seen)
            return
        if callable(value):
            # Functions and classes: their code is keyed with the plugins' and packages'.
            module = getattr(value, "__module__", "")
            _token(hasher, "callable", module, getattr(value, "__qualname__", repr(value)))
            return
        if hasattr(value, "__dict__"):
            _token(hasher, "object", type(value).__qualname__)
            for name in sorted(vars(value)):
                if name not in SKIPPED_ATTRIBUTES:
                    _token(hasher, name)
                    self._feed(hasher, vars(value)[name], depth, seen)
            return
        # Anything else is known by its text; an address in it would change every run
        # and only cost a render, never skip one wrongly.
        _token(hasher, "repr", type(value).__qualname__, repr(value))

    def _frozen_digest(self, value: Any, depth: int, seen: set[int]) -> bytes:
        """Return the digest of a frozen dataclass (memoized by identity and depth)."""
        key = (id(value), depth)
        known = self._frozen.get(key)
        if known is not None and known[0] is value:
            return known[1]
        hasher = hashlib.blake2b(digest_size=16)
        self._feed_fields(hasher, value, depth, seen)
        digest = hasher.digest()
        self._frozen[key] = (value, digest)
        return digest

    def _feed_fields(self, hasher: Any, value: Any, depth: int, seen: set[int]) -> None:
        """Feed a dataclass's type and fields."""
        _token(hasher, "dataclass", type(value).__qualname__)
        for field in dataclasses.fields(value):
            _token(hasher, field.name)
            self._feed(hasher, getattr(value, field.name), depth, seen)


def _content_name(content: Any) -> str:
    """Return what names a Content across builds: its source, language and URL."""
    parts = (
        str(getattr(content, "source_path", "")),
        str(getattr(content, "lang", "")),
        str(getattr(content, "url", "")),
    )
    return "\x1f".join(parts)


def stable_repr(value: Any) -> str:
    """Return ``repr(value)`` without memory addresses (for settings).

    >>> stable_repr(object()).startswith("<object object>")
    True
    """
    return _ADDRESS.sub("", repr(value))


def _token(hasher: Any, *parts: str) -> None:
    """Feed one length-prefixed token, so that no two sequences of parts collide."""
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    hasher.update(b"\x00")
