"""The build manifest: what each output file was made from, kept between builds.

One JSON file under the cache folder records, for every file a build made in
``output/``, the key of its inputs and the size and time it had once written, and
for a page what the sitemaps say of it. The next build skips a page whose key and
file are both unchanged (keeping its record, so the sitemaps still list it), and
removes the files the previous build made that this one no longer makes.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# A manifest of another version is not trusted: its keys may mean something else
# (version 1 held no sitemap facts: a page kept from it would leave the sitemap).
MANIFEST_VERSION = 2
MANIFEST_NAME = "build-manifest.json"


@dataclass(frozen=True)
class NewsFacts:
    """What a news sitemap says of an article: its title, publication time and publisher."""

    title: str
    published: str  # ISO 8601, as the page's datePublished
    publication: str
    lang: str


@dataclass(frozen=True)
class SitemapFacts:
    """What the sitemaps say of one page, as the build made it (never read back).

    ``modified`` is an article's or page's own date (Modified, else Date); a listing
    has none and names in ``shows`` the articles it lists, whose newest date is its
    lastmod.
    """

    url: str
    alternates: tuple[tuple[str, str], ...] = ()
    noindex: bool = False
    modified: str | None = None
    article: bool = False
    shows: tuple[str, ...] = ()
    news: NewsFacts | None = None


@dataclass(frozen=True)
class OutputRecord:
    """One file a build made: the key of its inputs and its size and time once written.

    ``section`` is the language that made it (or "site", or redirects.REDIRECT_KIND);
    a page rendered from a template also carries its sitemap facts.
    """

    key: str
    size: int
    mtime_ns: int
    section: str
    sitemap: SitemapFacts | None = None

    def matches(self, path: Path) -> bool:
        """Return True if ``path`` is still the file this record describes."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


def record_file(
    path: Path,
    key: str,
    section: str,
    *,
    sitemap: SitemapFacts | None = None,
) -> OutputRecord:
    """Return the record of ``path`` as it is now on disk."""
    stat = path.stat()
    return OutputRecord(key, stat.st_size, stat.st_mtime_ns, section, sitemap)


@dataclass(frozen=True)
class Manifest:
    """The files one build made in one output folder, by path relative to it."""

    output: str
    files: Mapping[str, OutputRecord]


def manifest_path(cache_path: str | Path) -> Path:
    """Return where the manifest of a site with this CACHE_PATH is kept."""
    return Path(cache_path) / MANIFEST_NAME


def load_manifest(path: Path, output: Path) -> tuple[Manifest | None, str]:
    """Return (the manifest, "") or (None, why a full build is needed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"no build manifest ({path})"
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return None, f"the build manifest {path} cannot be read ({error})"
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        version = data.get("version") if isinstance(data, dict) else None
        return None, f"the build manifest {path} is of another version ({version!r})"
    if data.get("output") != str(output):
        return None, f"the build manifest {path} describes another output folder"
    try:
        files = {str(name): _record_from_json(r) for name, r in data["files"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return None, f"the build manifest {path} is damaged ({type(error).__name__}: {error})"
    return Manifest(str(output), files), ""


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (a kill leaves the old one or the new one, whole)."""
    data = {
        "version": MANIFEST_VERSION,
        "output": manifest.output,
        "files": {name: _record_to_json(r) for name, r in sorted(manifest.files.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, separators=(",", ":"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _record_to_json(record: OutputRecord) -> dict:
    """Return one record as the manifest stores it (sitemap facts only for a page)."""
    data: dict = {
        "key": record.key,
        "size": record.size,
        "mtime_ns": record.mtime_ns,
        "section": record.section,
    }
    facts = record.sitemap
    if facts is not None:
        data["sitemap"] = {
            "url": facts.url,
            "alternates": [list(pair) for pair in facts.alternates],
            "noindex": facts.noindex,
            "modified": facts.modified,
            "article": facts.article,
            "shows": list(facts.shows),
            "news": None if facts.news is None else vars(facts.news),
        }
    return data


def _record_from_json(data: dict) -> OutputRecord:
    """Return the record the manifest stores (a damaged one raises KeyError or TypeError)."""
    facts = data.get("sitemap")
    sitemap = None
    if facts is not None:
        news = facts["news"]
        modified = facts["modified"]
        sitemap = SitemapFacts(
            url=_text(facts["url"]),
            alternates=tuple((_text(lang), _text(href)) for lang, href in facts["alternates"]),
            noindex=_flag(facts["noindex"]),
            modified=None if modified is None else _text(modified),
            article=_flag(facts["article"]),
            shows=tuple(_text(url) for url in facts["shows"]),
            news=None if news is None else NewsFacts(**{k: _text(v) for k, v in news.items()}),
        )
    return OutputRecord(
        str(data["key"]),
        int(data["size"]),
        int(data["mtime_ns"]),
        str(data["section"]),
        sitemap,
    )


def _text(value: object) -> str:
    """Return ``value`` if it is a string (a manifest holds only what it wrote)."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {value!r}")
    return value


def _flag(value: object) -> bool:
    """Return ``value`` if it is a boolean."""
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {value!r}")
    return value


def forget_manifest(path: Path) -> None:
    """Remove the manifest, so that the next build is a full one."""
    path.unlink(missing_ok=True)


def remove_stale(
    output: Path,
    previous: Manifest | None,
    made: Iterable[str],
    retained: Iterable[str] = (),
) -> list[str]:
    """Delete the files ``previous`` made that this build did not; return their names.

    Only files the manifest says a build made are touched, only inside ``output``,
    never a name in OUTPUT_RETENTION, and never a file changed since it was written
    (someone put it there: it is named and kept).
    """
    if previous is None:
        return []
    output = Path(output).resolve()
    made = set(made)
    retained = set(retained)
    removed = []
    for name, record in sorted(previous.files.items()):
        if name in made or (Path(name).parts[:1] and Path(name).parts[0] in retained):
            continue
        path = (output / name).resolve()
        if not path.is_relative_to(output) or path == output:
            continue  # a damaged name must never lead outside the output folder
        if not path.is_file():
            continue
        if not record.matches(path):
            logger.warning(
                "trilingual: %s is no longer made by the build but was changed since it "
                "was written; it is left as it is (delete it if it is not needed)",
                path,
            )
            continue
        path.unlink()
        removed.append(name)
        _remove_empty_parents(path.parent, output)
    return removed


def _remove_empty_parents(folder: Path, output: Path) -> None:
    """Remove ``folder`` and its parents while they are empty, up to ``output``."""
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or not ours to remove)
        folder = folder.parent
