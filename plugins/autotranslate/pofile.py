"""A strict reading pass over PO files, done before Babel reads them.

Babel's reader is lenient: an unterminated string silently drops entries and a
duplicate msgid silently replaces another, and it forgets ``#|`` previous-msgid
comments. Losing a translator's work that way is not acceptable, so this pass
rejects what Babel would misread (with the line number) and recovers the
previous msgids.
"""

from __future__ import annotations

import ast
import re

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_RE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+({_STRING})\s*$")
_CONTINUATION_RE = re.compile(rf"^({_STRING})\s*$")


class PoSyntaxError(ValueError):
    """A PO file line that cannot be read safely."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line


_BAD_ESCAPE_RE = re.compile(r'\\[^\\"ntrabfv0-7x]')


def _decode(quoted: str, line: int) -> str:
    if _BAD_ESCAPE_RE.search(quoted):
        raise PoSyntaxError(line, f"unknown escape sequence in string {quoted[:40]}")
    try:
        return ast.literal_eval(quoted)
    except (ValueError, SyntaxError) as error:
        raise PoSyntaxError(line, f"bad escape in string {quoted[:40]}") from error


def _previous_msgid(comment: str) -> list[str]:
    """Return the previous msgid of a joined ``#|`` comment ([] when there is none)."""
    if not comment.startswith("msgid "):
        return []
    parts = re.findall(_STRING, comment[len("msgid ") :])
    try:
        return ["".join(ast.literal_eval(part) for part in parts)] if parts else []
    except (ValueError, SyntaxError):
        return []  # only a comment: never a reason to refuse the file


def check_po(text: str) -> dict[str, str]:
    """Check PO syntax strictly; return {msgid: previous msgid} from ``#|`` comments."""
    previous: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    pending_previous: list[str] = []
    previous_lines: list[str] = []
    keyword = ""
    context = ""
    msgid_parts: list[str] | None = None
    msgid_line = 0

    def finish_msgid() -> None:
        nonlocal msgid_parts
        if msgid_parts is None:
            return
        msgid = "".join(msgid_parts)
        key = (context, msgid)
        if msgid and key in seen:
            raise PoSyntaxError(
                msgid_line, f"duplicate msgid (first at line {seen[key]}): {msgid[:60]!r}"
            )
        seen[key] = msgid_line
        if pending_previous:
            previous[msgid] = "".join(pending_previous)
        pending_previous.clear()
        msgid_parts = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue  # obsolete entries: Babel keeps them apart
        if line.startswith("#|"):
            # Babel wraps these comments at spaces, even inside the quoted string.
            previous_lines.append(line[2:].strip())
            continue
        if previous_lines:
            pending_previous[:] = _previous_msgid(" ".join(previous_lines))
            previous_lines.clear()
        if line.startswith("#"):
            continue
        match = _KEYWORD_RE.match(line)
        if match:
            if keyword == "msgid" and match.group(1) != "msgid":
                finish_msgid()
            keyword = match.group(1)
            if keyword == "msgctxt":
                context = _decode(match.group(2), number)
            elif keyword == "msgid":
                msgid_parts = [_decode(match.group(2), number)]
                msgid_line = number
            else:
                _decode(match.group(2), number)
                if keyword.startswith("msgstr"):
                    context = ""
            continue
        match = _CONTINUATION_RE.match(line)
        if match and keyword:
            decoded = _decode(match.group(1), number)
            if keyword == "msgid" and msgid_parts is not None:
                msgid_parts.append(decoded)
            continue
        raise PoSyntaxError(
            number, "not a PO line (unterminated string, missing quote or unknown keyword)"
        )
    finish_msgid()
    return previous
