"""Build the demo site in a subprocess and read its pages the way a crawler would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("ar", "fr", "en")
PREFIX = {"ar": "", "fr": "fr/", "en": "en/"}
SEED_SLUG = "rabat-oicc-14th-general-conference"


def isolated_env(home: Path) -> dict[str, str]:
    """Return an environment with a throw-away HOME and the offline pseudo engine."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        ARGOS_PACKAGES_DIR=str(home / "argos-packages"),
        AUTOTRANSLATE_ENGINE="pseudo",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT / "plugins"), env.get("PYTHONPATH")) if p),
    )
    return env


def write_settings(work: Path, content: Path, extra: str = "") -> Path:
    """Write a settings file that reuses pelicanconf.py on a copy of the content."""
    settings = work / "testconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(content)!r}\n"
        f"CACHE_PATH = {str(work / 'cache')!r}\n"
        f"THEME = {str(ROOT / 'themes' / 'atlas')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n" + extra,
        encoding="utf-8",
    )
    return settings


def build(work: Path, content: Path, extra_settings: str = "") -> Path:
    """Build every section of ``content`` into ``work/output`` in a fresh interpreter.

    A subprocess keeps Pelican's process-wide signal registry clean of
    receivers other tests may have connected.
    """
    settings = write_settings(work, content, extra_settings)
    output = work / "output"
    result = subprocess.run(
        [sys.executable, "-m", "trilingual", "build", "-q", "-s", str(settings), "-o", str(output)],
        cwd=ROOT,
        env=isolated_env(work / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"site build failed:\n{result.stdout}\n{result.stderr}")
    return output


def build_demo_site(work: Path) -> Path:
    """Copy the demo content (articles and translation memory) and build it."""
    content = work / "content"
    shutil.copytree(
        ROOT / "content", content, ignore=shutil.ignore_patterns(".lock", "__pycache__")
    )
    return build(work, content)


@dataclass
class Page:
    """What one built HTML page declares in its markup."""

    path: Path
    lang: str = ""
    dir: str = ""
    canonical: str = ""
    alternates: dict[str, str] = field(default_factory=dict)
    switcher: dict[str, str] = field(default_factory=dict)
    feeds: list[tuple[str, str]] = field(default_factory=list)
    noindex: bool = False
    h1: str = ""


class _PageParser(HTMLParser):
    """Fill a Page from a document's tags."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self._in_switcher = False
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").split()
        if tag == "html":
            self.page.lang, self.page.dir = a.get("lang", ""), a.get("dir", "")
        elif tag == "link" and "canonical" in rel:
            self.page.canonical = a["href"]
        elif tag == "link" and "alternate" in rel and "hreflang" in a:
            if a["hreflang"] in self.page.alternates:
                raise AssertionError(f"{self.page.path}: hreflang {a['hreflang']} twice")
            self.page.alternates[a["hreflang"]] = a["href"]
        elif tag == "link" and "alternate" in rel and "type" in a:
            self.page.feeds.append((a["type"], a["href"]))
        elif tag == "meta" and a.get("name") == "robots":
            self.page.noindex = "noindex" in a.get("content", "")
        elif tag == "nav" and "lang-switch" in a.get("class", ""):
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.page.switcher[a["lang"]] = a["href"]
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.page.h1 += data


def read_page(path: Path) -> Page:
    """Parse one built page."""
    page = Page(path)
    _PageParser(page).feed(path.read_text(encoding="utf-8"))
    return page


def section_of(output: Path, path: Path) -> str:
    """Return the language whose section holds ``path`` (Arabic at the root)."""
    first = path.relative_to(output).parts[0]
    return first if first in ("fr", "en") else "ar"


def url_to_file(output: Path, url: str) -> Path:
    """Map a root-relative site URL (development build) to the file serving it."""
    assert url.startswith("/"), f"expected a root-relative URL, got {url!r}"
    target = output / url.lstrip("/")
    return target / "index.html" if url.endswith("/") else target


_LINK = re.compile(r'\b(?:href|src)="([^"#?]*)[^"]*"')


def broken_links(output: Path) -> tuple[list[str], int]:
    """Return ("page -> url" for every on-site href/src with no file behind it, links checked)."""
    broken, checked = [], 0
    for path in sorted(output.rglob("*.html")):
        for url in _LINK.findall(path.read_text(encoding="utf-8")):
            if not url or re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("//"):
                continue  # external (http:, mailto:…) or a bare fragment
            target = (
                url_to_file(output, url) if url.startswith("/") else (path.parent / url).resolve()
            )
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{path.relative_to(output)} -> {url}")
    return broken, checked
