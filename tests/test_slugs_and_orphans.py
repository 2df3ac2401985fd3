"""Slugs that cannot name a page, and catalogs left behind by a renamed slug (issue 11)."""

from __future__ import annotations

import re
import shutil

import pytest

from autotranslate.memory import Status, TranslationCatalog
from autotranslate.orphans import RenameError, rename_catalogs
from autotranslate.report import article_files, article_slugs, catalog_coverage, format_report
from tests.support.builds import copy_site

SEED = "rabat-oicc-14th-general-conference"


def _article(slug: str, title: str = "مقال", date: str = "2026-01-01 10:00") -> str:
    return f"Title: {title}\nDate: {date}\nSlug: {slug}\nLang: ar\n\nنص المقال {title}.\n"


def _reviewed(path) -> list[tuple[str, str]]:
    return [
        (e.source, e.text)
        for e in TranslationCatalog(path, "ar", path.parent.name).entries()
        if e.status is Status.REVIEWED
    ]


def _reviewed_count(path) -> int:
    return len(_reviewed(path))


@pytest.mark.slow
def test_slugs_that_cannot_name_a_page_are_refused_and_the_rest_builds(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)  # the demo, with its reviewed terms
    terms_before = _reviewed(site.catalog("en", "_terms"))
    long_slug = "a" * 240
    site.add_article("long.md", _article(long_slug, "طويل"))
    site.add_article("first.md", _article("same-slug", "الأول"))
    site.add_article("second.md", _article("same-slug", "الثاني"))
    site.add_article("third.md", _article("Same-Slug", "الثالث"))
    site.add_article("index.md", _article("index", "فهرس"))
    site.add_article("terms.md", _article("_terms", "مصطلحات"))
    site.add_article("good.md", _article("good-one", "سليم"))
    site.add_article("archives.md", _article("archives", "أرشيف"))  # 2026/archives.html: no clash
    site.build()

    log = caplog.text
    assert re.search(r"long\.md: slug 'a{40}'… is 240 bytes long, too long", log)
    assert re.search(r"second\.md: slug 'same-slug' is also used by \S*first\.md", log)
    assert re.search(r"third\.md: slug 'Same-Slug' is also used by \S*first\.md", log)
    assert re.search(
        r"index\.md: slug 'index' names a page Pelican writes itself \(2026/index\.html\)", log
    )
    assert re.search(r"terms\.md: slug '_terms' cannot name a catalog file", log)
    # The rest of the site is there; the first of two same slugs keeps its page.
    for lang in ("ar", "fr", "en"):
        assert site.page(lang, "good-one", "2026") and site.page(lang, "archives", "2026")
        assert site.page(lang, SEED, "2016")
    assert "الأول" in site.page("ar", "same-slug", "2026")
    assert "فهرس" not in site.page("ar", "index", "2026")  # the year's archive, untouched
    assert not list(site.output.rglob(f"{long_slug}*"))
    # No article took the terms catalog: reviewed terms still in place, pages where they were.
    assert _reviewed(site.catalog("en", "_terms")) == terms_before != []
    assert (site.output / "category" / "local-affairs.html").exists()


@pytest.mark.slow
def test_a_renamed_slug_names_its_orphaned_catalogs_and_one_command_moves_them(
    tmp_path, monkeypatch, caplog
):
    # A real engine (no model installed): a pseudo build never writes the memory.
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "argos")
    site = copy_site(tmp_path)
    article = site.content / "articles" / f"{SEED}.md"
    if not article.exists():
        article = next(
            p for p in (site.content / "articles").glob("*.md") if SEED in p.read_text("utf-8")
        )
    reviewed = _reviewed_count(site.catalog("en", SEED))
    assert reviewed > 0
    article.write_text(
        article.read_text("utf-8").replace(f"Slug: {SEED}", "Slug: oicc-rabat"), "utf-8"
    )
    site.build()

    expected = f"`invoke translations --rename {SEED} --to oicc-rabat`"
    [message] = [m for m in caplog.messages if "no article has the slug" in m]
    assert f"en/{SEED}.po" in message and f"fr/{SEED}.po" in message and expected in message
    assert "the article now named 'oicc-rabat'" in message
    report = format_report(
        catalog_coverage(site.content / "translations"),
        [],
        article_slugs(site.content / "articles"),
    )
    assert re.search(rf"en +{SEED} +ORPHANED", report) and f"orphaned: {SEED}" in report

    live = article_files(site.content / "articles")
    done = rename_catalogs(site.content / "translations", SEED, "oicc-rabat", live=live)
    assert len(done) == 2 and all("merged into" in line for line in done)
    assert not site.catalog("en", SEED).exists()
    assert _reviewed_count(site.catalog("en", "oicc-rabat")) == reviewed
    caplog.clear()
    site.build()
    assert "no article has the slug" not in caplog.text
    assert _reviewed_count(site.catalog("en", "oicc-rabat")) == reviewed
    page = site.page("en", "oicc-rabat", "2016")
    shown = [text for _, text in _reviewed(site.catalog("en", "oicc-rabat")) if "&" not in text]
    assert sum(text in page for text in shown) >= len(shown) // 2  # shown, not re-translated


def test_rename_refuses_conflicting_work_and_changes_nothing(tmp_path):
    site = copy_site(tmp_path)
    folder = site.content / "translations"
    for lang in ("en", "fr"):
        shutil.copy(site.catalog(lang, SEED), site.catalog(lang, "copy"))
    path = site.catalog("en", "copy")
    text = path.read_text("utf-8")
    first = re.search(r'msgid "(.+)"\nmsgstr "(.+)"', text)
    path.write_text(
        text.replace(f'msgstr "{first.group(2)}"', 'msgstr "Another person\'s text"', 1), "utf-8"
    )
    before = {p: p.read_bytes() for p in folder.rglob("*.po")}
    live = article_files(site.content / "articles")
    with pytest.raises(RenameError, match="differently in each"):
        rename_catalogs(folder, "copy", SEED, live=live)
    assert {p: p.read_bytes() for p in folder.rglob("*.po")} == before
    with pytest.raises(RenameError, match="no catalog named"):
        rename_catalogs(folder, "nothing-here", SEED, live=live)
    for bad in ("_terms", "../x", "a b"):
        with pytest.raises(RenameError, match="not an article's slug"):
            rename_catalogs(folder, SEED, bad, live=live)
    moved = rename_catalogs(folder, "copy", "fresh", live=live)
    assert len(moved) == 2 and site.catalog("fr", "fresh").exists()


def test_invoke_translations_rename_refuses_clearly_without_a_traceback():
    import subprocess
    import sys

    from tests.conftest import ROOT

    for args, expected in (
        (["--rename", "no-such-slug"], "give both --rename OLD and --to NEW"),
        (["--rename", "no-such-slug", "--to", "other"], "no catalog named no-such-slug.po"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "translations", *args],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode != 0 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def _repository_copy(tmp_path):
    """A copy of the project's tasks, settings and content, to run `invoke` on safely."""
    from tests.conftest import ROOT

    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("tasks.py", "pelicanconf.py"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("plugins", "themes"):
        (repo / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copytree(ROOT / "content", repo / "content", ignore=shutil.ignore_patterns(".lock"))
    return repo


def _invoke(repo, *args):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(repo), "translations", *args],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip


OTHER = "fes-twinned-cities-forum-2014"  # another live demo article


def test_renaming_a_slug_onto_itself_or_away_from_a_live_article_is_refused(tmp_path):
    repo = _repository_copy(tmp_path)
    folder = repo / "content" / "translations"
    before = {p: p.read_bytes() for p in folder.rglob("*.po")}
    for args, expected in (
        # The case: this printed "merged" and deleted both catalogs.
        (["--rename", SEED, "--to", SEED], "that is one slug, so there is nothing to move"),
        (
            ["--rename", SEED, "--to", OTHER],
            rf"{SEED}\.md still has the slug '{SEED}', and '{OTHER}' is the slug of "
            rf"\S*{OTHER}\.md: the catalogs of '{SEED}' are in use",
        ),
        (["--rename", SEED, "--to", "brand-new"], rf"{SEED}\.md still has the slug '{SEED}':"),
    ):
        result = _invoke(repo, *args)
        assert result.returncode == 1, result.stdout + result.stderr
        assert re.search(expected, result.stderr) and "Nothing was renamed" in result.stderr
        assert "Traceback" not in result.stderr and "merged" not in result.stdout
        assert {p: p.read_bytes() for p in folder.rglob("*.po")} == before


def test_a_slug_pelican_made_from_the_title_counts_as_live(tmp_path):
    from pelican.settings import read_settings

    from autotranslate.report import pelican_title_slug
    from tests.conftest import ROOT

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "no-slug.md").write_text("Title: Budget Vote 2027\nLang: ar\n\nنص\n", "utf-8")
    title_slug = pelican_title_slug(read_settings(str(ROOT / "pelicanconf.py")))
    assert article_files(articles, title_slug) == {"budget-vote-2027": articles / "no-slug.md"}
    folder = tmp_path / "translations"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "budget-vote-2027.po").write_text('msgid ""\nmsgstr ""\n', "utf-8")
    with pytest.raises(RenameError, match="still has the slug 'budget-vote-2027'"):
        rename_catalogs(folder, "budget-vote-2027", "x", live=article_files(articles, title_slug))


def test_a_merge_that_would_drop_a_persons_obsolete_translation_is_refused(tmp_path):
    site = copy_site(tmp_path)
    folder = site.content / "translations"
    obsolete = '#~ msgid "جملة حذفت من المقال"\n#~ msgstr "{}"\n'
    for slug, text in ((SEED, "A sentence that was deleted"), ("old", "Another version")):
        path = site.catalog("en", slug)
        if slug != SEED:
            shutil.copy(site.catalog("en", SEED), path)
        path.write_text(path.read_text("utf-8") + "\n" + obsolete.format(text), "utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*.po")}
    with pytest.raises(RenameError, match="differently in each"):
        rename_catalogs(folder, "old", SEED, live={})
    assert {p: p.read_bytes() for p in folder.rglob("*.po")} == before
