"""Cut rendered article HTML into translatable sentences and put translations back.

A document becomes a skeleton (markup, code and anything marked
``translate="no"``, kept verbatim) interleaved with blocks of inline content. Each
block is cut into sentences; a sentence keeps, for every character, the stack of
inline elements (``a``, ``strong``…) around it, so markup can be carried over to
the translation. Inline elements that must not be translated (``code``, ``kbd``…)
travel through the engine as numbered placeholders.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .htmltokens import Token, replace_attribute, tokenize
from .sentences import split_sentences

log = logging.getLogger(__name__)

# Inline elements: their text belongs to the sentence around them.
INLINE_ELEMENTS = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins"),
        *("mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"),
        *("code", "kbd", "samp", "var", "br", "img", "wbr"),
    }
)
# Never translated, wherever they are.
UNTRANSLATABLE_ELEMENTS = frozenset(
    {
        *("pre", "code", "kbd", "samp", "var", "script", "style", "textarea"),
        *("svg", "math", "template", "iframe", "object"),
    }
)
# Void inline elements that end a sentence when they stand outside any inline element.
BREAKING_VOIDS = frozenset({"br", "img", "wbr"})
PLACEHOLDER_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
_ATOM_CHAR = "\ue000"  # stands for one placeholder while sentences are cut


@dataclass(eq=False)
class InlineTag:
    """One inline element of the source; identity tells two equal tags apart."""

    name: str
    start: str
    end: str = ""


Path = tuple[InlineTag, ...]


@dataclass(frozen=True)
class Piece:
    """A run of text sharing one stack of inline elements, or one verbatim atom."""

    text: str
    path: Path
    atom: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One translation unit: pieces of text and atoms with their inline markup."""

    pieces: tuple[Piece, ...]

    @property
    def atoms(self) -> list[Piece]:
        """Return the verbatim atoms, numbered 1… by their placeholders."""
        return [piece for piece in self.pieces if piece.atom is not None]

    def source_text(self) -> str:
        """Return the plain text sent to an engine, atoms as ``⟦n⟧`` placeholders."""
        out: list[str] = []
        number = 0
        for piece in self.pieces:
            if piece.atom is None:
                out.append(piece.text)
            else:
                number += 1
                out.append(f"⟦{number}⟧")
        return "".join(out)

    def char_paths(self) -> list[Path]:
        """Return the inline-element stack of every character of ``source_text()``."""
        paths: list[Path] = []
        number = 0
        for piece in self.pieces:
            if piece.atom is None:
                paths.extend([piece.path] * len(piece.text))
            else:
                number += 1
                paths.extend([piece.path] * len(f"⟦{number}⟧"))
        return paths

    def html(self) -> str:
        """Return the sentence as an HTML fragment (the catalog's msgid)."""
        return render_units(
            (piece.path, piece.atom or piece.text, piece.atom is not None) for piece in self.pieces
        )

    def verbatim_tokens(self) -> set[str]:
        """Return the comments and raw texts (script bodies…) inside the sentence's atoms."""
        return {
            t.raw
            for piece in self.atoms
            for t in tokenize(piece.atom or "")
            if t.kind in ("other", "rawtext")
        }

    def start_tags(self) -> set[str]:
        """Return every start tag the sentence contains, atoms included."""
        tags = {tag.start for piece in self.pieces for tag in piece.path}
        for piece in self.atoms:
            tags.update(t.raw for t in tokenize(piece.atom or "") if t.kind == "start")
        return tags


@dataclass
class Block:
    """Inline content between two block boundaries, cut into sentences."""

    element: str
    raw: str
    sentences: list[Sentence]
    gaps: list[str]  # escaped HTML around the sentences: len(sentences) + 1 items


@dataclass
class AltText:
    """An ``img`` whose ``alt`` text is translated."""

    raw: str
    sentence: Sentence


@dataclass
class Document:
    """A segmented HTML document: skeleton strings, blocks and alt texts."""

    parts: list[str | Block | AltText] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        """Return the translatable blocks in document order."""
        return [part for part in self.parts if isinstance(part, Block)]

    def sentences(self) -> Iterator[Sentence]:
        """Yield every sentence in document order, alt texts included."""
        for part in self.parts:
            if isinstance(part, Block):
                yield from part.sentences
            elif isinstance(part, AltText):
                yield part.sentence

    def render(self, translate: Callable[[Sentence], str]) -> str:
        """Rebuild the document with ``translate(sentence)`` (an HTML fragment) per sentence."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, AltText):
                alt = html.unescape(re.sub(r"<[^>]*>", "", translate(part.sentence)))
                out.append(replace_attribute(part.raw, "alt", alt))
            else:
                out.append(render_block(part, translate))
        return "".join(out)


def render_block(block: Block, translate: Callable[[Sentence], str]) -> str:
    """Return one block with every sentence replaced by its translation."""
    translated = [translate(sentence) for sentence in block.sentences]
    if all(t == s.html() for t, s in zip(translated, block.sentences, strict=True)):
        return block.raw  # nothing changed: keep the source bytes exactly
    out = [block.gaps[0]]
    last = len(translated) - 1
    for index, (text, gap) in enumerate(zip(translated, block.gaps[1:], strict=True)):
        # A long sentence cut at "،" with no space after it ("شخصيات ،تكريم")
        # still needs a space between its translated halves.
        out.extend((text, gap if gap or index == last else " "))
    return "".join(out)


def render_units(units) -> str:
    """Render (path, text-or-raw, is_raw) units as HTML, opening and closing tags as needed."""
    out: list[str] = []
    stack: list[InlineTag] = []
    for path, content, is_raw in units:
        common = 0
        while common < len(stack) and common < len(path) and stack[common] is path[common]:
            common += 1
        while len(stack) > common:
            out.append(stack.pop().end)
        for tag in path[common:]:
            out.append(tag.start)
            stack.append(tag)
        out.append(content if is_raw else html.escape(content, quote=False))
    while stack:
        out.append(stack.pop().end)
    return "".join(out)


def has_letters(text: str) -> bool:
    """Tell whether ``text`` contains a letter of any script."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def _is_untranslatable(token: Token) -> bool:
    """Tell whether an element and its whole content must be kept verbatim."""
    return (
        token.name in UNTRANSLATABLE_ELEMENTS
        or token.attrs.get("translate", "").lower() == "no"
        or "notranslate" in token.attrs.get("class", "").split()
    )


def _matching_end(tokens: list[Token], index: int) -> int:
    """Return the index of the end tag closing ``tokens[index]``, or the last index."""
    name = tokens[index].name
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.name != name:
            continue
        if token.kind == "start" and not token.is_void:
            depth += 1
        elif token.kind == "end":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens) - 1


def _alt_part(token: Token) -> str | AltText:
    """Return an ``img`` tag as an AltText when its alt text needs translating."""
    alt = token.attrs.get("alt", "")
    if token.name == "img" and has_letters(alt) and not _is_untranslatable(token):
        return AltText(token.raw, Sentence((Piece(alt, ()),)))
    return token.raw


class _Segmenter:
    """Walks the tokens of one document; holds only that walk's state."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.document = Document()
        self.run: list[Token | str] = []  # a str is a verbatim atom
        self.blocks_open: list[str] = []

    def segment(self) -> Document:
        tokens = self.tokens
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.kind == "start" and not token.is_void and _is_untranslatable(token):
                end = _matching_end(tokens, index)
                raw = "".join(t.raw for t in tokens[index : end + 1])
                if token.name in INLINE_ELEMENTS or token.name == "span":
                    self.run.append(raw)
                else:
                    self._flush()
                    self.document.parts.append(raw)
                index = end + 1
                continue
            if token.kind == "text" or (
                token.kind in ("start", "end") and token.name in INLINE_ELEMENTS
            ):
                self.run.append(token)
            else:
                self._flush()
                if token.kind == "start":
                    self.document.parts.append(_alt_part(token))
                    if not token.is_void:
                        self.blocks_open.append(token.name)
                else:
                    if token.kind == "end" and token.name in self.blocks_open:
                        while self.blocks_open and self.blocks_open.pop() != token.name:
                            pass
                    self.document.parts.append(token.raw)
            index += 1
        self._flush()
        return self.document

    def _flush(self) -> None:
        """Turn the pending inline run into blocks, atoms and skeleton strings."""
        run, self.run = self.run, []
        if not run:
            return
        element = self.blocks_open[-1] if self.blocks_open else ""
        depth = 0
        current: list[Token | str] = []
        for item in run:
            if isinstance(item, Token) and item.kind == "start" and item.name in BREAKING_VOIDS:
                if depth == 0:
                    self._emit_run(current, element)
                    current = []
                    self.document.parts.append(_alt_part(item))
                    continue
            elif isinstance(item, Token) and item.kind == "start" and not item.is_void:
                depth += 1
            elif isinstance(item, Token) and item.kind == "end":
                depth -= 1
            current.append(item)
        self._emit_run(current, element)

    def _emit_run(self, run: list[Token | str], element: str) -> None:
        """Append one inline run as a Block, or verbatim when it has nothing to translate."""
        if not run:
            return
        raw = "".join(item if isinstance(item, str) else item.raw for item in run)
        chars = _run_characters(run)
        if chars is None:
            # Shown as it is in every language: the log says so, so a person can fix it.
            log.warning("autotranslate: unbalanced inline markup kept untranslated: %s", raw[:80])
            self.document.parts.append(raw)
            return
        if not has_letters("".join(ch for ch, _, atom in chars if atom is None)):
            self.document.parts.append(raw)
            return
        self.document.parts.append(_make_block(element, raw, chars))


# One character of a run: the character, its inline stack, and its atom (if it stands for one).
_Char = tuple[str, Path, str | None]


def _run_characters(run: list[Token | str]) -> list[_Char] | None:
    """Return the characters of a run with their inline stacks, or None if unbalanced."""
    chars: list[_Char] = []
    stack: list[InlineTag] = []
    for item in run:
        if isinstance(item, str):
            chars.append((_ATOM_CHAR, tuple(stack), item))
        elif item.kind == "text":
            path = tuple(stack)
            chars.extend((ch, path, None) for ch in item.text)
        elif item.kind in ("other", "rawtext") or (item.kind == "start" and item.is_void):
            chars.append((_ATOM_CHAR, tuple(stack), item.raw))
        elif item.kind == "start":
            stack.append(InlineTag(item.name, item.raw))
        else:
            if not stack or stack[-1].name != item.name:
                return None
            stack.pop().end = item.raw
    return None if stack else chars


def _pieces(chars: list[_Char]) -> tuple[Piece, ...]:
    """Group consecutive characters with the same stack into pieces."""
    pieces: list[Piece] = []
    text: list[str] = []
    path: Path | None = None
    for ch, ch_path, atom in chars:
        if atom is not None or ch_path != path:
            if text and path is not None:
                pieces.append(Piece("".join(text), path))
            text = []
            path = ch_path
        if atom is not None:
            pieces.append(Piece("", ch_path, atom))
            path = None
        else:
            text.append(ch)
    if text and path is not None:
        pieces.append(Piece("".join(text), path))
    return tuple(pieces)


def _make_block(element: str, raw: str, chars: list[_Char]) -> Block:
    """Cut a run's characters into sentences and the whitespace gaps between them."""
    plain = "".join(ch for ch, _, _ in chars)
    spans = split_sentences(plain)
    sentences = [Sentence(_pieces(chars[start:end])) for start, end in spans]
    bounds = [0, *[edge for span in spans for edge in span], len(plain)]
    gaps = [
        html.escape(plain[bounds[i] : bounds[i + 1]], quote=False) for i in range(0, len(bounds), 2)
    ]
    return Block(element, raw, sentences, gaps)


def segment_html(source: str) -> Document:
    """Segment an HTML document or fragment into skeleton, blocks and sentences."""
    return _Segmenter(tokenize(source)).segment()


def parse_fragment(fragment: str) -> Sentence | None:
    """Parse an HTML fragment (a stored translation) back into one Sentence.

    Returns None when its inline markup is unbalanced.
    """
    items: list[Token | str] = []
    tokens = tokenize(fragment)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "start" and not token.is_void and _is_untranslatable(token):
            end = _matching_end(tokens, index)
            items.append("".join(t.raw for t in tokens[index : end + 1]))
            index = end + 1
            continue
        items.append(token)
        index += 1
    chars = _run_characters(items)
    return None if chars is None else Sentence(_pieces(chars))
