"""The build's log output: rich in a terminal, one unwrapped line per record elsewhere.

Pelican logs through a rich handler whose console is 80 columns wide when it is
not a terminal (CI, a pipe, a file), so a long message is cut into several lines
and a path in it can be split where grep no longer finds it. Outside a terminal
each record is written as one plain line instead, however long.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pelican import log as pelican_log
from rich.console import Console
from rich.logging import RichHandler

PLAIN_FORMAT = "%(levelname)s: %(message)s"


def is_interactive(stream: TextIO) -> bool:
    """Tell whether ``stream`` is a terminal a person is watching."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def log_handler(stream: TextIO | None = None) -> logging.Handler:
    """Return the handler for the build's log on ``stream`` (default: standard output)."""
    stream = sys.stdout if stream is None else stream
    if is_interactive(stream):
        return RichHandler(console=Console(file=stream))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(PLAIN_FORMAT))
    return handler


def init_logging(
    level: int, fatal: str = "", stream: TextIO | None = None, verbose: bool = False
) -> None:
    """Set up Pelican's logging (its dedup and --fatal filters) with ``log_handler``.

    Unless ``verbose``, Pelican's own INFO lines (one "Writing …" per file, hundreds
    per build) are left out; warnings, errors and our plugins' lines always show.
    """
    stream = sys.stdout if stream is None else stream
    # Pelican prints its own summary lines through this console: no wrapping there either.
    if not is_interactive(stream):
        pelican_log.console.soft_wrap = True
    pelican_log.init(level=level, fatal=fatal, handler=log_handler(stream))
    logging.getLogger("pelican").setLevel(logging.NOTSET if verbose else logging.WARNING)
