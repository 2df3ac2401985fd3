"""Storage of the translation memory: files written whole or not at all, leftovers cleaned.

The memory's policy (what an entry means) is in memory.py and its format in PO
(pofile.py, Babel); this module only makes writes safe: a reader never sees a partial
file, a file keeps its mode, and what a killed write left is removed under the lock.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def _default_mode() -> int:
    """Return the mode a new file gets from open() under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a partial file.

    The file keeps its mode (a new one gets the usual umask mode, not mkstemp's
    0600). A killed write leaves a ``.NAME.XXXX.tmp`` file that
    ``remove_temp_files`` deletes and .gitignore ignores.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def remove_temp_files(folder: Path) -> list[Path]:
    """Delete what killed writes left in ``folder`` and its language folders; return them.

    Only ``.NAME.po.XXXX.tmp`` files, and only under the build lock: no write is running.
    """
    found = [temp for temp in Path(folder).rglob(f".*.po.*{TEMP_SUFFIX}") if temp.is_file()]
    removed = []
    for temp in found:
        try:
            temp.unlink(missing_ok=True)
            removed.append(temp)
        except OSError:
            pass  # a read-only folder: .gitignore keeps them out of commits meanwhile
    return removed
