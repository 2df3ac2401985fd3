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

from .htmltokens import Token, attribute_matches, replace_attribute, tokenize
from .scripts import has_arabic
from .sentences import split_sentences
from .verbatim import keep_spans, verbatim_spans

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
# Attributes a reader or a screen reader meets: each value is its own translation unit.
TRANSLATED_ATTRIBUTES = ("alt", "title", "aria-label")
PLACEHOLDER_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
_ATOM_CHAR = "\ue000"  # stands for one placeholder while sentences are cut


@dataclass(eq=False)
class AttributeSlot:
    """A start tag whose ``alt``/``title`` values are translated apart from its sentence.

    ``bare`` is the tag without those attributes: what a sentence's msgid holds,
    so translators never see (or have to keep) text they should translate.
    """

    raw: str
    bare: str
    values: dict[str, Sentence]

    def render(self, translate: Callable[[Sentence], str]) -> str:
        """Return the original tag with each attribute value translated."""
        tag = self.raw
        for name, sentence in self.values.items():
            text = html.unescape(re.sub(r"<[^>]*>", "", translate(sentence)))
            tag = replace_attribute(tag, name, text)
        return tag


@dataclass(eq=False)
class InlineTag:
    """One inline element of the source; identity tells two equal tags apart."""

    name: str
    start: str
    end: str = ""
    slot: AttributeSlot | None = None


Path = tuple[InlineTag, ...]


@dataclass(frozen=True)
class Piece:
    """A run of text sharing one stack of inline elements, or one verbatim atom."""

    text: str
    path: Path
    atom: str | None = None
    slot: AttributeSlot | None = None  # the translated attributes of an atom's tag


@dataclass(frozen=True)
class Sentence:
    """One translation unit: pieces of text and atoms with their inline markup."""

    pieces: tuple[Piece, ...]

    @property
    def needs_translation(self) -> bool:
        """Tell whether any letter is left outside the verbatim atoms."""
        return has_letters("".join(piece.text for piece in self.pieces if piece.atom is None))

    def slots(self) -> list[AttributeSlot]:
        """Return the tags of this sentence whose attributes are translated, in order."""
        found: dict[int, AttributeSlot] = {}
        for piece in self.pieces:
            for tag in piece.path:
                if tag.slot is not None:
                    found.setdefault(id(tag.slot), tag.slot)
            if piece.slot is not None:
                found.setdefault(id(piece.slot), piece.slot)
        return list(found.values())

    def kept_texts(self) -> set[str]:
        """Return the verbatim text atoms (hashtags, URLs, Latin words) as plain text."""
        return {
            html.unescape(piece.atom)
            for piece in self.atoms
            if piece.atom and not piece.atom.startswith("<") and piece.slot is None
        }

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
class AttributeText:
    """A tag outside any sentence (an ``img``, a ``th``…) whose attributes are translated."""

    slot: AttributeSlot


@dataclass
class Document:
    """A segmented HTML document: skeleton strings, blocks and translated attributes."""

    parts: list[str | Block | AttributeText] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        """Return the translatable blocks in document order."""
        return [part for part in self.parts if isinstance(part, Block)]

    def sentences(self) -> Iterator[Sentence]:
        """Yield every sentence to translate in document order, attribute values included."""
        for part in self.parts:
            if isinstance(part, Block):
                for sentence in part.sentences:
                    if sentence.needs_translation:
                        yield sentence
                    for slot in sentence.slots():
                        yield from slot.values.values()
            elif isinstance(part, AttributeText):
                yield from part.slot.values.values()

    def render(self, translate: Callable[[Sentence], str]) -> str:
        """Rebuild the document with ``translate(sentence)`` (an HTML fragment) per sentence."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, AttributeText):
                out.append(part.slot.render(translate))
            else:
                out.append(render_block(part, translate))
        return "".join(out)


def render_block(block: Block, translate: Callable[[Sentence], str]) -> str:
    """Return one block with every sentence replaced by its translation.

    ``translate`` is called on every sentence, verbatim ones too (a page may mark
    them); the tags whose attributes are translated are restored afterwards.
    """
    translated = [translate(sentence) for sentence in block.sentences]
    if all(t == s.html() for t, s in zip(translated, block.sentences, strict=True)) and not any(
        s.slots() for s in block.sentences
    ):
        return block.raw  # nothing changed: keep the source bytes exactly
    out = [block.gaps[0]]
    last = len(translated) - 1
    for index, (text, gap) in enumerate(zip(translated, block.gaps[1:], strict=True)):
        text = restore_attributes(text, block.sentences[index].slots(), translate)
        # A long sentence cut at "،" with no space after it ("شخصيات ،تكريم")
        # still needs a space between its translated halves.
        out.extend((text, gap if gap or index == last else " "))
    return "".join(out)


def restore_attributes(
    fragment: str, slots: list[AttributeSlot], translate: Callable[[Sentence], str]
) -> str:
    """Give each bare tag of a translated sentence back its attributes, translated.

    Tags are matched in order; a link the translation split in two keeps its title on both.
    """
    if not slots:
        return fragment
    waiting: dict[str, list[AttributeSlot]] = {}
    for slot in slots:
        waiting.setdefault(slot.bare, []).append(slot)
    out: list[str] = []
    for token in tokenize(fragment):
        queue = waiting.get(token.raw) if token.kind == "start" else None
        if queue:
            out.append((queue.pop(0) if len(queue) > 1 else queue[0]).render(translate))
        else:
            out.append(token.raw)
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


def _attribute_slot(token: Token, keep_latin: bool) -> AttributeSlot | None:
    """Return the translatable attributes of a start tag, or None when it has none."""
    if token.kind != "start" or _is_untranslatable(token):
        return None
    values: dict[str, Sentence] = {}
    for name in TRANSLATED_ATTRIBUTES:
        value = token.attrs.get(name, "").strip()
        if not has_letters(value):
            continue
        sentence = _protected(Sentence((Piece(value, ()),)), keep_latin)
        if sentence.needs_translation:
            values[name] = sentence
    if not values:
        return None
    return AttributeSlot(token.raw, remove_attributes(token.raw, values), values)


def remove_attributes(start_tag: str, names) -> str:
    """Return ``start_tag`` without the named attributes.

    >>> remove_attributes('<a href="/x" data-x=" title=y" title="عنوان">', ["title"])
    '<a href="/x" data-x=" title=y">'
    """
    wanted = {name.lower() for name in names}
    for match in reversed(attribute_matches(start_tag)):
        if match.group(1).lower() in wanted:
            start = match.start() - (start_tag[match.start() - 1].isspace())
            start_tag = start_tag[:start] + start_tag[match.end() :]
    return start_tag


def _protected(sentence: Sentence, keep_latin: bool, kept: set[str] | None = None) -> Sentence:
    """Return ``sentence`` with what is kept as written (hashtags, URLs…) as verbatim atoms.

    The msgid does not change: an atom of text renders as the same escaped text.
    """
    pieces: list[Piece] = []
    for piece in sentence.pieces:
        if piece.atom is not None:
            pieces.append(piece)
            continue
        spans = verbatim_spans(piece.text, latin_words=keep_latin) if kept is None else []
        spans = sorted(spans + keep_spans(piece.text, kept or set()))
        cursor = 0
        for start, end in spans:
            if start < cursor:
                continue
            if start > cursor:
                pieces.append(Piece(piece.text[cursor:start], piece.path))
            pieces.append(Piece("", piece.path, html.escape(piece.text[start:end], quote=False)))
            cursor = end
        if cursor < len(piece.text):
            pieces.append(Piece(piece.text[cursor:], piece.path))
    return Sentence(tuple(pieces))


def protect_kept(sentence: Sentence, kept: set[str]) -> Sentence:
    """Return a pivot sentence with the texts its source kept as written as atoms again."""
    return _protected(sentence, keep_latin=False, kept=kept) if kept else sentence


class _Segmenter:
    """Walks the tokens of one document; holds only that walk's state."""

    def __init__(self, tokens: list[Token], keep_latin: bool) -> None:
        self.tokens = tokens
        self.keep_latin = keep_latin
        self.document = Document()
        self.run: list[Token | str] = []  # a str is a verbatim atom
        self.blocks_open: list[str] = []
        # Inline tags whose attributes are translated apart, by id() of their bare token.
        self.slots: dict[int, AttributeSlot] = {}

    def _part(self, token: Token) -> str | AttributeText:
        """Return a skeleton tag, with its attributes to translate when it has any."""
        slot = _attribute_slot(token, self.keep_latin)
        return token.raw if slot is None else AttributeText(slot)

    def _inline(self, token: Token) -> Token:
        """Return an inline start tag bare of the attributes translated apart."""
        slot = _attribute_slot(token, self.keep_latin)
        if slot is None:
            return token
        bare = Token("start", slot.bare, token.name, token.attrs)
        self.slots[id(bare)] = slot
        return bare

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
                self.run.append(self._inline(token) if token.kind == "start" else token)
            else:
                self._flush()
                if token.kind == "start":
                    self.document.parts.append(self._part(token))
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
                    slot = self.slots.get(id(item))
                    self.document.parts.append(AttributeText(slot) if slot else item.raw)
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
        raw = "".join(item if isinstance(item, str) else self._original(item) for item in run)
        chars = _run_characters(run, self.slots)
        if chars is None:
            # Shown as it is in every language: the log says so, so a person can fix it.
            log.warning("autotranslate: unbalanced inline markup kept untranslated: %s", raw[:80])
            self.document.parts.append(raw)
            return
        text = "".join(ch for ch, _, atom, _ in chars if atom is None)
        # Digits alone (a table cell "١٤٥") are not translated, but a page may rewrite them.
        if not has_letters(text) and not has_arabic(text):
            self.document.parts.append(raw)
            return
        self.document.parts.append(_make_block(element, raw, chars, self.keep_latin))

    def _original(self, token: Token) -> str:
        """Return the source bytes of a run token (a bare tag's original attributes)."""
        slot = self.slots.get(id(token))
        return slot.raw if slot else token.raw


# One character of a run: the character, its inline stack, its atom (if it stands for
# one) and the translated attributes of that atom's tag.
_Char = tuple[str, Path, str | None, AttributeSlot | None]


def _run_characters(
    run: list[Token | str], slots: dict[int, AttributeSlot] | None = None
) -> list[_Char] | None:
    """Return the characters of a run with their inline stacks, or None if unbalanced."""
    slots = slots or {}
    chars: list[_Char] = []
    stack: list[InlineTag] = []
    for item in run:
        if isinstance(item, str):
            chars.append((_ATOM_CHAR, tuple(stack), item, None))
        elif item.kind == "text":
            path = tuple(stack)
            chars.extend((ch, path, None, None) for ch in item.text)
        elif item.kind in ("other", "rawtext") or (item.kind == "start" and item.is_void):
            chars.append((_ATOM_CHAR, tuple(stack), item.raw, slots.get(id(item))))
        elif item.kind == "start":
            stack.append(InlineTag(item.name, item.raw, slot=slots.get(id(item))))
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
    for ch, ch_path, atom, slot in chars:
        if atom is not None or ch_path != path:
            if text and path is not None:
                pieces.append(Piece("".join(text), path))
            text = []
            path = ch_path
        if atom is not None:
            pieces.append(Piece("", ch_path, atom, slot))
            path = None
        else:
            text.append(ch)
    if text and path is not None:
        pieces.append(Piece("".join(text), path))
    return tuple(pieces)


def _make_block(element: str, raw: str, chars: list[_Char], keep_latin: bool = True) -> Block:
    """Cut a run's characters into sentences and the whitespace gaps between them."""
    plain = "".join(ch for ch, _, _, _ in chars)
    spans = split_sentences(plain)
    sentences = [
        _protected(Sentence(_pieces(chars[start:end])), keep_latin) for start, end in spans
    ]
    bounds = [0, *[edge for span in spans for edge in span], len(plain)]
    gaps = [
        html.escape(plain[bounds[i] : bounds[i + 1]], quote=False) for i in range(0, len(bounds), 2)
    ]
    return Block(element, raw, sentences, gaps)


def segment_html(source: str, *, keep_latin: bool = True) -> Document:
    """Segment an HTML document or fragment into skeleton, blocks and sentences.

    ``keep_latin`` keeps Latin-script words as written (the source is not in Latin script).
    """
    return _Segmenter(tokenize(source), keep_latin).segment()


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
