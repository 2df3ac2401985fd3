"""Copy only the static and theme files that changed, and record every one the build makes."""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .writer import IncrementalWriter, build_plan

logger = logging.getLogger(__name__)


def copy_changed_static_files(generator: Any) -> None:
    """In a driver's build, let the static generator copy only what changed.

    Pelican copies every theme file at each run, and every static file unless
    STATIC_CHECK_IF_MODIFIED (which compares times only). Here a file is copied when
    the copy's size or modification time differs from the source's: a copy keeps
    the source's time, so an unchanged source is never copied again.
    """
    if build_plan(generator.settings) is None or generator.settings.get("STATIC_CREATE_LINKS"):
        return
    # Replacing the bound method keeps Pelican's order: static files are copied last.
    generator.generate_output = lambda writer: _copy_outputs(generator, writer)


def _copy_outputs(generator: Any, writer: Any) -> None:
    """Copy the generator's theme and static files that changed; record each one."""
    full = build_plan(generator.settings).full
    for source, target in static_outputs(generator):
        if not source.is_file():
            # A {static} link to a file that is not there: Pelican copies nothing either
            # (and has said so where the link is).
            logger.debug("trilingual: %s does not exist; nothing to copy", source)
            continue
        copied = full or not _same_file(source, target)
        if copied:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copy2(source, temporary)
            os.replace(temporary, target)
        if isinstance(writer, IncrementalWriter):
            stat = source.stat()
            key = f"copy:{source}:{stat.st_size}:{stat.st_mtime_ns}"
            writer.record(str(target), key, written=copied)


def static_outputs(generator: Any) -> Iterator[tuple[Path, Path]]:
    """Yield (source, copy) for every theme file and static file of the run."""
    settings = generator.settings
    output = Path(generator.output_path)
    ignored = settings.get("IGNORE_FILES", [])
    theme_dir = output / settings["THEME_STATIC_DIR"]
    for entry in settings["THEME_STATIC_PATHS"]:
        source = Path(generator.theme) / entry
        if source.is_file():
            yield source, theme_dir / source.name
        elif source.is_dir():
            for path in _files(source, ignored):
                yield path, theme_dir / path.relative_to(source)
    for static in generator.context["staticfiles"]:
        yield Path(generator.path) / static.source_path, output / static.save_as


def _files(folder: Path, ignored: list[str]) -> Iterator[Path]:
    """Yield the files under ``folder`` whose names match no IGNORE_FILES pattern."""
    for directory, subdirectories, names in os.walk(folder, followlinks=True):
        subdirectories[:] = sorted(
            d for d in subdirectories if not any(fnmatch.fnmatch(d, p) for p in ignored)
        )
        for name in sorted(names):
            if not any(fnmatch.fnmatch(name, pattern) for pattern in ignored):
                yield Path(directory) / name


def _same_file(source: Path, target: Path) -> bool:
    """Return True if ``target`` is a copy of ``source`` (same size and time)."""
    try:
        a, b = source.stat(), target.stat()
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns
