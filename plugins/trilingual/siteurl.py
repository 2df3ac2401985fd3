"""The site's public address (SITEURL): parsed and checked once, never pasted as given.

Every page, feed and sitemap joins paths to SITEURL, so a query (``?utm=1``), a
fragment (``#top``) or credentials (``user:secret@``) in it would end up in every
link, or in public. Pure: no Pelican.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from autotranslate.errors import StopBuild

# Characters a URL never holds as such: they would have to be percent-encoded, and
# some (quotes, angle brackets) would break the markup they are pasted into.
_UNSAFE = re.compile(r"[^\x21-\x7e]|[\"'<>\\^`{|}]")


class SiteUrlError(StopBuild, ValueError):
    """SITEURL is not an address pages can be joined to; the message says what is wrong."""


def check_site_url(value: object, *, required: bool = False) -> str:
    """Return SITEURL without its trailing slash; refuse anything but an http(s) address.

    Empty is allowed (a development build: links from the site root) unless ``required``.

    >>> check_site_url("https://news.example.ma/archive/")
    'https://news.example.ma/archive'
    >>> check_site_url("")
    ''
    """
    if not isinstance(value, str):
        raise SiteUrlError(f"SITEURL must be a string, not {value!r}")
    url = value.strip()
    if not url:
        if required:
            raise SiteUrlError("SITEURL is not set")
        return ""
    shown = _without_credentials(url)
    problem = _problem(url)
    if problem:
        raise SiteUrlError(
            f"SITEURL {shown!r} {problem}. Give the site's public address: http:// or "
            f"https://, a host and at most a path, {_suggestion(url)}"
        )
    return url.rstrip("/")


def check_settings(pelican) -> None:
    """Check the SITEURL of a Pelican run before anything is read (a plain ``pelican`` too)."""
    settings = pelican.settings
    if "TRILINGUAL_ROOT_URL" in settings:
        return  # a section run: the driver checked the address its URLs are made from
    checked = check_site_url(settings.get("SITEURL", ""))
    if settings.get("FEED_DOMAIN") == settings.get("SITEURL"):
        settings["FEED_DOMAIN"] = checked
    settings["SITEURL"] = checked


def _suggestion(url: str) -> str:
    """Return the address without query and fragment when that is a valid one, else an example."""
    fixed = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    if fixed != url.rstrip("/") and "@" not in fixed and not _problem(fixed):
        return f"here {fixed}"
    return "e.g. https://USER.github.io/REPOSITORY"


def _problem(url: str) -> str:
    """Say what is wrong with a non-empty SITEURL ("" when nothing is)."""
    bad = _UNSAFE.search(url)
    if bad:
        return (
            f"contains {bad.group()!r}, which a URL cannot hold as it is (percent-encode "
            "it; write a non-ASCII host in its xn-- form)"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises only when read)
    except ValueError:
        # Not the parser's words: they may quote part of a password.
        return "cannot be read as a URL (its host or port is malformed)"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "is not an absolute http:// or https:// URL"
    if "@" in parts.netloc:
        return "holds a user name or password, which every page, feed and sitemap would publish"
    if not parts.hostname:
        return "has no host name"
    if "?" in url:
        return f"has a query ({'?' + parts.query!r}), which every link would carry"
    if "#" in url:
        return "has a fragment (#…), which would point every link at one page"
    return ""


def _without_credentials(url: str) -> str:
    """Return the URL with anything up to its last '@' replaced by '…', to be quoted safely.

    >>> _without_credentials("https://user:se/cret@host/x")
    'https://…@host/x'
    """
    return re.sub(r"//.*@", "//…@", url, count=1)
