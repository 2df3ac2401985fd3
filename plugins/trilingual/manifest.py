"""The build manifest: what each output file was made from, kept between builds.

One JSON file under the cache folder records, for every file a build made in
``output/``, the key of its inputs and the size and time it had once written. The
next build skips a page whose key and file are both unchanged, and removes the
files the previous build made that this one no longer makes.
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

# A manifest of another version is not trusted: its keys may mean something else.
MANIFEST_VERSION = 1
MANIFEST_NAME = "build-manifest.json"


@dataclass(frozen=True)
class OutputRecord:
    """One file a build made: the key of its inputs and its size and time once written."""

    key: str
    size: int
    mtime_ns: int
    section: str

    def matches(self, path: Path) -> bool:
        """Return True if ``path`` is still the file this record describes."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


def record_file(path: Path, key: str, section: str) -> OutputRecord:
    """Return the record of ``path`` as it is now on disk."""
    stat = path.stat()
    return OutputRecord(key, stat.st_size, stat.st_mtime_ns, section)


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
        files = {
            str(name): OutputRecord(
                str(r["key"]), int(r["size"]), int(r["mtime_ns"]), str(r["section"])
            )
            for name, r in data["files"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return None, f"the build manifest {path} is damaged ({type(error).__name__}: {error})"
    return Manifest(str(output), files), ""


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (a kill leaves the old one or the new one, whole)."""
    data = {
        "version": MANIFEST_VERSION,
        "output": manifest.output,
        "files": {
            name: {
                "key": r.key,
                "size": r.size,
                "mtime_ns": r.mtime_ns,
                "section": r.section,
            }
            for name, r in sorted(manifest.files.items())
        },
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
