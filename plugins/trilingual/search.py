"""Build the static search index (Pagefind) over the finished site, one index per language."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why and what to do."""


def write_search_index(output: Path, timeout: float = 600) -> Path:
    """Index every built page under ``output`` with Pagefind; return the bundle folder.

    Pagefind reads each page's ``<html lang>`` and writes one index per
    language, so a reader searching from /fr/ gets French results only (and
    Arabic gets its Snowball stemmer). Only elements marked
    ``data-pagefind-body`` (article and page bodies) are indexed: listings,
    the parallel view, search and 404 pages carry none and stay out.
    """
    output = Path(output)
    bundle = output / BUNDLE_DIR
    # Named per process: two builds of one site (a watcher and a manual build) must not
    # write into, or delete, each other's staging folder while Pagefind writes it.
    staging = output / f".{BUNDLE_DIR}-new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(output),
        "--output-path",
        str(staging),
        "--quiet",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"search index: could not run Pagefind ({error})") from error
    if result.returncode != 0 or not (staging / "pagefind-entry.json").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        lines = (result.stderr + "\n" + result.stdout).strip().splitlines()
        detail = " ".join(dict.fromkeys(line.strip() for line in lines if line.strip()))
        hint = (
            "install it with `python3 -m uv sync` (the pagefind[bin] package)"
            if "No module named" in result.stderr
            else "the site is built without search"
        )
        raise SearchIndexError(
            f"search index: Pagefind failed on {output}: {detail[-400:]}; {hint}"
        )
    # Swap in the new bundle whole: a server never sees half of an index, and
    # fragments of pages deleted since the last build do not linger.
    _swap_in(staging, bundle, output / f".{BUNDLE_DIR}-old-{os.getpid()}")
    logger.info("trilingual: search index written to %s", bundle)
    return bundle


def _swap_in(staging: Path, bundle: Path, old: Path) -> None:
    """Replace ``bundle`` by ``staging`` whole, even if another build swaps its own meanwhile."""
    for _attempt in range(5):
        shutil.rmtree(old, ignore_errors=True)
        # No bundle yet, or another build is swapping its own in.
        with contextlib.suppress(FileNotFoundError):
            bundle.rename(old)
        try:
            staging.rename(bundle)
        except OSError:
            continue  # another build put its bundle there in between: move it aside again
        finally:
            shutil.rmtree(old, ignore_errors=True)
        return
    shutil.rmtree(staging, ignore_errors=True)
    raise SearchIndexError(f"search index: {bundle} kept being replaced by another build")
