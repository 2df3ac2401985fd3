"""Say why Pelican could not read an article, with the line, where Pelican only says it failed."""

from __future__ import annotations

import re
from pathlib import Path

from pelican.utils import get_date

_METADATA_RE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*)$")


def explain_unreadable(path: Path) -> str:
    """Return 'file:line: problem. fix' for a source file Pelican failed to process."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror})"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return (
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[error.start]:02x}); "
            "save the file as UTF-8. The article was skipped."
        )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break  # end of the metadata block
        match = _METADATA_RE.match(line)
        if match and match.group(1).lower() in ("date", "modified"):
            try:
                get_date(match.group(2))
            except (ValueError, OverflowError):
                return (
                    f"{path}:{number}: {match.group(1)} {match.group(2)!r} is not a date; "
                    "write it as YYYY-MM-DD HH:MM. The article was skipped."
                )
    return f"{path}: Pelican could not process it (run `pelican --debug` for details); skipped."


def failed_sources(generator) -> list[Path]:
    """Return the source files this generator failed to process."""
    content = generator.context.get("generated_content", {})
    return [Path(generator.path) / rel for rel, value in content.items() if value is None]
