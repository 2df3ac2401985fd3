"""One build's translation work: memory first, then the engine for what is left.

Every segment of every source article is looked up in its catalog; the rest are
translated in one batch across the whole build (source→pivot first, then
pivot→other targets from that same pivot text), saved in checkpoints so a killed
build keeps what it finished, and finally put back into each article's HTML.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from .config import AutotranslateConfig
from .engines.base import Engine
from .errors import StopBuild
from .glossary import (
    APPLIED_NAME,
    NOTE,
    Glossary,
    GlossaryError,
    changed_terms,
    load_glossary,
    mentioned_terms,
    protect_terms,
)
from .markup import fragment_text, sanitize_fragment, transfer_markup
from .memory import (
    CatalogError,
    CatalogWriteError,
    Entry,
    Status,
    TranslationCatalog,
    checksum,
)
from .planning import is_current, ordered_targets, provenance_label
from .quality import LATIN_SCRIPT_LANGUAGES
from .scheduling import EngineScheduler
from .scripts import for_latin_page, mark_arabic, western_digits
from .segmenter import (
    Document,
    Sentence,
    parse_fragment,
    protect_kept,
    render_block,
    segment_html,
)
from .storage import atomic_write, remove_temp_files

log = logging.getLogger(__name__)
TERMS_CATALOG = "_terms"


class TranslationFailed(StopBuild):
    """The build cannot go on (strict mode, a locked memory…); the message says why."""


@dataclass
class SourceText:
    """The translatable parts of one source article."""

    key: str  # the article slug: names its catalogs
    title: Document
    content: Document
    summary: Document | None
    terms: tuple[str, ...] = ()  # category and tag names
    extra: tuple[Document, ...] = ()  # more documents sharing this catalog

    def sentences(self) -> list[Sentence]:
        """Return every distinct sentence of the article, in order."""
        seen: dict[str, Sentence] = {}
        docs = [self.title, self.content, *([self.summary] if self.summary else []), *self.extra]
        for doc in docs:
            for sentence in doc.sentences():
                seen.setdefault(sentence.html(), sentence)
        return list(seen.values())


@dataclass
class TranslatedText:
    """One article's text in one target language, with per-segment status counts."""

    title: str
    content: str
    summary: str | None
    counts: Counter = field(default_factory=Counter)
    engines: set[str] = field(default_factory=set)
    blocks: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Summarise the segments: reviewed, machine, mixed or incomplete."""
        if self.counts[Status.MISSING] or self.counts[Status.FLAGGED]:
            return "incomplete"
        machine = self.counts[Status.MACHINE] + self.counts[Status.STALE]
        if machine and self.counts[Status.REVIEWED]:
            return "mixed"
        return "machine" if machine else "reviewed"


@dataclass
class _Pending:
    """A segment to translate, and every catalog waiting for it."""

    sentence: Sentence
    catalogs: list[TranslationCatalog]
    pivot_html: str = ""


class TranslationRun:
    """Holds one build's catalogs, engine and counters; nothing outlives it."""

    def __init__(
        self,
        config: AutotranslateConfig,
        engine_factory: Callable[[], Engine],
        progress: Callable[[int, str], Callable[[int], None]] | None = None,
    ) -> None:
        self.config = config
        self.scheduler = EngineScheduler(engine_factory, config.checkpoint_segments, progress)
        self.catalogs: dict[tuple[str, str], TranslationCatalog] = {}
        self.memory: dict[str, dict[str, Entry]] = {lang: {} for lang in config.targets}
        self.totals: Counter = Counter()
        self.translated_segments = 0
        self.problems: list[str] = []
        self._term_docs: dict[str, Document] = {}
        self._glossary: Glossary | None = None
        self.flagged: list[str] = []
        # Glossary terms changed since the last build, per target; people's entries using them.
        self._glossary_changes: dict[str, set[str]] = {}
        self.glossary_review: list[str] = []
        # (key, lang) pairs whose catalog cannot be read: left untouched, not translated.
        self.skipped: dict[tuple[str, str], str] = {}
        self._unwritable: set[Path] = set()

    @property
    def glossary(self) -> Glossary:
        """Read the glossary on first use (a build with a full memory never needs it)."""
        if self._glossary is None:
            languages = (self.config.source, *self.config.targets)
            self._glossary = load_glossary(self.config.glossary, languages)
        return self._glossary

    @property
    def unavailable(self) -> dict[tuple[str, str], str]:
        """Return the directions the engine cannot run, and why."""
        return self.scheduler.unavailable

    # -- catalogs -------------------------------------------------------------
    def catalog(self, key: str, lang: str) -> TranslationCatalog:
        """Return (opening once) the catalog of ``key`` in ``lang``."""
        if (key, lang) not in self.catalogs:
            path = Path(self.config.catalog_dir) / lang / f"{key}.po"
            if self.config.engine != "pseudo":
                catalog = TranslationCatalog(path, self.config.source, lang)
            else:  # the pseudo engine's output never enters the memory
                scratch = self._written_folder() / lang / f"{key}.po"
                catalog = TranslationCatalog.for_pseudo_build(
                    path, scratch, self.config.source, lang
                )
            self.catalogs[(key, lang)] = catalog
        return self.catalogs[(key, lang)]

    def _written_folder(self) -> Path:
        """Return the folder this run writes catalogs to (never the memory for pseudo)."""
        if self.config.engine == "pseudo":
            return Path(self.config.pseudo_catalog_dir)
        return Path(self.config.catalog_dir)

    # -- the work -------------------------------------------------------------
    def translate_all(self, texts: list[SourceText]) -> dict[str, dict[str, TranslatedText]]:
        """Translate every article into every target; return key → lang → text."""
        # Checked before any work, and whether or not a segment will need the glossary.
        if self.glossary.problems and self.config.strict:
            raise TranslationFailed(
                "strict mode: the glossary has errors:\n" + "\n".join(self.glossary.problems)
            )
        self.problems.extend(self.glossary.problems)
        lock_path = Path(self.config.catalog_dir) / ".lock"
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(lock_path), timeout=self.config.lock_timeout)
            lock.acquire()
        except Timeout as error:
            raise TranslationFailed(
                f"{lock_path}: another build is writing translations in this repository; "
                f"waited {self.config.lock_timeout:.0f} s. Let it finish, then build again."
            ) from error
        except OSError:
            # A read-only folder: nothing can be written, so no writer to exclude. A build
            # with nothing new still succeeds; a write that fails says so (CatalogWriteError).
            results = self._translate_locked(texts)
        else:
            try:
                # Left by a killed build (in the folder this build writes); none is writing.
                remove_temp_files(self._written_folder())
                results = self._translate_locked(texts)
            finally:
                lock.release()
        # Saved and rendered: the section runs keep this run until the end of the build,
        # and only category and tag names are looked up again (translate_term).
        self.catalogs.clear()
        terms = {s.html() for doc in self._term_docs.values() for s in doc.sentences()}
        self.memory = {
            lang: {html: entry for html, entry in entries.items() if html in terms}
            for lang, entries in self.memory.items()
        }
        return results

    def _translate_locked(self, texts: list[SourceText]) -> dict[str, dict[str, TranslatedText]]:
        targets = ordered_targets(self.config.targets, self.config.pivot)
        self._open_catalogs([text.key for text in texts] + [TERMS_CATALOG], targets)
        self._glossary_changes = self._changed_terms(targets)
        for lang in targets:
            self._fill_language(texts, lang)
        for text in texts:
            for lang in self._readable(text.key, targets):
                catalog = self.catalog(text.key, lang)
                # The segments the article has now; every other entry is retired.
                catalog.retire_unused(sentence.html() for sentence in text.sentences())
                self._save(catalog)
        self._fill_terms(texts, targets)
        self._record_glossary()
        return {
            text.key: {lang: self._render(text, lang) for lang in self._readable(text.key, targets)}
            for text in texts
        }

    # -- glossary changes -----------------------------------------------------
    def _applied_path(self) -> Path:
        return self._written_folder() / APPLIED_NAME  # describes the catalogs written

    def _changed_terms(self, targets: list[str]) -> dict[str, set[str]]:
        """Return, per target, the terms changed since the glossary the last build applied."""
        glossary, applied = self.config.glossary, self._applied_path()
        if glossary is None or not applied.exists():
            return {}
        current = glossary.read_bytes() if glossary.exists() else b""
        if applied.read_bytes() == current:
            return {}  # the usual case: nothing to compare term by term
        try:
            # The copy may predate a target added since: its column is then simply absent.
            languages = (self.config.source, *self.config.targets)
            old = load_glossary(applied, languages, complete=False)
        except GlossaryError as error:
            self.problems.append(f"{error} (it is rewritten from the glossary after this build)")
            return {}
        source = self.config.source
        return {lang: changed_terms(old, self.glossary, source, lang) for lang in targets}

    def _record_glossary(self) -> None:
        """Keep a copy of the glossary this build applied, to compare the next one with."""
        glossary, applied = self.config.glossary, self._applied_path()
        if glossary is None or not (glossary.exists() or applied.exists()):
            return
        header = "\t".join([self.config.source, *self.config.targets, NOTE])
        data = glossary.read_bytes() if glossary.exists() else header.encode() + b"\n"
        if applied.exists() and applied.read_bytes() == data:
            return
        try:
            atomic_write(applied, data)
        except OSError as error:
            self.problems.append(f"{applied}: cannot be written ({error.strerror})")

    def _glossary_outdated(self, catalog, lang: str, source_html: str, entry) -> bool:
        """Tell whether a machine entry uses a changed glossary term; note it on a person's."""
        changed = self._glossary_changes.get(lang)
        if not changed or entry is None:
            return False
        terms = mentioned_terms(source_html, changed, self.config.source)
        if not terms:
            return False
        if entry.status is Status.REVIEWED:
            catalog.mark_glossary_changed(source_html, terms)
            self.glossary_review.append(f"{catalog.path}: {source_html[:60]}")
            return False
        return entry.status in (Status.MACHINE, Status.FLAGGED)

    def _open_catalogs(self, keys: list[str], targets: list[str]) -> None:
        """Read every catalog first: a corrupt one fails a strict build, else is set aside."""
        for key in keys:
            for lang in targets:
                try:
                    self.problems.extend(self.catalog(key, lang).kept_apart())
                except CatalogError as error:
                    if self.config.strict:
                        raise
                    self.skipped[(key, lang)] = str(error)

    def _save(self, catalog: TranslationCatalog) -> None:
        """Save a catalog; a refused write is reported (once per folder) and the build goes on."""
        try:
            catalog.save()
        except CatalogWriteError as error:
            if catalog.path.parent not in self._unwritable:
                self._unwritable.add(catalog.path.parent)
                self.problems.append(str(error))

    def _readable(self, key: str, targets: list[str]) -> list[str]:
        """Return the targets whose catalog of ``key`` could be read."""
        return [lang for lang in targets if (key, lang) not in self.skipped]

    def _fill_language(self, texts: list[SourceText], lang: str) -> None:
        """Look every segment up in memory and translate what is missing into ``lang``."""
        chain = self.config.direction_plan(lang)
        via = chain[-2]
        pending: dict[str, _Pending] = {}
        for text in texts:
            if (text.key, lang) in self.skipped:
                continue
            catalog = self.catalog(text.key, lang)
            for sentence in text.sentences():
                source_html = sentence.html()
                entry = catalog.lookup(source_html)
                pivot_html = self._pivot_text(source_html) if len(chain) > 2 else ""
                outdated = self._glossary_outdated(catalog, lang, source_html, entry)
                if not outdated and is_current(entry, pivot_html, len(chain) > 2):
                    self.memory[lang][source_html] = entry
                    continue
                job = pending.setdefault(source_html, _Pending(sentence, [], pivot_html))
                job.catalogs.append(catalog)
                if entry is not None and entry.text:
                    self.memory[lang][source_html] = entry  # shown until replaced
        if pending and self.scheduler.usable(via, lang):
            self._translate_pending(list(pending.items()), via, lang, len(chain) > 2)
        for source_html, job in pending.items():
            for catalog in job.catalogs:
                if catalog.lookup(source_html) is None:
                    catalog.store_missing(source_html)

    def _pivot_text(self, source_html: str) -> str:
        """Return the usable pivot translation of a segment ('' if none or flagged)."""
        entry = self.memory[self.config.pivot].get(source_html)
        return entry.text if entry and entry.status is not Status.FLAGGED else ""

    def _translate_pending(self, pending, via: str, lang: str, pivoted: bool) -> None:
        """Send pending segments to the engine in checkpoints, storing each result."""
        jobs = [(html, job) for html, job in pending if not pivoted or job.pivot_html]
        if not jobs:
            return
        terms = self.glossary.matcher(via, lang)  # built once per direction
        inputs: list[Sentence] = []
        for _, job in jobs:
            sentence = job.sentence
            if pivoted:  # from the pivot text as shown: only the source's own markup
                pivot_html, _ = sanitize_fragment(job.pivot_html, sentence)
                sentence = parse_fragment(pivot_html) or parse_fragment(fragment_text(pivot_html))
                # What the source kept as written (COP22, a hashtag) is kept in this step too.
                sentence = protect_kept(sentence, job.sentence.kept_texts())
            inputs.append(protect_terms(sentence, terms, via))
        provenance = self.scheduler.provenance(via, lang)
        # One character for one: the engine's alignment still fits the source text.
        texts = [self._engine_text(sentence, lang) for sentence in inputs]
        for chunk, results, problems in self.scheduler.checkpoints(texts, via, lang):
            touched: set[int] = set()
            for i, result, problem in zip(chunk, results, problems, strict=True):
                source_html, job = jobs[i]
                if result is None:
                    self.problems.append(
                        f"{via}→{lang}: engine failed on {source_html[:60]!r}: {problem}"
                    )
                    continue
                translated = transfer_markup(inputs[i], result)
                pivot_entry = self.memory[self.config.pivot].get(source_html) if pivoted else None
                label = provenance_label(
                    provenance.label(), pivot_entry, self.config.pivot if pivoted else None
                )
                pivot_sum = checksum(job.pivot_html) if pivoted else ""
                if problem:
                    self.flagged.append(f"{lang}: {problem}: {source_html[:60]}")
                for catalog in job.catalogs:
                    catalog.store_machine(
                        source_html,
                        translated,
                        label,
                        pivot_checksum=pivot_sum,
                        flag_reason=problem,
                    )
                    self.memory[lang][source_html] = catalog.lookup(source_html)
                    touched.add(id(catalog))
                self.translated_segments += 1
            for catalog in self.catalogs.values():
                if id(catalog) in touched:
                    self._save(catalog)

    @staticmethod
    def _engine_text(sentence: Sentence, lang: str) -> str:
        """Return the text sent to the engine: Latin-script targets get 0–9 digits."""
        text = sentence.source_text()
        return western_digits(text) if lang in LATIN_SCRIPT_LANGUAGES else text

    def _fill_terms(self, texts: list[SourceText], targets: list[str]) -> None:
        """Translate category and tag names through the site-wide terms catalog."""
        names = sorted({name for text in texts for name in text.terms})
        self._term_docs = {name: self._segment(name) for name in names}
        empty = Document()
        terms = SourceText(
            TERMS_CATALOG, empty, empty, None,
            extra=tuple(self._term_docs.values()),
        )  # fmt: skip
        for lang in self._readable(TERMS_CATALOG, targets):
            self._fill_language([terms], lang)
            catalog = self.catalog(TERMS_CATALOG, lang)
            catalog.retire_unused(sentence.html() for sentence in terms.sentences())
            self._save(catalog)

    def _segment(self, source_html: str) -> Document:
        """Segment source-language HTML (Latin words are kept when the source is not Latin)."""
        return segment_html(source_html, keep_latin=keeps_latin(self.config.source))

    def translate_term(self, name: str, lang: str) -> str:
        """Return the translated category or tag name as escaped text (the source's if none)."""
        doc = self._term_docs.get(name) or self._segment(name)
        return fragment_text(doc.render(lambda s: self._shown(s, lang, None)))

    # -- rendering ------------------------------------------------------------
    def _shown(self, sentence: Sentence, lang: str, tally: TranslatedText | None) -> str:
        """Return the HTML shown for one sentence, counting its status."""
        source_html = sentence.html()
        latin_page = lang in LATIN_SCRIPT_LANGUAGES
        if not sentence.needs_translation:  # only hashtags, addresses, Latin words
            return for_latin_page(source_html) if latin_page else source_html
        entry = self.memory[lang].get(source_html)
        status = Status.MISSING if entry is None else entry.status
        if entry is not None and entry.text and status is not Status.FLAGGED:
            # Whatever its comments say (a checksum can be written by hand), a
            # catalog's text is untrusted: only the source's own markup goes live.
            text, removed = sanitize_fragment(entry.text, sentence)
            if removed:
                self.problems.append(
                    f"{lang} translation of {source_html[:60]!r}: markup not in the source "
                    f"was shown as text: {' '.join(removed)[:120]}"
                )
            text = for_latin_page(text) if latin_page else text
        else:
            # No translation: the original stays readable, marked as what it is.
            text = mark_arabic(source_html) if latin_page else source_html
            status = Status.MISSING if status is not Status.FLAGGED else status
        if tally is not None:
            tally.counts[status] += 1
            if entry is not None and entry.provenance and status is not Status.REVIEWED:
                tally.engines.add(entry.provenance)
        return text

    def _render(self, text: SourceText, lang: str) -> TranslatedText:
        """Assemble the translated title, content and summary of one article."""
        result = TranslatedText("", "", None)
        result.title = fragment_text(text.title.render(lambda s: self._shown(s, lang, result)))
        result.content = text.content.render(lambda s: self._shown(s, lang, result))
        result.blocks = [
            render_block(block, lambda s: self._shown(s, lang, None))
            for block in text.content.blocks()
        ]
        if text.summary is not None:
            result.summary = text.summary.render(lambda s: self._shown(s, lang, None))
        self.totals.update(result.counts)
        return result

    def summary_line(self) -> str:
        """Return the one-line summary printed at the end of the build."""
        total = sum(self.totals.values())
        parts = [f"{self.totals[s]} {s.value}" for s in Status if self.totals[s]]
        review = (
            f"; glossary changed: {len(self.glossary_review)} reviewed translations to look at "
            "(invoke translations lists them)"
            if self.glossary_review
            else ""
        )
        return (
            f"autotranslate: {total} segments shown ({', '.join(parts) or 'none'}); "
            f"{self.translated_segments} sent to the engine{review}"
        )


def keeps_latin(source: str) -> bool:
    """Tell whether Latin-script words in ``source`` text are kept as written (COP22, ONU)."""
    return source not in LATIN_SCRIPT_LANGUAGES


def source_text_for(
    key: str,
    title: str,
    content: str,
    summary: str | None,
    terms: Iterable[str],
    source: str = "ar",
) -> SourceText:
    """Segment one article's title, body and summary."""
    keep = keeps_latin(source)
    return SourceText(
        key=key,
        title=segment_html(title, keep_latin=keep),
        content=segment_html(content, keep_latin=keep),
        summary=segment_html(summary, keep_latin=keep) if summary else None,
        terms=tuple(terms),
    )
