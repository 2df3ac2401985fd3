"""Run the real site build (every language section) on a throw-away copy of the content."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from tests.conftest import ROOT
from trilingual.sections import SiteBuild, build_site


@dataclass
class SiteCopy:
    """A content folder and output folder in a temp dir, built with the project's settings."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def pseudo_catalogs(self) -> Path:
        """Where pseudo-engine builds keep their catalogs (never the translation memory)."""
        return self.root / ".cache" / "pseudo-translations" / "content"

    def catalog(self, lang: str, slug: str, *, pseudo: bool = False) -> Path:
        """Return the path of an article's catalog for ``lang`` (a pseudo build's with pseudo)."""
        return (
            (self.pseudo_catalogs if pseudo else self.content / "translations")
            / lang
            / f"{slug}.po"
        )

    def add_article(self, name: str, text: str) -> Path:
        """Write a Markdown article into the copy's content/articles."""
        path = self.content / "articles" / name
        path.write_text(text, encoding="utf-8")
        return path

    def build(
        self, conf: str = "pelicanconf.py", *, offline_memory: bool = False, **settings
    ) -> SiteBuild:
        """Build the whole site with ``conf``; keyword arguments override Pelican settings."""
        overrides = {
            "PATH": str(self.content),
            "CACHE_PATH": str(self.root / "cache"),
            "THEME": str(ROOT / "themes" / "atlas"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            **settings,
        }
        return build_site(
            str(ROOT / conf), self.output, overrides=overrides, offline_memory=offline_memory
        )

    def post_edit(
        self, lang: str, slug: str, source: str, text: str, *, pseudo: bool = False
    ) -> None:
        """Correct one msgstr the way a PO editor does: read, change, write the file."""
        path = self.catalog(lang, slug, pseudo=pseudo)
        with path.open("rb") as handle:
            catalog = read_po(handle)
        catalog.get(source).string = text
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)

    def hand_edit(
        self, lang: str, slug: str, source: str, text: str, *, pseudo: bool = False
    ) -> str:
        """Replace one msgstr in a text editor's way (the rest of the file as it was).

        Returns the machine translation that was replaced.
        """
        path = self.catalog(lang, slug, pseudo=pseudo)
        content = path.read_text(encoding="utf-8")
        found = re.search(f'msgid "{re.escape(source)}"\nmsgstr "([^"]*)"', content)
        assert found, f"{path}: no entry for {source!r}"
        machine = found.group(1)
        path.write_text(content.replace(f'msgstr "{machine}"', f'msgstr "{text}"'), "utf-8")
        return machine

    def page(self, lang: str, slug: str, year: str) -> str:
        """Return the HTML of one article page in one language section."""
        prefix = "" if lang == "ar" else f"{lang}/"
        return (self.output / f"{prefix}{year}/{slug}.html").read_text(encoding="utf-8")


def copy_site(tmp_path: Path, *, with_demo: bool = True, with_memory: bool = True) -> SiteCopy:
    """Return a SiteCopy holding the demo articles (and their catalogs) or nothing."""
    site = SiteCopy(tmp_path / "site")
    (site.content / "articles").mkdir(parents=True)
    if with_demo:
        for article in (ROOT / "content" / "articles").glob("*.md"):
            shutil.copy(article, site.content / "articles" / article.name)
        if (ROOT / "content" / "images").is_dir():  # the demo articles' pictures
            shutil.copytree(ROOT / "content" / "images", site.content / "images")
    if with_memory and (ROOT / "content" / "translations").is_dir():
        shutil.copytree(ROOT / "content" / "translations", site.content / "translations",
                        ignore=shutil.ignore_patterns(".lock"))  # fmt: skip
    glossary = ROOT / "content" / "glossary.tsv"
    if glossary.exists():
        shutil.copy(glossary, site.content / "glossary.tsv")
    return site
