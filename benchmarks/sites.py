"""Prepare the two sites a rebuild is timed on: ours (plugin + memory) and plain Pelican."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.archive import (
    ARCHIVE_DAYS,
    FIRST_DATE,
    ArticleWriter,
    load_seed,
    translated_copy,
    write_archive,
)

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Site:
    """One site folder: content, cache and output, and its Pelican overrides."""

    root: Path
    plugins: tuple[str, ...]

    @property
    def articles(self) -> Path:
        return self.root / "content" / "articles"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def overrides(self) -> dict[str, Any]:
        """Return the settings build_site gets, as the test helper gives them."""
        return {
            "PATH": str(self.root / "content"),
            "CACHE_PATH": str(self.root / "cache"),
            "THEME": str(ROOT / "themes" / "atlas"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "PLUGINS": list(self.plugins),
            # Pagination, feeds and archives as pelicanconf.py has them (the site a reader
            # gets, and what largest_page_links measures); until 2026-12-04 every index
            # was one unpaginated page, so earlier figures rendered fewer pages.
        }


def prepare_sites(work: Path, count: int) -> tuple[Site, Site, list[Path]]:
    """Write a fresh archive of ``count`` articles for both sites; return (ours, plain, paths)."""
    base = work / f"site-{count}"
    if base.exists():
        shutil.rmtree(base)
    ours = Site(base / "ours", ("autotranslate", "trilingual"))
    plain = Site(base / "plain", ("trilingual",))
    paths = write_archive(ours.articles, count)
    glossary = ROOT / "content" / "glossary.tsv"
    if glossary.exists():
        shutil.copy(glossary, ours.root / "content" / "glossary.tsv")
    plain.articles.mkdir(parents=True)
    for path in paths:
        mirror_article(plain, path)
    return ours, plain, paths


def mirror_article(plain: Site, path: Path) -> None:
    """Give plain Pelican ours' article at ``path`` as it is now, with its fr and en copies."""
    text = path.read_text(encoding="utf-8")
    (plain.articles / path.name).write_text(text, encoding="utf-8")
    for lang in LANGS:
        name = path.name.replace(".md", f"-{lang}.md")
        (plain.articles / name).write_text(translated_copy(text, lang), encoding="utf-8")


def add_article(site: Site, index: int) -> tuple[Path, str]:
    """Write a new article number ``index``, newer than every other; return (path, Markdown).

    Newest, as a newsroom publishes: it enters the first page of every list it is in,
    so every page of those paginated lists shifts by one.
    """
    _, text = ArticleWriter(load_seed(), seed=5000 + index).article(index)
    date = FIRST_DATE + timedelta(days=ARCHIVE_DAYS + 1, minutes=index)
    text = re.sub(r"(?m)^Date: .*$", f"Date: {date:%Y-%m-%d %H:%M}", text, count=1)
    path = site.articles / f"{date:%Y-%m-%d}-news-{index:05d}.md"
    path.write_text(text, encoding="utf-8")
    return path, text


def _relabel(match: re.Match) -> str:
    """Name another engine than the pseudo one in a provenance comment line."""
    return re.sub(r"\bpseudo ", "benchmark-fill ", match.group(1))


def adopt_pseudo_catalogs(site: Site) -> int:
    """Fill the site's memory with its pseudo build's catalogs, as if a real engine wrote them.

    A pseudo build never writes the memory (it keeps its output in
    .cache/pseudo-translations, and pseudo entries in the memory count as missing); the
    warm rebuilds are timed on a full memory, which the pseudo engine fills instantly once
    its entries are labelled as another engine's. Returns the number of catalogs copied.
    """
    scratch = site.root / ".cache" / "pseudo-translations" / "content"
    memory = site.root / "content" / "translations"
    copied = 0
    for path in sorted(scratch.rglob("*.po")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(#\. autotranslate: engine = .*)$", _relabel, text)
        target = memory / path.relative_to(scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        copied += 1
    return copied


def edit_one_paragraph(path: Path, seed: int = 99) -> tuple[str, str]:
    """Replace the last paragraph of an article with new text; return (old, new) Markdown."""
    old = path.read_text(encoding="utf-8")
    head, *parts = old.rstrip("\n").split("\n\n")
    parts[-1] = ArticleWriter(load_seed(), seed=seed).paragraph()
    new = "\n\n".join([head, *parts]) + "\n"
    path.write_text(new, encoding="utf-8")
    return old, new
