"""Find, verify, download and install Argos Translate packages (``.argosmodel`` files).

We do not call argostranslate's own package manager here: its settings freeze the
packages folder when first imported (tests and ``--packages-dir`` need it per call),
``install_from_path`` imports ``argostranslate.translate`` and therefore stanza,
which we deliberately do not install, and ``get_available_packages`` retries
``update_package_index`` forever (a RecursionError) when the index is unreachable.
The on-disk layout is the same, so argostranslate still sees what we install.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

Direction = tuple[str, str]

DEFAULT_DIRECTIONS: tuple[Direction, ...] = (("ar", "en"), ("en", "fr"))
# Mirrors argostranslate.settings.package_index (importing that module creates folders).
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_TIMEOUT = 30.0
DOWNLOAD_TIMEOUT = 120.0
OFFLINE_FIX = "invoke models --from DIR"
ONLINE_FIX = "invoke models"


class PackageError(Exception):
    """A package cannot be found, read, downloaded or installed; the message says why."""


@dataclass(frozen=True)
class InstalledPackage:
    """One package folder on disk; ``problem`` is empty when it looks usable."""

    path: Path
    from_code: str
    to_code: str
    version: str
    code: str
    problem: str = ""

    @property
    def direction(self) -> str:
        """Return the direction as text, e.g. ``ar→en``."""
        return f"{self.from_code or '?'}→{self.to_code or '?'}"


def default_packages_dir() -> Path:
    """Return ARGOS_PACKAGES_DIR, else Argos's default folder under XDG_DATA_HOME."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def default_downloads_dir() -> Path:
    """Return the folder where downloaded ``.argosmodel`` files are kept for reuse."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "autotranslate" / "argos-downloads"


def resolve_index_url(index: str = "") -> str:
    """Return the index URL: the argument, else ARGOS_PACKAGE_INDEX, else Argos's index."""
    url = index or os.environ.get("ARGOS_PACKAGE_INDEX", "") or DEFAULT_INDEX_URL
    # Argos's ARGOS_PACKAGE_INDEX names the folder holding index.json, not the file.
    if not url.endswith(".json"):
        url = url.rstrip("/") + "/index.json"
    return url


def parse_directions(text: str) -> list[Direction]:
    """Parse ``"ar-en,en-fr"`` into ``[("ar", "en"), ("en", "fr")]``."""
    directions: list[Direction] = []
    for item in text.replace(" ", "").split(","):
        if not item:
            continue
        source, sep, target = item.partition("-")
        if not sep or not source or not target:
            raise PackageError(f"Bad direction {item!r}: write it as SOURCE-TARGET, e.g. ar-en")
        directions.append((source, target))
    return directions


def version_key(version: str) -> tuple:
    """Return a sort key so ``1.10`` sorts after ``1.9``."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def read_package(folder: Path) -> InstalledPackage:
    """Describe one installed package folder, recording what is wrong with it if anything."""
    metadata_path = folder / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        if not isinstance(metadata, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        return InstalledPackage(
            folder, "", "", "", folder.name, f"cannot read {metadata_path}: {error}"
        )
    from_code = str(metadata.get("from_code") or "")
    to_code = str(metadata.get("to_code") or "")
    code = str(metadata.get("code") or f"translate-{from_code}_{to_code}")
    version = str(metadata.get("package_version") or "")
    problem = ""
    if not from_code or not to_code:
        problem = f"{metadata_path} has no from_code/to_code"
    elif not (folder / "model" / "model.bin").is_file():
        problem = f"{folder / 'model' / 'model.bin'} is missing"
    elif not (folder / "sentencepiece.model").is_file():
        problem = f"{folder / 'sentencepiece.model'} is missing (BPE packages are not supported)"
    return InstalledPackage(folder, from_code, to_code, version, code, problem)


def installed_packages(packages_dir: Path | None = None) -> list[InstalledPackage]:
    """List every package folder in packages_dir, broken ones included."""
    root = Path(packages_dir) if packages_dir else default_packages_dir()
    if not root.is_dir():
        return []
    return [
        read_package(folder)
        for folder in sorted(root.iterdir())
        # Dot-folders are our own half-finished installs; skip them.
        if folder.is_dir() and not folder.name.startswith(".")
    ]


def find_package(
    source: str, target: str, packages_dir: Path | None = None
) -> InstalledPackage | None:
    """Return the newest healthy package for source→target, else a broken one, else None."""
    matches = [
        p for p in installed_packages(packages_dir) if (p.from_code, p.to_code) == (source, target)
    ]
    healthy = [p for p in matches if not p.problem]
    pool = healthy or matches
    return max(pool, key=lambda p: version_key(p.version)) if pool else None


@dataclass(frozen=True)
class ArchiveInfo:
    """What a verified ``.argosmodel`` file contains."""

    path: Path
    top_folder: str
    from_code: str
    to_code: str
    version: str


def inspect_archive(archive: Path) -> ArchiveInfo:
    """Verify an ``.argosmodel`` zip (CRC, one top folder, metadata, model) and describe it."""
    fix = f"delete it and download it again ({ONLINE_FIX}) or copy a good one"
    if not zipfile.is_zipfile(archive):
        raise PackageError(f"{archive} is not a zip archive: {fix}")
    try:
        with zipfile.ZipFile(archive) as zipf:
            bad_member = zipf.testzip()
            if bad_member is not None:
                raise PackageError(f"{archive} is corrupt ({bad_member} fails its CRC): {fix}")
            names = [PurePosixPath(name) for name in zipf.namelist()]
            tops = {name.parts[0] for name in names if name.parts}
            if len(tops) != 1 or any(n.is_absolute() or ".." in n.parts for n in names):
                raise PackageError(f"{archive} must hold exactly one folder: {fix}")
            top = tops.pop()
            members = {str(name) for name in names}
            for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
                if f"{top}/{required}" not in members:
                    raise PackageError(f"{archive} has no {top}/{required}: {fix}")
            metadata = json.loads(zipf.read(f"{top}/metadata.json").decode("utf-8"))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError) as error:
        raise PackageError(f"{archive} cannot be read ({error}): {fix}") from error
    if (
        not isinstance(metadata, dict)
        or not metadata.get("from_code")
        or not metadata.get("to_code")
    ):
        raise PackageError(f"{archive}: metadata.json has no from_code/to_code: {fix}")
    return ArchiveInfo(
        archive,
        top,
        str(metadata["from_code"]),
        str(metadata["to_code"]),
        str(metadata.get("package_version") or ""),
    )


def install_archive(archive: Path, packages_dir: Path | None = None) -> InstalledPackage:
    """Install a verified ``.argosmodel`` into packages_dir, replacing that direction's package."""
    info = inspect_archive(Path(archive))
    root = Path(packages_dir) if packages_dir else default_packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    previous = [
        p
        for p in installed_packages(root)
        if (p.from_code, p.to_code) == (info.from_code, info.to_code)
    ]
    # Extract beside the final folder so the last step is a same-filesystem rename:
    # a reader never sees a half-extracted package.
    with tempfile.TemporaryDirectory(dir=root, prefix=".installing-") as staging:
        with zipfile.ZipFile(info.path) as zipf:
            zipf.extractall(staging)
        final = root / info.top_folder
        if final.exists():
            final.rename(Path(staging) / ".replaced")
        os.replace(Path(staging) / info.top_folder, final)
    for old in previous:
        if old.path != final and old.path.exists():
            shutil.rmtree(old.path)
    installed = read_package(final)
    if installed.problem:
        raise PackageError(f"Installed {final} but it is unusable: {installed.problem}")
    return installed


def _needs_install(direction: Direction, version: str, packages_dir: Path | None) -> bool:
    """Return True unless a healthy package at least this new is already installed."""
    current = find_package(*direction, packages_dir)
    if current is None or current.problem:
        return True
    return version_key(current.version) < version_key(version)


def install_from_folder(
    folder: Path,
    directions: Sequence[Direction] = DEFAULT_DIRECTIONS,
    packages_dir: Path | None = None,
) -> list[InstalledPackage]:
    """Install, offline, the newest ``.argosmodel`` in folder for each direction."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PackageError(f"{folder} is not a folder of .argosmodel files")
    best: dict[Direction, ArchiveInfo] = {}
    for archive in sorted(folder.glob("*.argosmodel")):
        info = inspect_archive(archive)
        key = (info.from_code, info.to_code)
        if key in directions and (
            key not in best or version_key(info.version) > version_key(best[key].version)
        ):
            best[key] = info
    missing = [d for d in directions if d not in best]
    if missing:
        names = ", ".join(f"{s}→{t}" for s, t in missing)
        raise PackageError(f"No .argosmodel for {names} in {folder}")
    return [
        install_archive(best[d].path, packages_dir)
        for d in directions
        if _needs_install(d, best[d].version, packages_dir)
    ]


def fetch_index(url: str, timeout: float = INDEX_TIMEOUT) -> list[dict]:
    """Download and parse an Argos package index (a JSON list of package metadata)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            index = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PackageError(
            f"Cannot reach the Argos package index at {url} ({reason}). "
            f"Offline? Copy the .argosmodel files into a folder and run: {OFFLINE_FIX}"
        ) from error
    except ValueError as error:
        raise PackageError(f"The package index at {url} is not valid JSON: {error}") from error
    if not isinstance(index, list):
        raise PackageError(f"The package index at {url} is not a JSON list of packages")
    return [entry for entry in index if isinstance(entry, dict)]


def pick_from_index(index: Iterable[dict], direction: Direction) -> dict:
    """Return the newest translate package in the index for a direction."""
    candidates = [
        entry
        for entry in index
        if (entry.get("from_code"), entry.get("to_code")) == direction
        and entry.get("type", "translate") == "translate"
        and entry.get("links")
    ]
    if not candidates:
        raise PackageError(f"The package index has no {direction[0]}→{direction[1]} package")
    return max(candidates, key=lambda e: version_key(str(e.get("package_version", ""))))


def index_versions(directions: Sequence[Direction], index_url: str = "") -> str:
    """Return the newest version of each direction in the index, e.g. ``ar-en-1.0_en-fr-1.9``.

    CI puts this in the key of its model cache, so a new package in the index
    means a new cache instead of a stale one restored forever.
    """
    index = fetch_index(resolve_index_url(index_url))
    parts = []
    for direction in directions:
        version = str(pick_from_index(index, direction).get("package_version", ""))
        parts.append(f"{direction[0]}-{direction[1]}-{version}")
    return "_".join(parts)


def download_archive(entry: dict, downloads_dir: Path, timeout: float = DOWNLOAD_TIMEOUT) -> Path:
    """Download one index entry's ``.argosmodel`` (verified, atomically renamed) and return it."""
    version = str(entry.get("package_version", "")).replace(".", "_")
    name = f"translate-{entry['from_code']}_{entry['to_code']}-{version}.argosmodel"
    downloads_dir.mkdir(parents=True, exist_ok=True)
    final = downloads_dir / name
    if final.is_file():
        try:
            inspect_archive(final)
            return final
        except PackageError:
            final.unlink()
    errors: list[str] = []
    for link in entry["links"]:
        handle, partial = tempfile.mkstemp(dir=downloads_dir, prefix=f".{name}.", suffix=".part")
        try:
            with (
                os.fdopen(handle, "wb") as out,
                urllib.request.urlopen(link, timeout=timeout) as response,
            ):
                shutil.copyfileobj(response, out, 1 << 20)
            inspect_archive(Path(partial))
            os.replace(partial, final)
            return final
        except (urllib.error.URLError, OSError, PackageError) as error:
            errors.append(f"{link}: {getattr(error, 'reason', error)}")
        finally:
            Path(partial).unlink(missing_ok=True)
    raise PackageError(
        f"Cannot download {name} ({'; '.join(errors)}). "
        f"Offline? Copy the .argosmodel files into a folder and run: {OFFLINE_FIX}"
    )


def install_from_index(
    directions: Sequence[Direction] = DEFAULT_DIRECTIONS,
    index_url: str = "",
    packages_dir: Path | None = None,
    downloads_dir: Path | None = None,
) -> list[InstalledPackage]:
    """Download and install, from the package index, each direction not yet up to date."""
    index = fetch_index(resolve_index_url(index_url))
    installed = []
    for direction in directions:
        entry = pick_from_index(index, direction)
        if _needs_install(direction, str(entry.get("package_version", "")), packages_dir):
            archive = download_archive(entry, downloads_dir or default_downloads_dir())
            installed.append(install_archive(archive, packages_dir))
    return installed


def format_table(packages: Sequence[InstalledPackage]) -> str:
    """Render installed packages as a plain-text table (direction, package, version, path)."""
    if not packages:
        return "No Argos packages installed."
    rows = [("direction", "package", "version", "path")] + [
        (
            p.direction,
            p.code,
            p.version,
            f"{p.path}" + (f"  BROKEN: {p.problem}" if p.problem else ""),
        )
        for p in packages
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    )


def install_and_list(
    directions: str = "ar-en,en-fr",
    source_dir: str = "",
    index_url: str = "",
    packages_dir: str = "",
    list_only: bool = False,
) -> str:
    """Install the directions (from a folder, else the index) and return the installed table.

    Both ``invoke models`` and ``python -m autotranslate.packages`` are this call;
    a PackageError names what to do.
    """
    folder = Path(packages_dir) if packages_dir else None
    if not list_only:
        pairs = parse_directions(directions)
        if source_dir:
            install_from_folder(Path(source_dir), pairs, folder)
        else:
            install_from_index(pairs, index_url, folder)
    return format_table(installed_packages(folder))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m autotranslate.packages [--from DIR] [--index URL] ...``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autotranslate.packages", description=__doc__)
    parser.add_argument("--from", dest="source_dir", default="", help="folder of .argosmodel files")
    parser.add_argument("--index", default="", help="package index URL")
    parser.add_argument("--packages-dir", default="", help="where packages are installed")
    parser.add_argument("--directions", default="ar-en,en-fr", help="e.g. ar-en,en-fr")
    parser.add_argument("--list", dest="list_only", action="store_true", help="only list")
    args = parser.parse_args(argv)
    try:
        table = install_and_list(
            args.directions, args.source_dir, args.index, args.packages_dir, args.list_only
        )
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
