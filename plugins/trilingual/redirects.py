"""Old URLs that keep working: redirect pages from the committed map content/redirects.tsv.

Each line of the map names an old path (a WordPress permalink, or ``/?p=ID``) and the
article or page it now leads to, by slug and language; a person may edit it. The
build writes, for each old path, a small page at that path (canonical link, meta
refresh, a plain link, ``noindex``, no ``data-pagefind-body``) and ``old-links.json``,
which the home and 404 pages read to answer ``/?p=ID`` (a query GitHub Pages cannot
serve a file for). The manifest records these files with the kind ``redirect``.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from .manifest import OutputRecord, record_file

logger = logging.getLogger(__name__)

MAP_NAME = "redirects.tsv"
# The manifest kind of the files written here (sitemaps and search leave them out).
REDIRECT_KIND = "redirect"
OLD_LINKS_JSON = "old-links.json"
KINDS = ("article", "page")
MAP_HEADER = (
    "# Old addresses → the article or page they now lead to (written by invoke import;\n"
    "# edit freely). Columns, tab-separated: old path, slug, language, kind (article|page).\n"
    "# The build writes a redirect page at each old path; /?p=ID is answered by the\n"
    "# home and 404 pages (old-links.json).\n"
)


@dataclass(frozen=True)
class Redirect:
    """One line of the map: an old path and the content it leads to."""

    old: str
    slug: str
    lang: str
    kind: str = "article"
    line: int = 0

    def row(self) -> str:
        """Return the map line for this redirect."""
        return "\t".join((self.old, self.slug, self.lang, self.kind))


def read_redirect_map(path: Path) -> tuple[list[Redirect], list[str]]:
    """Return the map's redirects and one message per line that cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}: cannot be read ({error}); no redirect page is written"]
    redirects, problems, seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        where = f"{path}:{number}"
        if len(cells) not in (3, 4) or not all(cells):
            problems.append(
                f"{where}: expected 3 or 4 tab-separated cells (old path, slug, language"
                f"[, kind]), found {len(cells)}; the line is not used"
            )
            continue
        old, slug, lang, kind = (*cells, "article")[:4]
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not article or page; not used")
            continue
        if not old.startswith("/"):
            problems.append(f"{where}: old path {old!r} must start with /; not used")
            continue
        key = canonical_old_path(old)
        if key in seen:
            problems.append(f"{where}: {old!r} is already on line {seen[key]}; not used")
            continue
        seen[key] = number
        redirects.append(Redirect(old, slug, lang, kind, number))
    return redirects, problems


def canonical_old_path(old: str) -> str:
    """Return an old path decoded, as a server sees it (percent-encoded or not: one path).

    >>> canonical_old_path("/2016/11/29/%D8%B3%D9%88%D9%82/")
    '/2016/11/29/سوق/'
    """
    parts = urlsplit(old)
    path = unquote(parts.path)
    return f"{path}?{parts.query}" if parts.query else path


def merge_redirect_map(existing: str, new: Iterable[Redirect]) -> tuple[str, int]:
    """Return the map text with ``new`` lines added (and how many); every line there is kept."""
    known = set()
    for raw in existing.splitlines():
        cells = raw.split("\t")
        if raw.strip() and not raw.lstrip().startswith("#"):
            known.add(canonical_old_path(cells[0].strip()))
    added = []
    for redirect in new:
        key = canonical_old_path(redirect.old)
        if key not in known:
            known.add(key)
            added.append(redirect.row())
    if not added:
        return existing, 0
    text = existing if existing.strip() else MAP_HEADER
    if not text.endswith("\n"):
        text += "\n"
    return text + "\n".join(added) + "\n", len(added)


# Lists of a generator whose contents a redirect may lead to (published or hidden).
_TARGET_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "pages", "hidden_pages")  # fmt: skip
_GENERATOR_MARK = '<meta name="generator" content="trilingual redirect">'


def collect_targets(generator: Any) -> None:
    """In the original language's run, note every content's URL by (kind, slug, language).

    That run holds every language's versions (other languages as translations); what
    it notes goes back to the driver with the files the section made.
    """
    from .templating import site_languages
    from .writer import build_plan, section_outputs

    settings = generator.settings
    if build_plan(settings) is None or settings["DEFAULT_LANG"] != site_languages(settings).default:
        return  # a run outside the driver writes no redirect page
    targets = section_outputs(settings).targets
    kind = "page" if type(generator).__name__ == "PagesGenerator" else "article"
    for name in _TARGET_LISTS:
        for content in getattr(generator, name, None) or ():
            for version in (content, *getattr(content, "translations", ())):
                if getattr(version, "url", ""):  # each language keeps its own section URL
                    title = html.unescape(_strip_tags(str(version.title)))
                    targets.setdefault((kind, version.slug, version.lang), (version.url, title))


def _strip_tags(text: str) -> str:
    """Return ``text`` without its tags (a title's <em> is not wanted in <title>)."""
    return re.sub(r"<[^>]*>", "", text)


def redirect_file(output: Path, old: str) -> Path | None:
    """Return the file that answers an old path in ``output``, or None if none can.

    >>> redirect_file(Path("/site"), "/2016/11/29/سوق/").as_posix()
    '/site/2016/11/29/سوق/index.html'
    >>> redirect_file(Path("/site"), "/../etc/") is None
    True
    """
    path = PurePosixPath(canonical_old_path(old).split("?", 1)[0])
    parts = [part for part in path.parts if part != "/"]
    if not parts or any(part in (".", "..") or len(part.encode()) > 250 for part in parts):
        return None
    if any("\x00" in part or "\\" in part for part in parts):
        return None
    if not parts[-1].endswith((".html", ".htm")):
        parts.append("index.html")
    return Path(output).joinpath(*parts)


def render_redirect_page(url: str, title: str, lang: str, direction: str) -> str:
    """Return the redirect page to ``url``: canonical, meta refresh, plain link, noindex."""
    href = html.escape(url, quote=True)
    shown = html.escape(title or url, quote=False)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{shown}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f"{_GENERATOR_MARK}\n"
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'</head>\n<body>\n<p><a href="{href}">{shown}</a></p>\n</body>\n</html>\n'
    )


def write_redirects(
    output: Path,
    settings: Mapping[str, Any],
    targets: Mapping[tuple[str, str, str], tuple[str, str]],
    made: Mapping[str, Any],
) -> dict[str, OutputRecord]:
    """Write a redirect page for each old path of the map, and old-links.json; return records.

    A line whose content the build did not make, or whose old path is a page the
    build made (or a file someone else put there), is named in a warning and skipped.
    """
    from .sitemap import write_if_changed
    from .templating import site_languages

    map_path = Path(settings["PATH"]) / MAP_NAME
    redirects, problems = read_redirect_map(map_path)
    for problem in problems:
        logger.warning("trilingual: %s", problem)
    if not redirects:
        return {}
    languages = site_languages(dict(settings))
    root = str(settings.get("SITEURL", "")).rstrip("/")
    written: dict[str, Path] = {}
    old_links: dict[str, dict[str, str]] = {"query": {}, "paths": {}}
    output = Path(output)
    for redirect in redirects:
        where = f"{map_path}:{redirect.line}"
        found = targets.get((redirect.kind, redirect.slug, redirect.lang))
        if found is None:
            logger.warning(
                "trilingual: %s: no published %s has the slug %r in %r; %s is not redirected",
                where, redirect.kind, redirect.slug, redirect.lang, redirect.old,
            )  # fmt: skip
            continue
        url = languages.url(root, redirect.lang, found[0])
        old = canonical_old_path(redirect.old)
        if "?" in old:
            old_links["query"][old.split("?", 1)[1]] = url
            continue
        target = redirect_file(output, old)
        name = target.relative_to(output).as_posix() if target else None
        if target is None or name in made or _foreign(target):
            logger.warning(
                "trilingual: %s: %s is %s; no redirect page is written there",
                where, redirect.old,
                "no path a file can have" if target is None else "a page the site has",
            )  # fmt: skip
            continue
        old_links["paths"][old] = url
        direction = languages.get(redirect.lang).direction
        target.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(target, render_redirect_page(url, found[1], redirect.lang, direction))
        written[name] = target
    links_file = output / OLD_LINKS_JSON
    write_if_changed(links_file, json.dumps(old_links, ensure_ascii=False, sort_keys=True) + "\n")
    written[OLD_LINKS_JSON] = links_file
    return {name: record_file(path, "", REDIRECT_KIND) for name, path in written.items()}


def _foreign(path: Path) -> bool:
    """Tell whether a file is already there that this module did not write."""
    try:
        return _GENERATOR_MARK not in path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True
