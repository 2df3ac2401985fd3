"""Split HTML into a flat, lossless list of tokens (tags, text, comments).

Joining the ``raw`` of every token gives back the input byte for byte, which is
what lets the segmenter round-trip a document exactly.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_ATTR = r"""(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)"""
_TOKEN_RE = re.compile(
    rf"""
      (?P<comment><!--.*?-->)
    | (?P<cdata><!\[CDATA\[.*?\]\]>)
    | (?P<decl><![^>]*>)
    | (?P<pi><\?[^>]*>)
    | (?P<end></(?P<end_name>[a-zA-Z][a-zA-Z0-9:-]*)\s*>)
    | (?P<start><(?P<start_name>[a-zA-Z][a-zA-Z0-9:-]*){_ATTR}*\s*(?P<selfclose>/)?>)
    """,
    re.DOTALL | re.VERBOSE,
)
_ATTR_RE = re.compile(r"""([^\s"'=<>`/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")

# Elements whose content is not HTML: everything up to the end tag is raw text.
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title", "xmp"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


@dataclass(frozen=True)
class Token:
    """One piece of an HTML document: ``kind`` is text, start, end or other."""

    kind: str
    raw: str
    name: str = ""
    attrs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_void(self) -> bool:
        """Tell whether this start tag has no content and no end tag."""
        return self.kind == "start" and (self.name in VOID_ELEMENTS or self.raw.endswith("/>"))

    @property
    def text(self) -> str:
        """Return the text of a text token with character references decoded."""
        return html.unescape(self.raw)


def parse_attributes(start_tag: str) -> dict[str, str]:
    """Return the attributes of a start tag, names lower-cased, values decoded.

    >>> parse_attributes('<a href="/x?a=1&amp;b=2" translate=no>')
    {'href': '/x?a=1&b=2', 'translate': 'no'}
    """
    inner = start_tag[1:-1].rstrip("/")
    name_match = re.match(r"[a-zA-Z][a-zA-Z0-9:-]*", inner)
    rest = inner[name_match.end() :] if name_match else inner
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(rest):
        value = match.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attrs.setdefault(match.group(1).lower(), html.unescape(value))
    return attrs


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens whose raw strings concatenate to ``source``."""
    tokens: list[Token] = []
    position = 0
    length = len(source)
    while position < length:
        match = _TOKEN_RE.search(source, position)
        if match is None:
            tokens.append(Token("text", source[position:]))
            break
        if match.start() > position:
            tokens.append(Token("text", source[position : match.start()]))
        raw = match.group(0)
        if match.group("start"):
            name = match.group("start_name").lower()
            tokens.append(Token("start", raw, name, parse_attributes(raw)))
            position = match.end()
            if name in RAW_TEXT_ELEMENTS and not raw.endswith("/>"):
                close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(source, position)
                body_end = close.start() if close else length
                if body_end > position:
                    tokens.append(Token("rawtext", source[position:body_end]))
                if close:
                    tokens.append(Token("end", close.group(0), name))
                position = close.end() if close else length
            continue
        if match.group("end"):
            tokens.append(Token("end", raw, match.group("end_name").lower()))
        else:
            tokens.append(Token("other", raw))
        position = match.end()
    return tokens


def attribute_matches(start_tag: str) -> list[re.Match[str]]:
    """Return one match per attribute of a start tag (name: group 1, raw value: group 2).

    Attributes are read left to right, each quoted value whole, so text inside a
    value (``alt='x title=y'``) is never taken for an attribute.
    """
    name = re.match(r"<[a-zA-Z][a-zA-Z0-9:-]*", start_tag)
    return list(_ATTR_RE.finditer(start_tag, name.end() if name else 0))


def replace_attribute(start_tag: str, name: str, value: str) -> str:
    """Return ``start_tag`` with attribute ``name`` set to ``value`` (escaped).

    >>> replace_attribute('<img alt="a title=b" title=c>', "title", 'x" onerror="y')
    '<img alt="a title=b" title="x&quot; onerror=&quot;y">'
    """
    escaped = html.escape(value, quote=True)
    for match in attribute_matches(start_tag):
        if match.group(1).lower() == name.lower():
            start, end = match.span(2) if match.group(2) is not None else match.span(1)
            prefix = "" if match.group(2) is not None else f"{match.group(1)}="
            return f'{start_tag[:start]}{prefix}"{escaped}"{start_tag[end:]}'
    closing = "/>" if start_tag.endswith("/>") else ">"
    return f'{start_tag[: -len(closing)].rstrip()} {name}="{escaped}"{closing}'
