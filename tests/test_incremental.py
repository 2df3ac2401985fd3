"""Incremental builds: a rebuild makes only what a change touches, and equals a fresh build."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pelicanconf import SHARING
from tests.conftest import ROOT
from tests.support.builds import SiteCopy
from tests.support.newsroom import BUDGET, write_newsroom
from trilingual.manifest import MANIFEST_NAME, MANIFEST_VERSION
from trilingual.sections import build_site

SEED = "2016/rabat-oicc-14th-general-conference.html"
FES = "content/articles/2014-06-12-fes-twinned-cities-forum-2014.md"
# Incremental builds render the pages they would keep and report any that changed.
CHECKED = {"TRILINGUAL_CHECK_SKIPS": True}
WRONG_SKIP = "changed although its key did not"
# The demo's 3 sections of 3 articles and 1 page: every page and feed it makes.
ALL_PAGES_AND_FEEDS = 90


def _demo(tmp_path: Path, name: str = "site") -> SiteCopy:
    """Return a copy of the whole demo content (articles, pages, memory, glossary)."""
    site = SiteCopy(tmp_path / name)
    shutil.copytree(ROOT / "content", site.content, ignore=shutil.ignore_patterns(".lock"))
    return site


def _tree(output: Path) -> dict[str, bytes]:
    """Return every file under ``output`` by relative path."""
    tree = {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }
    # Pagefind lists its languages in no fixed order: compare what the list says.
    entry = "pagefind/pagefind-entry.json"
    if entry in tree:
        tree[entry] = json.dumps(json.loads(tree[entry]), sort_keys=True).encode()
    return tree


def _written(output: Path, since: dict[str, int]) -> set[str]:
    """Return the files under ``output`` that are new or rewritten since ``since``."""
    now = {
        p.relative_to(output).as_posix(): p.stat().st_mtime_ns
        for p in output.rglob("*")
        if p.is_file() and "pagefind" not in p.parts
    }
    return {name for name, mtime in now.items() if since.get(name) != mtime}


def _times(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*")}


def _fresh_build(site: SiteCopy, tmp_path: Path, **settings) -> dict[str, bytes]:
    """Build a copy of the site's sources (content, pseudo catalogs, theme) from scratch."""
    fresh = SiteCopy(tmp_path / "fresh")
    shutil.rmtree(fresh.root, ignore_errors=True)
    shutil.copytree(site.content, fresh.content)
    if (site.root / ".cache").is_dir():
        shutil.copytree(site.root / ".cache", fresh.root / ".cache")
    fresh.build(**settings)
    return _tree(fresh.output)


def _assert_same_as_fresh(site: SiteCopy, tmp_path: Path, **settings) -> None:
    ours, fresh = _tree(site.output), _fresh_build(site, tmp_path, **settings)
    assert sorted(ours) == sorted(fresh)
    differ = [name for name in ours if ours[name] != fresh[name]]
    assert not differ, differ


def _incremental(site: SiteCopy, caplog, **settings) -> set[str]:
    """Rebuild ``site`` checking every kept page; return the files it wrote."""
    before = _times(site.output)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        site.last = site.build(**{**CHECKED, **settings})
    assert WRONG_SKIP not in caplog.text
    assert "full build" not in caplog.text
    return _written(site.output, before)


def _rendered(caplog, output: Path) -> set[str]:
    """Return the pages the last build rendered because their inputs changed."""
    found = re.findall(r"trilingual: rendering (\S+) \(its inputs changed\)", caplog.text)
    return {Path(path).relative_to(output).as_posix() for path in found}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The demo built once with the pseudo engine (the layout engine, no model)."""
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = _demo(tmp_path)
    site.build()
    return site


@pytest.mark.slow
def test_a_rebuild_without_change_writes_nothing(site, caplog):
    assert _incremental(site, caplog, TRILINGUAL_CHECK_SKIPS=False) == set()
    assert (site.last.rendered, site.last.written, site.last.removed) == (0, 0, ())


@pytest.mark.slow
def test_a_paragraph_edit_rewrites_its_pages_and_listings_only(site, tmp_path, caplog):
    path = site.root / FES
    path.write_text(path.read_text("utf-8") + "\nفقرة جديدة عن منتدى فاس.\n", "utf-8")
    written = _incremental(site, caplog)
    rendered = _rendered(caplog, site.output)
    _assert_same_as_fresh(site, tmp_path)
    slug = "2014/fes-twinned-cities-forum-2014.html"
    pages = {f"{prefix}{slug}" for prefix in ("", "fr/", "en/")}
    # Its pages, its parallel view and the Atom feeds (full texts) that show it: the
    # listings show its summary, which did not change, so they are rendered, not written.
    feeds = {f"{p}feeds/{f}.atom.xml" for p, f in (("", "all"), ("", "local-affairs"),
             ("fr/", "all"), ("fr/", "affaires-locales"), ("en/", "all"),
             ("en/", "local-affairs"))}  # fmt: skip
    assert written == pages | feeds | {"parallel/fes-twinned-cities-forum-2014.html"}
    # Rendered: what shows it (listings of its category, tags, dates); not the other
    # articles' pages, the About page, nor 2016's and 2026's archives.
    assert rendered >= written - feeds
    assert not any(SEED in name or "about" in name or "2026" in name for name in rendered)
    assert not any("/2016/" in f"/{name}" for name in rendered)


@pytest.mark.slow
def test_an_added_article_shifts_only_the_listings_it_enters(site, tmp_path, caplog):
    write_newsroom(site.content, ("budget.md", BUDGET))
    written = _incremental(site, caplog, DEFAULT_PAGINATION=2)
    _assert_same_as_fresh(site, tmp_path, DEFAULT_PAGINATION=2)
    for prefix in ("", "fr/", "en/"):
        assert f"{prefix}2026/marrakech-budget-2027.html" in written
        assert f"{prefix}{SEED}" not in written
    # The home page's pages all shift by one article.
    assert {"index.html", "index2.html", "fr/index2.html"} <= written


@pytest.mark.slow
def test_a_removed_article_and_page_leave_the_output_and_the_search_index(site, tmp_path, caplog):
    (site.root / FES).unlink()
    (site.content / "pages" / "about.md").unlink()
    _incremental(site, caplog)
    for prefix in ("", "fr/", "en/"):
        assert not (site.output / prefix / "2014/fes-twinned-cities-forum-2014.html").exists()
        assert not (site.output / prefix / "about.html").exists()
        assert not (site.output / prefix / "2014").exists()  # its empty folder too
    assert not (site.output / "parallel/fes-twinned-cities-forum-2014.html").exists()
    assert (
        "fr/about.html" in site.last.removed
        and "parallel/fes-twinned-cities-forum-2014.html" in site.last.removed
    )
    _assert_same_as_fresh(site, tmp_path)
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    # Two articles left in each language, and no page.
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        "ar": 2,
        "fr": 2,
        "en": 2,
    }


@pytest.mark.slow
def test_a_corrected_translation_rewrites_that_article_in_that_language(site, tmp_path, caplog):
    catalog = site.content / "translations" / "fr" / "rabat-oicc-14th-general-conference.po"
    text = catalog.read_text("utf-8")
    first = re.search(r'msgstr "([^"]+)"', text.split("\n\n", 1)[1]).group(1)
    catalog.write_text(text.replace(f'msgstr "{first}"', f'msgstr "{first} (corrigé)"', 1), "utf-8")
    written = _incremental(site, caplog)
    _assert_same_as_fresh(site, tmp_path)
    # The French article and the French pages listing its (corrected) title; nothing
    # of the other sections, nor the French pages of other articles.
    assert f"fr/{SEED}" in written and "fr/index.html" in written
    assert all(name.startswith("fr/") for name in written), written
    assert "fr/2014/fes-twinned-cities-forum-2014.html" not in written


@pytest.mark.slow
def test_a_changed_glossary_is_a_change_of_what_it_translates(site, tmp_path, caplog):
    glossary = site.content / "glossary.tsv"
    lines = glossary.read_text("utf-8").splitlines()
    lines.append("منتدى\tGathering\tRassemblement\ttest")
    glossary.write_text("\n".join(lines) + "\n", "utf-8")
    _incremental(site, caplog)
    _assert_same_as_fresh(site, tmp_path)


@pytest.mark.slow
def test_a_changed_template_rewrites_the_pages_made_with_it(site, tmp_path, caplog):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "atlas", theme)
    _incremental(site, caplog, THEME=str(theme))  # the same theme elsewhere: a setting
    tag = theme / "templates" / "tag.html"
    tag.write_text(tag.read_text("utf-8").replace("</h1>", "</h1>\n<p>tagged</p>", 1), "utf-8")
    written = _incremental(site, caplog, THEME=str(theme))
    assert written and all("/tag/" in f"/{name}" or name.endswith(".xml") for name in written)
    assert "tag/rabat.html" in written
    _assert_same_as_fresh(site, tmp_path, THEME=str(theme))


@pytest.mark.slow
def test_a_changed_setting_rewrites_what_it_shows_in(site, tmp_path, caplog):
    sharing = {**SHARING, "twitter_site": "@atlas_archive"}
    written = _incremental(site, caplog, SHARING=sharing)
    # Every page is rendered again; only the articles and pages show the Twitter account.
    assert site.last.rendered == ALL_PAGES_AND_FEEDS
    assert SEED in written and "en/about.html" in written and "index.html" not in written
    _assert_same_as_fresh(site, tmp_path, SHARING=sharing)


@pytest.mark.slow
def test_static_files_are_copied_when_changed_and_removed_when_deleted(site, tmp_path, caplog):
    changed = sorted((site.content / "images").iterdir())[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    extra = site.content / "images" / "extra.svg"
    extra.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    written = _incremental(site, caplog)
    assert f"images/{changed.name}" in written and "images/extra.svg" in written
    assert not any(name.startswith("theme/") for name in written)
    extra.unlink()
    # A link to an image that is not there copies nothing, as in Pelican, and builds.
    path = site.root / FES
    path.write_text(path.read_text("utf-8") + "\n![x]({static}/images/none.png)\n", "utf-8")
    _incremental(site, caplog)
    assert not (site.output / "images" / "extra.svg").exists()
    _assert_same_as_fresh(site, tmp_path)


@pytest.mark.slow
def test_pseudo_pages_leave_the_output_after_a_real_engine_build(tmp_path, monkeypatch, caplog):
    site = _demo(tmp_path)
    # Names no catalog translates: the pseudo engine names their pages [en] …, fr-en-….
    budget = BUDGET.replace("Category: الشأن المحلي", "Category: ثقافة")
    write_newsroom(site.content, ("budget.md", budget))
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site.build()
    pseudo_pages = sorted(site.output.glob("**/category/*en-*.html"))
    assert pseudo_pages, "the pseudo build names its category pages after pseudo terms"
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")  # and no model: Arabic names stay
    site.build()
    assert not [p for p in pseudo_pages if p.exists()]
    assert "[en]" not in "".join(
        p.read_text("utf-8") for p in site.output.rglob("*.html") if "en/" in p.as_posix()
    )
    _assert_same_as_fresh(site, tmp_path)


@pytest.mark.slow
def test_files_the_build_does_not_own_are_kept(site, caplog):
    (site.output / "CNAME").write_text("news.example.org\n", "utf-8")
    (site.output / ".nojekyll").write_text("", "utf-8")
    (site.root / FES).unlink()
    # A page that stops being made but was changed by someone since is kept, with a word.
    page = site.output / "fr" / "2014" / "fes-twinned-cities-forum-2014.html"
    page.write_text(page.read_text("utf-8") + "<!-- edited -->", "utf-8")
    _incremental(site, caplog)
    assert (site.output / "CNAME").read_text("utf-8") == "news.example.org\n"
    assert (site.output / ".nojekyll").exists()
    assert page.exists() and "was changed since it was written" in caplog.text
    assert not (site.output / "2014" / "fes-twinned-cities-forum-2014.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: path.unlink(), "no build manifest"),
        (lambda path: path.write_text("{not json", "utf-8"), "cannot be read"),
        (lambda path: path.write_text('{"version": 0}', "utf-8"), "of another version"),
        (
            lambda path: path.write_text(
                json.dumps({**json.loads(path.read_text("utf-8")), "files": {"a": {}}}), "utf-8"
            ),
            "is damaged",
        ),
        (lambda path: path.write_text(_damaged_sitemap_facts(path), "utf-8"), "is damaged"),
    ],
)
def test_a_missing_or_broken_manifest_means_a_full_build(site, caplog, damage, reason):
    manifest = site.root / "cache" / MANIFEST_NAME
    assert manifest.is_file()
    damage(manifest)
    with caplog.at_level(logging.INFO):
        build = site.build()
    assert re.search(f"full build: .*{reason}", caplog.text)
    assert build.rendered == ALL_PAGES_AND_FEEDS
    assert json.loads(manifest.read_text("utf-8"))["version"] == MANIFEST_VERSION


def _damaged_sitemap_facts(path):
    """Return the manifest with one page's sitemap facts damaged (noindex not a boolean)."""
    data = json.loads(path.read_text("utf-8"))
    name = next(name for name, record in data["files"].items() if "sitemap" in record)
    data["files"][name]["sitemap"]["noindex"] = "yes"
    return json.dumps(data)


@pytest.mark.slow
def test_invoke_build_full_renders_every_page(site, caplog):
    before = _times(site.output)
    with caplog.at_level(logging.INFO):
        site.build()
    assert SEED not in _written(site.output, before)
    command = [sys.executable, "-m", "trilingual", "build", "--help"]
    usage = subprocess.run(command, capture_output=True, text=True, cwd=ROOT / "plugins")
    assert "--full" in usage.stdout

    overrides = {
        "PATH": str(site.content),
        "CACHE_PATH": str(site.root / "cache"),
        "THEME": str(ROOT / "themes" / "atlas"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
    }
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build = build_site(
            str(ROOT / "pelicanconf.py"), site.output, overrides=overrides, full=True
        )
    assert "full build: asked for (--full)" in caplog.text
    # Every page is rendered again; its bytes are the same, so the file is not rewritten.
    assert build.rendered == ALL_PAGES_AND_FEEDS
