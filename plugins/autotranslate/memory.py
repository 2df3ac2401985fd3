"""The translation memory: one PO catalog per article and target language.

PO is what translators' tools (Poedit, Weblate, Lokalize) edit. Each entry's
msgid is a source sentence as an HTML fragment and its msgstr the translation.
Extracted comments (``#.``) record provenance. A machine entry also records a
checksum of the text the machine wrote: when a person edits the msgstr, the
checksum no longer matches and the entry counts as reviewed from then on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from .engines.base import Provenance
from .errors import StopBuild
from .pofile import PoSyntaxError, babel_readable, check_po
from .storage import atomic_write

_TAG = "autotranslate"
# How similar an edited source must be to its old version for a person's
# translation to be carried over as stale (like msgmerge's fuzzy matching).
STALE_MATCH_RATIO = 0.5


class Status(Enum):
    """Where the translation of one segment stands."""

    REVIEWED = "reviewed"
    MACHINE = "machine"
    STALE = "stale"
    FLAGGED = "flagged"
    MISSING = "missing"


class CatalogWriteError(Exception):
    """A catalog cannot be written (read-only folder, full disk); the message says what stays."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"{path.parent}: cannot write {path.name} ({error.strerror or error}). The file on "
            "disk was left as it was; this build shows its new translations but does not keep "
            "them. Make the folder writable or free some space, then build again."
        )
        self.path = path


class CatalogError(StopBuild):
    """A catalog cannot be read; the message names the file, the line and the fix."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(
            f"{where}: {problem}. The file was left untouched: fix it by hand "
            f"(e.g. `msgfmt --check {path}`) or move it away to re-translate the article."
        )
        self.path = path
        self.line = line


def _one_line(text: str) -> str:
    """Return text fit for a one-line PO comment."""
    return " ".join(text.split())


def checksum(text: str) -> str:
    """Return the short checksum stored with machine output."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    """One remembered segment as the pipeline sees it."""

    source: str
    text: str  # the translation shown on the page ("" when missing)
    status: Status
    provenance: str = ""  # machine provenance label, "" for reviewed
    pivot_checksum: str = ""  # checksum of the pivot translation this was derived from
    flag_reason: str = ""
    previous_translation: str = ""  # a person's translation of an older source (stale)
    glossary_changed: str = ""  # glossary terms changed since a person reviewed this entry


def _comments_to_dict(comments: list[str]) -> dict[str, str]:
    """Read ``autotranslate: key = value`` comments, joining lines Babel wrapped."""
    values: dict[str, str] = {}
    key = ""
    for line in comments:
        if line.startswith(f"{_TAG}:"):
            key, _, value = line[len(_TAG) + 1 :].strip().partition("=")
            key = key.strip()
            values[key] = value.strip()
        elif key:
            values[key] = f"{values[key]} {line.strip()}"
    return values


def _comment_key(comment: str) -> str:
    """Return the key of an ``autotranslate: key = value`` comment."""
    return comment[len(_TAG) + 1 :].partition("=")[0].strip()


def _kept_apart(message: Message) -> bool:
    """Tell whether an entry is one this plugin never writes (plural forms or a context)."""
    return bool(message.id) and (message.pluralizable or message.context is not None)


def is_pseudo_label(label: str) -> bool:
    """Tell whether a provenance label names the pseudo engine (at any step of a pivot).

    >>> is_pseudo_label("pseudo pseudo-ar_en 1 + argos translate-en_fr 1.9")
    True
    >>> is_pseudo_label("reviewed en + argos translate-en_fr 1.9")
    False
    """
    return any(part.strip().startswith("pseudo ") for part in label.split("+"))


def _entry_from_message(message: Message, accept_pseudo: bool = False) -> Entry:
    """Interpret one PO message: reviewed, machine, stale or flagged.

    Pseudo-engine output is no translation: outside a pseudo build's own scratch
    catalogs (an older build wrote it into the memory) it counts as missing.
    """
    meta = _comments_to_dict(list(message.auto_comments))
    text = message.string if isinstance(message.string, str) else ""
    pseudo = not accept_pseudo and is_pseudo_label(meta.get("engine", ""))
    if message.fuzzy and meta.get("stale") == "yes":
        return Entry(
            message.id,
            "" if pseudo else meta.get("machine-text", ""),
            Status.STALE,
            meta.get("engine", ""),
            meta.get("pivot", ""),
            previous_translation=text,
        )
    if not text:
        return Entry(message.id, "", Status.MISSING)
    if meta.get("checksum") and meta["checksum"] == checksum(text):
        if pseudo:
            return Entry(message.id, "", Status.MISSING)
        status = Status.FLAGGED if meta.get("flagged") else Status.MACHINE
        return Entry(
            message.id, text, status, meta.get("engine", ""), meta.get("pivot", ""),
            meta.get("flagged", ""),
        )  # fmt: skip
    # No checksum, or a person changed the machine's text: a human translation.
    return Entry(
        message.id, text, Status.REVIEWED, glossary_changed=meta.get("glossary-changed", "")
    )


class TranslationCatalog:
    """The memory of one article in one target language, backed by a PO file."""

    def __init__(
        self,
        path: Path,
        source_lang: str,
        target_lang: str,
        *,
        save_path: Path | None = None,
        accept_pseudo: bool = False,
    ) -> None:
        self.path = path
        self.source_lang = source_lang
        self.target_lang = target_lang
        # Where save() writes (a pseudo build reads the memory and writes elsewhere).
        self.save_path = save_path or path
        self._accept_pseudo = accept_pseudo
        self._loaded_bytes = b""
        self._catalog = self._read()
        # Serializing is the costly part of a warm build: only done after a change.
        self._dirty = False

    def _read(self) -> Catalog:
        if not self.path.exists():
            catalog = Catalog(
                locale=self.target_lang,
                project="atlas-archive",
                fuzzy=False,
                header_comment=(
                    f"# {self.target_lang} translations of {self.path.stem}"
                    f" ({self.source_lang} original).\n"
                    "# Edit a msgstr to correct a translation: your text is kept for good.\n"
                    "# See README.md, 'Correcting a translation'."
                ),
            )
            catalog.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            catalog.revision_date = catalog.creation_date
            return catalog
        try:
            data = self.path.read_bytes()
            # Some editors save a byte-order mark; it is not part of the first line.
            text = data.decode("utf-8-sig")
            self._loaded_bytes = data
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise CatalogError(self.path, line, "not valid UTF-8") from error
        except OSError as error:
            raise CatalogError(self.path, None, f"cannot be read ({error.strerror})") from error
        try:
            previous = check_po(text)
            # Decoded text, not bytes: Babel would re-decode every line after the header
            # with the header's charset (an editor may write ISO-8859-1 on a UTF-8 file).
            catalog = read_po(
                io.StringIO(babel_readable(text)), abort_invalid=True, charset="utf-8"
            )
        except PoSyntaxError as error:
            raise CatalogError(self.path, error.line, str(error)) from error
        except PoFileError as error:
            raise CatalogError(self.path, getattr(error, "lineno", None), str(error)) from error
        except Exception as error:  # babel raises plain errors on some malformed input
            raise CatalogError(self.path, None, f"not a valid PO file ({error})") from error
        for message in catalog:
            # Babel takes "#|" lines for translator comments ("| msgid ..."): written
            # back, they would turn into "# | msgid" lines. check_po has read them.
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        for msgid, previous_id in previous.items():
            message = catalog.get(msgid)
            if message is not None:
                message.previous_id = [previous_id]
        catalog.charset = "utf-8"  # what the file is, and what it is written back as
        return catalog

    def kept_apart(self) -> list[str]:
        """Name the entries this plugin does not use (msgctxt, msgid_plural): kept as they are."""
        return [
            f"{self.path}:{message.lineno}: entry with "
            f"{'msgid_plural' if message.pluralizable else 'msgctxt'} kept as it is "
            "(autotranslate uses neither; it is never changed or removed)"
            for message in self._catalog
            if _kept_apart(message)
        ]

    @classmethod
    def for_pseudo_build(
        cls, memory_path: Path, scratch_path: Path, source_lang: str, target_lang: str
    ) -> TranslationCatalog:
        """Open a catalog for a pseudo build: read the memory, write a scratch copy.

        The scratch copy (pseudo output on top of the memory) is read back while the
        memory has not changed since it was written, so a killed pseudo build resumes;
        once the memory is newer (a person's edit, a real build), it starts from it again.
        """
        source = memory_path
        if scratch_path.exists() and (
            not memory_path.exists()
            or scratch_path.stat().st_mtime_ns >= memory_path.stat().st_mtime_ns
        ):
            source = scratch_path
        return cls(source, source_lang, target_lang, save_path=scratch_path, accept_pseudo=True)

    def _serialize(self) -> bytes:
        buffer = io.BytesIO()
        write_po(buffer, self._catalog, width=0, sort_output=False, include_previous=True)
        return buffer.getvalue()

    def lookup(self, source: str) -> Entry | None:
        """Return the remembered entry for a source segment (a pure read)."""
        message = self._catalog.get(source)
        if message is None or (not message.string and source in self._catalog.obsolete):
            # A sentence that came back: its person's translation waits in #~ until
            # retire_unused brings it back to life.
            message = self._catalog.obsolete.get(source)
            if message is not None:
                message = self._restored_view(message)
        return None if message is None else _entry_from_message(message, self._accept_pseudo)

    @staticmethod
    def _restored_view(old: Message) -> Message:
        """Return how an obsolete entry reads once it is live again (for a lookup)."""
        view = Message(old.id, old.string)
        if f"{_TAG}: was stale" in old.user_comments:
            view.flags.add("fuzzy")
            view.auto_comments = [f"{_TAG}: stale = yes", f"{_TAG}: machine-text = "]
        return view

    def entries(self) -> list[Entry]:
        """Return every entry of the catalog (obsolete ones excluded)."""
        return [
            _entry_from_message(m, self._accept_pseudo)
            for m in self._catalog
            if m.id and not _kept_apart(m)
        ]

    def sources(self) -> set[str]:
        """Return every source segment the catalog has an entry for (obsolete ones too)."""
        return {m.id for m in self._catalog if isinstance(m.id, str) and m.id} | {
            key for key in self._catalog.obsolete if isinstance(key, str)
        }

    def people_count(self) -> int:
        """Return how many entries hold a person's work (reviewed, stale or obsolete)."""
        kept = (Status.REVIEWED, Status.STALE)
        return sum(e.status in kept for e in self.entries()) + self.obsolete_count()

    def adopt(self, other: TranslationCatalog) -> list[str]:
        """Take over a person's work from ``other`` (the catalog of a renamed article).

        Reviewed and stale entries replace machine or missing ones here; a source
        this catalog lacks is added (the next build retires it as stale or obsolete
        if the article no longer has it). Returns the sources a person translated
        differently in both (obsolete ``#~`` entries too): then nothing is changed.
        """
        kept = (Status.REVIEWED, Status.STALE)
        conflicts = []
        for message in other._catalog:
            if not message.id or _kept_apart(message):
                continue
            mine = self._catalog.get(message.id)
            if (
                mine is not None
                and _entry_from_message(mine).status in kept
                and _entry_from_message(message).status in kept
                and mine.string != message.string
            ):
                conflicts.append(message.id)
        for key, message in other._catalog.obsolete.items():
            # Both obsolete, translated differently: keeping one would delete the other.
            mine = self._catalog.obsolete.get(key)
            if mine is not None and mine.string != message.string:
                conflicts.append(message.id)
        if conflicts:
            return conflicts
        for message in other._catalog:
            if not message.id:
                continue
            mine = self._catalog.get(message.id, message.context)
            if mine is None or (
                _entry_from_message(message).status in kept
                and _entry_from_message(mine).status not in kept
            ):
                if mine is not None:
                    self._catalog.delete(message.id, message.context)
                self._catalog[message.id] = message
        for key, message in other._catalog.obsolete.items():
            self._catalog.obsolete.setdefault(key, message)
        self._dirty = True
        return []

    def obsolete_count(self) -> int:
        """Return how many people's translations have lost their source sentence."""
        return len(self._catalog.obsolete)

    def store_missing(self, source: str) -> None:
        """Add an empty entry for a segment nobody translated yet (translators fill it in)."""
        if source in self._catalog.obsolete:
            self._restore(source)  # never an empty entry beside a #~ one with its msgid
        elif self._catalog.get(source) is None:
            self._catalog[source] = Message(source, "")
            self._dirty = True

    def store_machine(
        self,
        source: str,
        text: str,
        provenance: Provenance | str,
        *,
        pivot_checksum: str = "",
        flag_reason: str = "",
        today: dt.date | None = None,
    ) -> None:
        """Remember a machine translation, never overwriting a person's translation."""
        self._dirty = True
        label = provenance.label() if isinstance(provenance, Provenance) else provenance
        comments = [
            f"{_TAG}: engine = {label}",
            f"{_TAG}: date = {(today or dt.date.today()).isoformat()}",
        ]
        if pivot_checksum:
            comments.append(f"{_TAG}: pivot = {pivot_checksum}")
        if flag_reason:
            comments.append(f"{_TAG}: flagged = {flag_reason}")
        if source in self._catalog.obsolete:
            self._restore(source)
        existing = self._catalog.get(source)
        if existing is not None:
            current = _entry_from_message(existing, self._accept_pseudo)
            if current.status is Status.REVIEWED:
                return
            if current.status is Status.STALE:
                # Keep the person's old translation; show the machine's text meanwhile.
                existing.auto_comments = [
                    c for c in existing.auto_comments if not c.startswith(f"{_TAG}:")
                ]
                existing.auto_comments += [
                    f"{_TAG}: stale = yes",
                    f"{_TAG}: machine-text = {_one_line(text)}",
                    *comments,
                ]
                return
        comments.append(f"{_TAG}: checksum = {checksum(text)}")
        if existing is None:
            self._catalog[source] = Message(source, text, auto_comments=comments)
        else:  # in place: Catalog.__setitem__ would merge the old comments in
            existing.string = text
            existing.auto_comments = comments
            existing.flags.discard("fuzzy")

    def mark_glossary_changed(self, source: str, terms: list[str]) -> None:
        """Note on a person's translation that glossary terms it uses have changed.

        The translation itself is never touched: the note (an automatic comment)
        asks for a look, and stays until a person deletes it.
        """
        message = self._catalog.get(source)
        if message is None or _entry_from_message(message).status is not Status.REVIEWED:
            return
        prefix = f"{_TAG}: glossary-changed = "
        noted = [c for c in message.auto_comments if c.startswith(prefix)]
        known = [t.strip() for c in noted for t in c[len(prefix) :].split(",") if t.strip()]
        merged = list(dict.fromkeys([*known, *terms]))
        if merged == known:
            return
        message.auto_comments = [
            *(c for c in message.auto_comments if not c.startswith(prefix)),
            prefix + ", ".join(merged),
        ]
        self._dirty = True

    def retire_unused(self, keep: Iterable[str]) -> list[Entry]:
        """Drop entries whose source is not in ``keep``; keep people's work as stale or obsolete.

        ``keep`` is every source segment the content has now (the caller says so: a
        lookup is only a read).

        A person's translation whose source sentence was edited is attached to the
        most similar new source as a fuzzy entry (with the previous source), if that
        source holds no person's work yet; otherwise it is kept as an obsolete
        (``#~``) entry. An obsolete entry whose source is back becomes live again.
        Returns the entries that became stale or obsolete.
        """
        keep = set(keep)
        for source in sorted(keep & set(self._catalog.obsolete)):
            self._restore(source)
        gone = [m for m in self._catalog if m.id and m.id not in keep and not _kept_apart(m)]
        self._dirty = self._dirty or bool(gone)
        kept: list[Entry] = []
        for message in gone:
            entry = _entry_from_message(message, self._accept_pseudo)
            del self._catalog[message.id]
            if entry.status not in (Status.REVIEWED, Status.STALE):
                continue  # machine output can always be computed again
            human_text = entry.previous_translation or entry.text
            successor = self._most_similar(message.id, self._open_sources(keep))
            if successor is None:
                self._make_obsolete(message, human_text, entry.status)
                kept.append(Entry(message.id, human_text, Status.STALE))
                continue
            new_message = self._catalog[successor]
            new_entry = _entry_from_message(new_message, self._accept_pseudo)
            new_message.string = human_text
            new_message.flags.add("fuzzy")
            new_message.previous_id = [message.id]
            new_message.auto_comments = [
                f"{_TAG}: stale = yes",
                f"{_TAG}: machine-text = {_one_line(new_entry.text)}",
                *[
                    c
                    for c in new_message.auto_comments
                    if not c.startswith(f"{_TAG}:")
                    or _comment_key(c) not in ("checksum", "stale", "machine-text")
                ],
            ]
            kept.append(_entry_from_message(new_message, self._accept_pseudo))
        return kept

    def _open_sources(self, keep: set[str]) -> list[str]:
        """Return the live sources that hold no person's work (a stale entry may go there)."""
        taken = (Status.REVIEWED, Status.STALE)
        return [
            m.id
            for m in self._catalog
            if m.id
            and m.id in keep
            and not _kept_apart(m)
            and _entry_from_message(m, self._accept_pseudo).status not in taken
        ]

    def _make_obsolete(self, message: Message, human_text: str, status: Status) -> None:
        """Keep a person's translation whose source is gone as an obsolete ``#~`` entry."""
        # Babel writes only translator comments on obsolete entries: a stale one says so there.
        notes = [f"{_TAG}: was stale"] if status is Status.STALE else []
        self._catalog.obsolete[message.id] = Message(
            message.id,
            human_text,
            auto_comments=[f"{_TAG}: obsolete = yes"],
            user_comments=[*message.user_comments, *notes],
        )
        self._dirty = True

    def _restore(self, source: str) -> None:
        """Bring an obsolete entry back to life, with the status it had."""
        old = self._catalog.obsolete.pop(source)
        was_stale = f"{_TAG}: was stale" in old.user_comments
        message = Message(
            source,
            old.string,
            user_comments=[c for c in old.user_comments if c != f"{_TAG}: was stale"],
        )
        if was_stale:
            message.flags.add("fuzzy")
            message.auto_comments = [f"{_TAG}: stale = yes", f"{_TAG}: machine-text = "]
        if self._catalog.get(source) is not None:
            self._catalog.delete(source)  # the empty entry a missing lookup left
        self._catalog[source] = message
        self._dirty = True

    @staticmethod
    def _most_similar(old: str, candidates: list[str]) -> str | None:
        best, best_ratio = None, STALE_MATCH_RATIO
        for candidate in candidates:
            ratio = difflib.SequenceMatcher(None, old, candidate).ratio()
            if ratio >= best_ratio:
                best, best_ratio = candidate, ratio
        return best

    def save(self) -> bool:
        """Write the catalog atomically if it changed; return whether it was written.

        Raises CatalogWriteError (the file left as it was) when the disk refuses.
        """
        if not self._dirty:
            return False
        data = self._serialize()
        if data == self._loaded_bytes and self.save_path == self.path:
            self._dirty = False
            return False
        try:
            atomic_write(self.save_path, data)
        except OSError as error:
            raise CatalogWriteError(self.save_path, error) from error
        self._dirty = False
        self.path, self._loaded_bytes = self.save_path, data
        return True
