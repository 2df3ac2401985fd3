"""A strict reading pass over PO files, done before Babel reads them.

Babel's reader is lenient: an unterminated string silently drops entries and a
duplicate msgid silently replaces another, and it forgets ``#|`` previous-msgid
comments. Losing a translator's work that way is not acceptable, so this pass
rejects what Babel would misread (with the line number) and recovers the
previous msgids.
"""

from __future__ import annotations

import re

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_RE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+({_STRING})\s*$")
_CONTINUATION_RE = re.compile(rf"^({_STRING})\s*$")


class PoSyntaxError(ValueError):
    """A PO file line that cannot be read safely."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line


# The escapes GNU gettext reads in a PO string (po-lex.c), beside octal and hex bytes.
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}
_OCTAL = "01234567"
_HEX = "0123456789abcdefABCDEF"


def decode_string(quoted: str, line: int = 0) -> str:
    r"""Return the text of one quoted PO string, reading escapes as GNU gettext does.

    Octal (up to three digits) and hex (any number of digits, the last byte kept)
    escapes are bytes of the file's UTF-8; any other escape is refused, as msgfmt
    refuses it.

    >>> decode_string(r'"C:\\Users \"x\" \t\101\xc3\xa9"')
    'C:\\Users "x" \tAé'
    >>> decode_string(r'"\q"')
    Traceback (most recent call last):
    ...
    autotranslate.pofile.PoSyntaxError: invalid escape sequence \q in string "\q"
    """
    body = quoted[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        index += 1
        if char != "\\":
            out += char.encode("utf-8")
            continue
        code = body[index : index + 1]
        index += 1
        if code in _SIMPLE_ESCAPES:
            out += _SIMPLE_ESCAPES[code].encode("utf-8")
        elif code and code in _OCTAL:
            digits = code
            while len(digits) < 3 and body[index : index + 1] in tuple(_OCTAL):
                digits += body[index]
                index += 1
            out.append(int(digits, 8) & 0xFF)
        elif code == "x" and body[index : index + 1] in tuple(_HEX):
            digits = ""
            while body[index : index + 1] in tuple(_HEX):
                digits += body[index]
                index += 1
            out.append(int(digits, 16) & 0xFF)
        else:
            raise PoSyntaxError(line, f"invalid escape sequence \\{code} in string {quoted[:40]}")
    # Escaped bytes that are not UTF-8 cannot be shown: replaced, as a reader would.
    return out.decode("utf-8", errors="replace")


def _decode(quoted: str, line: int) -> str:
    return decode_string(quoted, line)


def _babel_string(text: str) -> str:
    """Quote ``text`` with only the escapes Babel's reader understands."""
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\r", "\\r"), ("\n", "\\n"), ('"', '\\"')):
        text = text.replace(raw, escaped)
    return f'"{text}"'


def babel_readable(text: str) -> str:
    """Return a checked PO text with every string re-escaped the way Babel reads strings.

    Babel unescapes only backslash, quote, tab, CR and LF: a ``\\a`` or ``\\101`` that
    msgfmt reads would reach it as two characters. Comments are left as they are.
    """
    lines = text.split("\n")
    for number, raw in enumerate(lines):
        stripped = raw.strip()
        prefix = ""
        for marker in ("#~|", "#~", "#|"):
            if stripped.startswith(marker):
                prefix, stripped = raw[: raw.index(marker) + len(marker)], stripped[len(marker) :]
                break
        else:
            if stripped.startswith("#"):
                continue
        head = stripped.split('"', 1)[0]
        strings = re.findall(_STRING, stripped[len(head) :])
        if not strings:
            continue
        try:
            rewritten = "".join(_babel_string(decode_string(s)) for s in strings)
        except PoSyntaxError:
            continue  # only possible in a comment line, which is never refused
        lines[number] = f"{prefix}{head}{rewritten}"
    return "\n".join(lines)


def _previous_msgid(comment: str) -> list[str]:
    """Return the previous msgid of a joined ``#|`` comment ([] when there is none)."""
    if not comment.startswith("msgid "):
        return []
    parts = re.findall(_STRING, comment[len("msgid ") :])
    try:
        return ["".join(decode_string(part) for part in parts)] if parts else []
    except PoSyntaxError:
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

    # Lines end at LF alone, as Babel reads them: a translator's U+2028 or form feed
    # inside a string is text, not a line break.
    for number, raw in enumerate(text.split("\n"), start=1):
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
