"""A Pelican Writer that renders only the pages whose inputs changed since the last build.

Pelican asks for a writer through its ``get_writer`` signal. Every page and feed it
is asked to write gets a key: the section's settings, the plugins' code and the
packages' versions, the template with every template it extends, includes or
imports, and the digest of every context value those templates name (the article
and its translations, the listing's page of articles, the navigation's pages…).
When the key and the file on disk are those the manifest recorded, the page is
neither rendered nor written.

Each page's record also holds what the sitemaps say of it (sitemap_facts.py),
taken while the page renders; a kept page keeps the facts of its previous record.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import meta
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from autotranslate.contract_file import CONTRACT_SETTING

from .fingerprint import Fingerprinter, stable_repr
from .manifest import OutputRecord, SitemapFacts, load_manifest, record_file
from .sitemap_facts import PageFacts

logger = logging.getLogger(__name__)

# Set by the section driver: {"root": output folder, "manifest": file, "full": bool}.
PLAN_SETTING = "TRILINGUAL_INCREMENTAL"
# True: render skipped pages anyway and report any that would have changed (tests).
CHECK_SETTING = "TRILINGUAL_CHECK_SKIPS"
# Bumped when what a key covers or what a record holds changes: every page is then
# made again.
KEY_VERSION = "2"
# Packages whose code shapes a page (templates, Markdown, dates, feeds).
PACKAGES = ("pelican", "jinja2", "markupsafe", "babel", "feedgenerator", "markdown", "pygments")
# Settings that are not inputs of a page: where this build's plan and contract are
# (a page's own translations are keyed through its context), how the build checks
# itself and how many processes it uses.
UNKEYED_SETTINGS = frozenset(
    {PLAN_SETTING, CONTRACT_SETTING, CHECK_SETTING, "TRILINGUAL_SECTION_PROCESSES"}
)


@dataclass(frozen=True)
class BuildPlan:
    """What the driver tells the section runs: the site root, the manifest, full or not."""

    root: Path
    manifest: Path
    full: bool = False

    def setting(self) -> dict[str, Any]:
        """Return the plan as a plain settings value."""
        return {"root": str(self.root), "manifest": str(self.manifest), "full": self.full}

    def previous(self) -> Mapping[str, OutputRecord]:
        """Return what the last build made (nothing for a full build)."""
        if self.full:
            return {}
        manifest, _ = load_manifest(self.manifest, self.root)
        return manifest.files if manifest else {}


@dataclass
class SectionOutputs:
    """The files one section made (by path relative to the site root) and what it did."""

    files: dict[str, OutputRecord] = field(default_factory=dict)
    rendered: int = 0
    written: int = 0
    kept: int = 0
    # (kind, slug, language) → (URL, title) of each content, for redirects.py.
    targets: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)


# What each section run of this process made, by language, until the driver takes it.
_MADE: dict[str, SectionOutputs] = {}


def build_plan(settings: Mapping[str, Any]) -> BuildPlan | None:
    """Return the driver's plan for this run, or None for a run outside the driver."""
    plan = settings.get(PLAN_SETTING)
    if not plan:
        return None
    return BuildPlan(Path(plan["root"]), Path(plan["manifest"]), bool(plan["full"]))


def section_outputs(settings: Mapping[str, Any]) -> SectionOutputs:
    """Return (creating it) the record of what this run's section made."""
    return _MADE.setdefault(settings["DEFAULT_LANG"], SectionOutputs())


def take_section_outputs(language: str) -> SectionOutputs | None:
    """Return what the section of ``language`` made in this process, and forget it."""
    return _MADE.pop(language, None)


def incremental_writer(pelican: Any) -> type[Writer] | None:
    """Offer Pelican the incremental writer when the section driver runs the build."""
    return IncrementalWriter if build_plan(pelican.settings) is not None else None


class IncrementalWriter(Writer):
    """Render and write a page only when its key or its file changed since the last build."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        plan = build_plan(self.settings)
        self.root = Path(plan.root)
        self.previous = plan.previous()
        self.outputs = section_outputs(self.settings)
        self.section = self.settings["DEFAULT_LANG"]
        self.check = bool(self.settings.get(CHECK_SETTING, False))
        self.fingerprints = Fingerprinter()
        self.templates = TemplateInputs()
        self.run_key = run_key(self.settings)
        # Output path → the key of what is about to be written there.
        self._pending: dict[str, tuple[str, bool]] = {}
        self.page_facts = PageFacts(self.settings)
        # Output path → the sitemap facts of the page just rendered for it.
        self._facts: dict[str, SitemapFacts | None] = {}

    # -- pages -------------------------------------------------------------------------
    def write_file(self, name, template, context, *args, **kwargs):
        """Write like Pelican does, rendering only the pages whose key changed."""
        if not name:
            return None
        # Pelican renders each page (each page of a listing) through template.render():
        # the keyed template decides there, knowing the page's whole context.
        return super().write_file(name, _KeyedTemplate(self, template), context, *args, **kwargs)

    def page_key(self, template: Any, localcontext: Mapping[str, Any]) -> str:
        """Return the key of one page: run, template sources and the values they name."""
        sources, names = self.templates.of(template)
        hasher = _hasher(self.run_key, "page", str(localcontext.get("output_file")), sources)
        memo: dict[int, tuple[Any, str]] = {}
        for name in sorted(localcontext if names is None else names):
            if name not in localcontext:
                continue  # a global of the environment (settings and code are keyed)
            value = localcontext[name]
            known = memo.get(id(value))
            digest = known[1] if known else self.fingerprints.digest(value)
            memo[id(value)] = (value, digest)
            _update(hasher, name, digest)
        return hasher.hexdigest()

    def decide(self, path: str, key: str) -> bool:
        """Note the key of ``path``; return True if the file on disk is already that page."""
        record = self.previous.get(self.relative(path))
        keep = record is not None and record.key == key and record.matches(Path(path))
        self._pending[path] = (key, keep)
        return keep

    # -- feeds -------------------------------------------------------------------------
    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        """Write a feed like Pelican does, unless its key and file are unchanged."""
        if not path:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        complete_path = sanitised_join(self.output_path, path)
        shown = elements[: self.settings["FEED_MAX_ITEMS"]]
        seen = {name: context.get(name) for name in FEED_CONTEXT}
        hasher = _hasher(self.run_key, "feed", path, str(url), feed_type, str(feed_title))
        _update(hasher, str(override_output), self.fingerprints.digest(seen))
        _update(hasher, self.fingerprints.digest(list(shown)))
        key = hasher.hexdigest()
        if self.decide(complete_path, key) and not self.check:
            if self._claim(complete_path, override_output):
                self._keep(complete_path)
            return None
        self.outputs.rendered += not self._pending[complete_path][1]
        return super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )

    # -- files -------------------------------------------------------------------------
    def _open_w(self, filename, encoding, override=False):
        """Return where Pelican writes ``filename``: the file, or nowhere if kept."""
        key, keep = self._pending.pop(filename, (None, False))
        if not self._claim(filename, override):
            self._facts.pop(filename, None)  # the first write's record stands
            return io.StringIO()  # Pelican keeps the first of two writes (override)
        if keep and not self.check:
            self._keep(filename)
            return io.StringIO()
        return _OutputFile(self, filename, encoding, key, checking=keep)

    def _claim(self, filename: str, override: bool) -> bool:
        """Apply Pelican's rule for a second write to one file; False: write nowhere."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return False
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True

    def _keep(self, filename: str) -> None:
        """Record a file left as the previous build wrote it."""
        name = self.relative(filename)
        self.outputs.files[name] = self.previous[name]
        self.outputs.kept += 1

    def record(self, filename: str, key: str | None, *, written: bool) -> None:
        """Record a file this section made (``key`` None: never skip it next time)."""
        facts = self._facts.pop(filename, None)
        self.outputs.files[self.relative(filename)] = record_file(
            Path(filename), key or "", self.section, sitemap=facts
        )
        if written:
            self.outputs.written += 1
        else:
            self.outputs.kept += 1

    def note_facts(self, path: str, localcontext: Mapping[str, Any], chosen: Mapping) -> None:
        """Keep the sitemap facts of the page just rendered for ``path`` for its record."""
        self._facts[path] = self.page_facts.of(localcontext, chosen)

    def relative(self, filename: str | Path) -> str:
        """Return ``filename`` relative to the site root, with / separators."""
        return Path(os.path.abspath(filename)).relative_to(self.root).as_posix()


# What a feed reads from the context besides its items (Pelican's writer and our
# feed_generated receiver).
FEED_CONTEXT = ("SITENAME", "SITESUBTITLE", "SITEURL", "FEED_DOMAIN", "DEFAULT_LANG")


class _KeyedTemplate:
    """A template whose render() is skipped when the page's key has not changed."""

    def __init__(self, writer: IncrementalWriter, template: Any) -> None:
        self._writer = writer
        self._template = template

    def __getattr__(self, name: str) -> Any:
        return getattr(self._template, name)

    def render(self, localcontext: Mapping[str, Any]) -> str:
        """Render the page, or return nothing when the file already holds it."""
        writer = self._writer
        key = writer.page_key(self._template, localcontext)
        path = sanitised_join(writer.output_path, localcontext["output_file"])
        keep = writer.decide(path, key)
        if keep and not writer.check:
            return ""
        if not keep:  # a check of a kept page does not count
            writer.outputs.rendered += 1
            logger.debug("trilingual: rendering %s (its inputs changed)", path)
        # Template.render(), keeping the context: the template's own top-level
        # variables (page_versions, noindex) are what the page's head shows.
        template = self._template
        context = template.new_context(dict(localcontext))
        try:
            text = template.environment.concat(template.root_render_func(context))
        except Exception:
            template.environment.handle_exception()
        writer.note_facts(path, localcontext, context.vars)
        return text


class _OutputFile(io.StringIO):
    """A text file written whole at close, atomically, and only if its bytes change.

    A StringIO, so that writers checking for a text stream (the feeds' XML) see one.
    """

    def __init__(
        self, writer: IncrementalWriter, filename: str, encoding: str, key: str | None,
        checking: bool,
    ) -> None:  # fmt: skip
        super().__init__()
        self._writer = writer
        self._filename = filename
        self._encoding = encoding
        self._key = key
        self._checking = checking

    def __exit__(self, kind, error, trace) -> None:
        text = self.getvalue()
        self.close()
        if kind is not None:
            return
        path = Path(self._filename)
        data = text.encode(self._encoding)
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if self._checking and not same:
            logger.error(
                "trilingual: %s changed although its key did not: the incremental build "
                "would have kept the old page (a missing input in writer.py)",
                path,
            )
        if not same:
            _write_atomically(path, data)
        self._writer.record(self._filename, self._key, written=not same)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step (a server never sees half a page)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # os.open with 0o666 lets the umask give the mode a plain open() would.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class TemplateInputs:
    """For each template: the digest of its sources and the names its pages read."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str], tuple[Any, str, frozenset[str] | None]] = {}

    def of(self, template: Any) -> tuple[str, frozenset[str] | None]:
        """Return (sources digest, context names read; None: any name may be read)."""
        env = template.environment
        known = self._known.get((id(env), template.name))
        if known is not None and known[0] is env:
            return known[1], known[2]
        hasher = hashlib.blake2b(digest_size=16)
        names: set[str] | None = set()
        waiting, seen = [template.name], set()
        while waiting:
            name = waiting.pop()
            if name in seen:
                continue
            seen.add(name)
            source, filename, _ = env.loader.get_source(env, name)
            _update(hasher, name, source)
            tree = env.parse(source, name, filename)
            if names is not None:
                names |= meta.find_undeclared_variables(tree)
            for referenced in meta.find_referenced_templates(tree):
                if referenced is None:
                    # A template named at render time: any template, any name.
                    names = None
                    waiting.extend(env.list_templates())
                else:
                    waiting.append(referenced)
        frozen = None if names is None else frozenset(names)
        self._known[(id(env), template.name)] = (env, hasher.hexdigest(), frozen)
        return hasher.hexdigest(), frozen


def run_key(settings: Mapping[str, Any]) -> str:
    """Return the key every page of a run shares: settings, code, packages, ui strings."""
    hasher = _hasher(KEY_VERSION, sys.version)
    for package in PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        _update(hasher, package, version)
    keyed = {k: v for k, v in settings.items() if k not in UNKEYED_SETTINGS}
    _update(hasher, "settings", _settings_digest(keyed))
    for folder in _plugin_folders(settings):
        _update_with_files(hasher, folder, "*.py")
    # The theme's interface strings (gettext catalogs) are read by every template.
    _update_with_files(hasher, Path(settings.get("THEME", "")) / "translations", "*")
    return hasher.hexdigest()


def _settings_digest(settings: Mapping[str, Any]) -> str:
    """Digest the settings; an object's address in its repr does not count."""
    hasher = hashlib.blake2b(digest_size=16)
    for name in sorted(settings):
        _update(hasher, name, stable_repr(settings[name]))
    return hasher.hexdigest()


def _plugin_folders(settings: Mapping[str, Any]) -> list[Path]:
    """Return the folders of the loaded plugins' code (their helpers render pages)."""
    folders = []
    for name in settings.get("PLUGINS") or ():
        module = sys.modules.get(str(name))
        source = getattr(module, "__file__", None)
        if source:
            folders.append(Path(source).parent)
    return folders


def _update_with_files(hasher: Any, folder: Path, pattern: str) -> None:
    """Feed the names and bytes of the files matching ``pattern`` under ``folder``."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        _update(hasher, path.relative_to(folder).as_posix())
        hasher.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())


def _hasher(*parts: str) -> Any:
    """Return a new key hasher fed with ``parts``."""
    hasher = hashlib.blake2b(digest_size=16)
    _update(hasher, *parts)
    return hasher


def _update(hasher: Any, *parts: str) -> None:
    """Feed length-prefixed parts (no two sequences of parts give the same bytes)."""
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)


def merged_outputs(sections: Iterable[SectionOutputs]) -> SectionOutputs:
    """Return the union of the sections' records and counts."""
    total = SectionOutputs()
    for outputs in sections:
        total.files.update(outputs.files)
        total.targets.update(outputs.targets)
        total.rendered += outputs.rendered
        total.written += outputs.written
        total.kept += outputs.kept
    return total
