"""`invoke save-translations` against throw-away bare repositories, as CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autotranslate.save_translations import BOT_NAME, CatalogChange, commit_message
from tests.conftest import ROOT

FES_EN = "content/translations/en/fes-twinned-cities-forum-2014.po"
RABAT_FR = "content/translations/fr/rabat-oicc-14th-general-conference.po"
GLOSSARY_APPLIED = "content/translations/glossary-applied.tsv"
LAST_MSGSTR_START = 'msgstr "Organized by the Urban Commune of Fez'
PERSON = ("-c", "user.name=Nadia Reviewer", "-c", "user.email=nadia@news.example.ma")
NEW_ENTRY = (
    "\n#. autotranslate: engine = argos translate-ar_en 1.0\n"
    'msgid "جملة جديدة"\nmsgstr "A new sentence"\n'
)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(autouse=True)
def no_git_identity(monkeypatch, isolated_home):
    """Git as on a fresh CI runner: no user.name/user.email anywhere."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(isolated_home / "gitconfig"))
    for var in ("NAME", "EMAIL"):
        monkeypatch.delenv(f"GIT_AUTHOR_{var}", raising=False)
        monkeypatch.delenv(f"GIT_COMMITTER_{var}", raising=False)
    monkeypatch.setenv("EMAIL", "")  # git would otherwise guess from it


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A one-commit repository holding a copy of the project's tracked files."""
    repo = tmp_path_factory.mktemp("project")
    # Tracked and new files alike: the copy is the code under test.
    for name in _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines():
        if (ROOT / name).is_file() and not name.startswith(("docs/", "benchmarks/results")):
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, *PERSON, "commit", "-qm", "project")
    return repo


@pytest.fixture
def origin(project, tmp_path) -> Path:
    """A bare repository standing for GitHub."""
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(project), str(bare)], check=True)
    return bare


def _clone(origin: Path, path: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(path)], check=True)
    return path


def _invoke(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=repo, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, **env},
    )  # fmt: skip


def _person_pushes(origin: Path, path: Path, edit, message: str) -> str:
    """A person clones, edits one file with ``edit(text) -> text``, commits and pushes."""
    person = _clone(origin, path)
    for name, change in edit.items():
        file = person / name
        file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
    _git(person, "add", "-A")
    _git(person, *PERSON, "commit", "-qm", message)
    _git(person, "push", "-q", "origin", "main")
    return _git(person, "rev-parse", "HEAD").strip()


def _files_of(repo: Path, commit: str) -> set[str]:
    return set(_git(repo, "show", "--format=", "--name-only", commit).split())


NEW_ARTICLE = """Title: افتتاح مكتبة جديدة بمدينة مراكش
Date: 2026-11-24 09:00
Category: الشأن المحلي
Tags: مراكش, الثقافة
Slug: marrakech-new-library
Lang: ar
Summary: افتتحت اليوم مكتبة جديدة.

افتتحت اليوم مكتبة عمومية جديدة بمدينة مراكش. وتضم المكتبة آلاف الكتب.
"""


@pytest.mark.slow
def test_a_build_s_new_translations_are_pushed_once_in_one_commit(
    origin, tmp_path, installed_tiny_argos
):
    # The editor pushes an article; CI checks it out, builds, saves. A real engine:
    # the pseudo engine never writes the memory (issue 12), so it has nothing to save.
    slug = "marrakech-new-library"
    editor = _clone(origin, tmp_path / "editor")
    (editor / "content/articles/2026-11-24-marrakech.md").write_text(NEW_ARTICLE, encoding="utf-8")
    _git(editor, "add", "-A")
    _git(editor, *PERSON, "commit", "-qm", "New article")
    _git(editor, "push", "-q", "origin", "main")
    ci = _clone(origin, tmp_path / "ci")
    built = _invoke(ci, "build", AUTOTRANSLATE_ENGINE="argos")
    assert built.returncode == 0, built.stdout + built.stderr
    before = _git(origin, "rev-parse", "main").strip()

    saved = _invoke(ci, "save-translations")
    assert saved.returncode == 0, saved.stdout + saved.stderr
    head = _git(origin, "rev-parse", "main").strip()
    assert _git(origin, "rev-list", f"{before}..{head}").split() == [head]  # one commit
    files = _files_of(origin, head)
    assert {
        f"content/translations/fr/{slug}.po",
        f"content/translations/en/{slug}.po",
    } <= files
    assert all(name.startswith("content/translations/") for name in files), files
    subject, _, body = _git(origin, "log", "-1", "--format=%s%n%b", head).partition("\n")
    assert slug in subject
    sentences = (
        _git(origin, "show", f"{head}:content/translations/en/{slug}.po").count('\nmsgid "') - 1
    )
    assert sentences >= 3  # title, summary, two sentences of the body
    assert f"content/translations/en/{slug}.po: {sentences} new" in body
    assert _git(origin, "log", "-1", "--format=%an", head).strip() == BOT_NAME
    assert _git(ci, "status", "--porcelain", "--", "content/translations") == ""

    # A second build finds everything in the catalogs: nothing to commit, nothing pushed.
    assert _invoke(ci, "build", AUTOTRANSLATE_ENGINE="argos").returncode == 0
    again = _invoke(ci, "save-translations")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing new" in again.stdout
    assert _git(origin, "rev-parse", "main").strip() == head
    assert _git(ci, "rev-parse", "HEAD").strip() == head


def test_a_concurrent_push_is_rebased_onto_and_kept(origin, tmp_path):
    ci = _clone(origin, tmp_path / "ci")
    (ci / FES_EN).write_text((ci / FES_EN).read_text(encoding="utf-8") + NEW_ENTRY, "utf-8")
    applied = ci / GLOSSARY_APPLIED  # the build's record of the glossary it used
    applied.write_text(applied.read_text(encoding="utf-8") + "# changed\n", "utf-8")
    # Something staged by hand stays out of the translations commit.
    (ci / "README.md").write_text("changed by hand\n", encoding="utf-8")
    _git(ci, "add", "README.md")
    # Meanwhile a person corrects a French sentence and the first lines of the same
    # English catalog, and pushes first.
    theirs = _person_pushes(
        origin,
        tmp_path / "person",
        {
            RABAT_FR: lambda text: text.replace('msgstr "', 'msgstr "[corrigé] ', 2),
            FES_EN: lambda text: text.replace("# Edit a msgstr", "# Reviewed. Edit a msgstr"),
        },
        "Correct two sentences",
    )

    saved = _invoke(ci, "save-translations")
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert "moved meanwhile" in saved.stdout
    head = _git(origin, "rev-parse", "main").strip()
    assert _git(origin, "rev-parse", f"{head}^").strip() == theirs  # rebased, linear
    assert _files_of(origin, head) == {FES_EN, GLOSSARY_APPLIED}
    pushed = _git(origin, "show", f"{head}:{FES_EN}")
    assert "A new sentence" in pushed and "# Reviewed. Edit a msgstr" in pushed
    assert "[corrigé]" in _git(origin, "show", f"{head}:{RABAT_FR}")
    # The hand-made change is neither committed nor lost (the rebase stashed it meanwhile).
    assert "changed by hand" not in _git(origin, "show", "main:README.md")
    assert (ci / "README.md").read_text(encoding="utf-8") == "changed by hand\n"


def test_a_conflicting_correction_stops_and_is_never_overwritten(origin, tmp_path):
    ci = _clone(origin, tmp_path / "ci")
    machine = 'msgstr "The Urban Commune of Fez organizes the forum'
    (ci / FES_EN).write_text(
        (ci / FES_EN).read_text(encoding="utf-8").replace(LAST_MSGSTR_START, machine), "utf-8"
    )
    theirs = _person_pushes(
        origin,
        tmp_path / "person",
        {
            FES_EN: lambda text: text.replace(
                LAST_MSGSTR_START, 'msgstr "Hosted by the Urban Commune of Fez'
            )
        },
        "Correct the last sentence",
    )

    saved = _invoke(ci, "save-translations")
    assert saved.returncode == 1
    message = saved.stdout + saved.stderr
    assert FES_EN in message
    assert "Nothing was pushed" in message
    assert "Traceback" not in message
    assert _git(origin, "rev-parse", "main").strip() == theirs
    assert "Hosted by the Urban Commune" in _git(origin, "show", f"main:{FES_EN}")
    # The local repository is left usable: no rebase in progress, the commit kept.
    assert not (ci / ".git" / "rebase-merge").exists()
    assert not (ci / ".git" / "rebase-apply").exists()
    assert machine in _git(ci, "show", f"HEAD:{FES_EN}")


def test_review_mode_pushes_to_a_branch_and_keeps_the_reviewer_s_edits(origin, tmp_path):
    branch = "translations/main"
    ci = _clone(origin, tmp_path / "ci")
    main_before = _git(origin, "rev-parse", "main").strip()
    (ci / FES_EN).write_text((ci / FES_EN).read_text(encoding="utf-8") + NEW_ENTRY, "utf-8")
    saved = _invoke(ci, "save-translations", "--review", branch)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert _git(origin, "rev-parse", "main").strip() == main_before  # main untouched
    assert "A new sentence" in _git(origin, "show", f"{branch}:{FES_EN}")

    # A reviewer corrects the new sentence on the branch of the pull request.
    reviewer = _clone(origin, tmp_path / "reviewer")
    _git(reviewer, "checkout", "-q", branch)
    file = reviewer / FES_EN
    file.write_text(file.read_text(encoding="utf-8").replace("A new sentence", "A fresh sentence"))
    _git(reviewer, *PERSON, "commit", "-qam", "Review")
    _git(reviewer, "push", "-q", "origin", branch)

    # The next CI run merges the branch before its build, then adds its own work.
    ci2 = _clone(origin, tmp_path / "ci2")
    prepared = _invoke(ci2, "save-translations", "--review", branch, "--before-build")
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    rabat = ci2 / RABAT_FR
    rabat.write_text(rabat.read_text(encoding="utf-8") + NEW_ENTRY, "utf-8")
    saved = _invoke(ci2, "save-translations", "--review", branch)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert "A fresh sentence" in _git(origin, "show", f"{branch}:{FES_EN}")
    assert "A new sentence" in _git(origin, "show", f"{branch}:{RABAT_FR}")
    assert _git(origin, "rev-parse", "main").strip() == main_before


def test_commit_message_names_articles_and_counts():
    changes = [
        CatalogChange("content/translations/fr/b.po", 4, 0, 0),
        CatalogChange("content/translations/en/b.po", 4, 2, 1),
        CatalogChange("content/translations/en/a.po", 1, 0, 0),
        CatalogChange("content/translations/en/c.po", 1, 0, 0),
        CatalogChange("content/translations/en/d.po", 1, 0, 0),
        CatalogChange("content/translations/fr/_terms.po", 2, 0, 0),
        CatalogChange("content/translations/glossary-applied.tsv", 0, 0, 0),
    ]
    subject, blank, *body = commit_message(changes).splitlines()
    assert subject == (
        "Translations: a, b, c and 1 more, category and tag names (13 new, 2 updated sentences)"
    )
    assert blank == ""
    assert "- content/translations/en/b.po: 4 new, 2 updated, 1 retired" in body
    assert "- content/translations/glossary-applied.tsv: changed" in body
    assert sum(line.startswith("- ") for line in body) == 7


def test_a_clean_rebase_that_breaks_a_catalog_is_undone_and_not_pushed(origin, tmp_path):
    """Both sides add the same sentence in different places: git merges, the PO is invalid."""
    ci = _clone(origin, tmp_path / "ci")
    (ci / FES_EN).write_text((ci / FES_EN).read_text(encoding="utf-8") + NEW_ENTRY, "utf-8")
    header_end = '"Generated-By: Babel 2.18.0\\n"\n'
    reviewed = '\n#. autotranslate: reviewed\nmsgid "جملة جديدة"\nmsgstr "A reviewed sentence"\n'
    theirs = _person_pushes(
        origin,
        tmp_path / "person",
        {FES_EN: lambda text: text.replace(header_end, header_end + reviewed, 1)},
        "Add a reviewed sentence at the top",
    )
    mine = _git(ci, "rev-parse", "HEAD").strip()

    saved = _invoke(ci, "save-translations")
    assert saved.returncode == 1
    message = saved.stdout + saved.stderr
    assert f"{FES_EN}:" in message and "duplicate msgid" in message
    assert "Traceback" not in message
    assert _git(origin, "rev-parse", "main").strip() == theirs
    # The local commit sits on the old base again, holding the machine text only.
    assert _git(ci, "rev-parse", "HEAD^").strip() == mine
    assert "A reviewed sentence" not in _git(ci, "show", f"HEAD:{FES_EN}")


def test_outside_a_repository_the_message_says_so(tmp_path):
    from autotranslate.save_translations import SaveError, save_translations

    (tmp_path / "translations").mkdir()
    with pytest.raises(SaveError, match="not in a git repository"):
        save_translations(tmp_path, tmp_path / "translations", say=lambda _: None)
