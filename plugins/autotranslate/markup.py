"""Carry inline markup from a source sentence to its translation, and keep HTML safe.

A translation engine sees plain text. Its word alignment (from CTranslate2's
attention, as Firefox Translations does) says which source word each target word
comes from; each target word then takes the inline elements (links, emphasis)
around that source word. Engine text is always escaped, so a model can never add
markup; stored translations may only reuse the start tags of their source.
"""

from __future__ import annotations

import html

from .engines.base import Translation
from .htmltokens import RAW_TEXT_ELEMENTS, tokenize
from .segmenter import PLACEHOLDER_RE, InlineTag, Path, Sentence, render_units


def _common_prefix(a: Path, b: Path) -> Path:
    """Return the inline stack shared by two neighbouring stacks."""
    size = 0
    while size < len(a) and size < len(b) and a[size] is b[size]:
        size += 1
    return a[:size]


def _source_path_at(paths: list[Path], start: int, end: int) -> Path:
    """Return the inline stack of the first non-space source character in [start, end)."""
    if not paths:
        return ()
    start = max(0, min(start, len(paths) - 1))
    end = max(start + 1, min(end, len(paths)))
    return paths[start] if start < end else ()


def _tags_by_first_position(sentence: Sentence) -> dict[InlineTag, tuple[int, Path]]:
    """Return each inline tag of the source with its first position and full stack."""
    found: dict[InlineTag, tuple[int, Path]] = {}
    for position, path in enumerate(sentence.char_paths()):
        for depth, tag in enumerate(path):
            found.setdefault(tag, (position, path[: depth + 1]))
    return found


def transfer_markup(sentence: Sentence, translation: Translation) -> str:
    """Return the translation as HTML carrying the source sentence's inline markup.

    >>> from autotranslate.segmenter import segment_html
    >>> english = segment_html('<p>go <a href="/x">home</a></p>', keep_latin=False)
    >>> sentence = next(english.sentences())
    >>> transfer_markup(sentence, Translation("va maison", ((0, 2, 0, 2), (3, 9, 3, 7))))
    'va <a href="/x">maison</a>'
    """
    source_text = sentence.source_text()
    if translation.text == source_text:
        return sentence.html()
    target = translation.text
    source_paths = sentence.char_paths()
    atoms = sentence.atoms
    target_paths: list[Path | None] = [None] * len(target)

    # Placeholders the engine kept are put back verbatim (first copy only).
    atom_at: dict[int, int] = {}
    placed: set[int] = set()
    dropped: list[tuple[int, int]] = []
    for match in PLACEHOLDER_RE.finditer(target):
        number = int(match.group(1))
        if 1 <= number <= len(atoms) and number not in placed:
            placed.add(number)
            atom_at[match.start()] = number
            for i in range(match.start(), match.end()):
                target_paths[i] = atoms[number - 1].path
        else:
            dropped.append(match.span())

    aligned = [unit for unit in translation.alignment if 0 <= unit[0] < unit[1] <= len(target)]
    if aligned:
        for t_start, t_end, s_start, s_end in aligned:
            path = _source_path_at(source_paths, s_start, s_end)
            for i in range(t_start, t_end):
                if target_paths[i] is None:
                    target_paths[i] = path
    elif source_paths:
        # No alignment: map positions proportionally, word by word.
        scale = len(source_paths) / max(len(target), 1)
        word_path: Path = ()
        for i, ch in enumerate(target):
            if ch.isspace():
                continue
            if i == 0 or target[i - 1].isspace():
                word_path = source_paths[min(int(i * scale), len(source_paths) - 1)]
            if target_paths[i] is None:
                target_paths[i] = word_path

    _ensure_every_tag_appears(sentence, target, target_paths, aligned)
    _fill_gaps(target_paths)
    missing_atoms = [n for n in range(1, len(atoms) + 1) if n not in placed]
    return _render(target, target_paths, atom_at, dropped, atoms, missing_atoms)


def _ensure_every_tag_appears(sentence, target, target_paths, aligned) -> None:
    """Give a source tag that no target word took the target word nearest to it."""
    used = {tag for path in target_paths if path for tag in path}
    words = [(u[0], u[1], u[2]) for u in aligned] or _word_spans(target)
    claimed: set[int] = set()
    for tag, (position, full_path) in _tags_by_first_position(sentence).items():
        if tag in used:
            continue
        # Each rescued tag takes its own word, so one cannot overwrite another.
        free = [w for w in words if w[0] not in claimed]
        if not free:
            return
        t_start, t_end, _ = min(free, key=lambda w: abs(w[2] - position))
        claimed.add(t_start)
        for i in range(t_start, t_end):
            target_paths[i] = full_path
        used.update(full_path)


def _word_spans(text: str) -> list[tuple[int, int, int]]:
    """Return (start, end, start) for each whitespace-separated word."""
    spans = []
    start = None
    for i, ch in enumerate([*text, " "]):
        if ch.isspace() and start is not None:
            spans.append((start, i, start))
            start = None
        elif not ch.isspace() and start is None:
            start = i
    return spans


def _fill_gaps(paths: list[Path | None]) -> None:
    """Give unaligned characters the stack shared by their aligned neighbours."""
    previous: Path = ()
    for i, path in enumerate(paths):
        if path is not None:
            previous = path
            continue
        following: Path = ()
        for later in paths[i + 1 :]:
            if later is not None:
                following = later
                break
        paths[i] = _common_prefix(previous, following)


def _render(target, paths, atom_at, dropped, atoms, missing_atoms) -> str:
    """Render target characters, restored atoms and any atoms the engine lost."""
    skip = {i for start, end in dropped for i in range(start, end)}
    units: list[tuple[Path, str, bool]] = []
    i = 0
    while i < len(target):
        if i in atom_at:
            match = PLACEHOLDER_RE.match(target, i)
            atom = atoms[atom_at[i] - 1]
            units.append((paths[i] or (), atom.atom or "", True))
            i = match.end() if match else i + 1
            continue
        if i not in skip:
            units.append((paths[i] or (), target[i], False))
        i += 1
    # Atoms the engine dropped are never lost: they go at the end of the sentence.
    for number in missing_atoms:
        atom = atoms[number - 1]
        units.append(((), " ", False))
        units.append((atom.path, atom.atom or "", True))
    return render_units(_merge(units))


def _merge(units):
    """Join neighbouring text units with the same stack (fewer, longer strings)."""
    merged: list[tuple[Path, str, bool]] = []
    for path, content, is_raw in units:
        if merged and not is_raw and not merged[-1][2] and merged[-1][0] == path:
            merged[-1] = (path, merged[-1][1] + content, False)
        else:
            merged.append((path, content, is_raw))
    return merged


def sanitize_fragment(fragment: str, source: Sentence) -> tuple[str, list[str]]:
    """Return a stored translation reduced to the markup of its source, and what was removed.

    This is the one gate between catalog text (reviewed or machine, whatever its
    comments claim) and HTML. Text is re-escaped; a start tag is kept only if the
    source has exactly the same tag (name and attributes), end tags only when they
    close one, and comments or raw text only when the source's verbatim parts
    have the very same ones.

    >>> from autotranslate.segmenter import segment_html
    >>> english = segment_html('<p>go <a href="/x">home</a></p>', keep_latin=False)
    >>> sentence = next(english.sentences())
    >>> sanitize_fragment('va <a href="/x">à</a> <script>x()</script>', sentence)[0]
    'va <a href="/x">à</a> &lt;script&gt;x()&lt;/script&gt;'
    """
    allowed = source.start_tags()
    verbatim = source.verbatim_tokens()
    out: list[str] = []
    stack: list[str] = []
    removed: list[str] = []
    for token in tokenize(fragment):
        if token.kind == "text":
            out.append(html.escape(token.text, quote=False))
        elif token.kind == "start" and token.raw in allowed:
            out.append(token.raw)
            if not token.is_void:
                stack.append(token.name)
        elif token.kind == "end" and stack and stack[-1] == token.name:
            stack.pop()
            out.append(token.raw)
        elif token.kind == "other" and token.raw in verbatim:
            out.append(token.raw)
        elif token.kind == "rawtext" and stack and stack[-1] in RAW_TEXT_ELEMENTS:
            # Inside a script or style the source has: only its very own body, else
            # nothing (escaping does not make a script body harmless).
            if token.raw in verbatim:
                out.append(token.raw)
            else:
                removed.append(token.raw)
        else:
            removed.append(token.raw)
            out.append(html.escape(token.raw, quote=False))
    out.extend(f"</{name}>" for name in reversed(stack))
    return "".join(out), removed


def fragment_text(fragment: str) -> str:
    """Return the text of an HTML fragment without its tags, still escaped (titles, terms).

    Titles and category or tag names are HTML strings, as Pelican keeps them: the
    theme prints them as they are, so their text must stay escaped here.

    >>> fragment_text('Le <em>x</em> &lt;script&gt; &amp; <b>y</b>')
    'Le x &lt;script&gt; &amp; y'
    """
    return "".join(
        html.escape(token.text, quote=False) for token in tokenize(fragment) if token.kind == "text"
    )
