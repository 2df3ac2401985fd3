"""A person's work is never lost, and a disk that refuses is a message (issue 11, items 2-4)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from pathlib import Path

import pytest

from autotranslate import storage
from autotranslate.config import load_config
from autotranslate.engines import create_engine
from autotranslate.memory import Status, TranslationCatalog
from autotranslate.pipeline import TranslationRun, source_text_for
from tests.conftest import ROOT

BODY = "<p>انطلقت أشغال المؤتمر اليوم بالرباط.</p>\n<p>وحضر الوزير الجلسة.</p>"
REVIEWED = "The minister attended the session (reviewed)."


def _run(root: Path) -> TranslationRun:
    # The pseudo engine never writes the memory (issue 12): the catalogs these tests
    # check are the ones it writes, in root/translations; the (empty) memory is elsewhere.
    settings = {"engine": "pseudo", "progress": False,
                "catalog_dir": "memory", "pseudo_catalog_dir": "translations"}  # fmt: skip
    config = load_config({"PATH": str(root), "AUTOTRANSLATE": settings}, environ={})
    return TranslationRun(config, lambda: create_engine(config))


def _translate(root: Path):
    run = _run(root)
    return run, run.translate_all([source_text_for("art", "عنوان", BODY, None, ())])["art"]["en"]


def _catalog(root: Path, lang: str = "en") -> Path:
    return root / "translations" / lang / "art.po"


def _review(root: Path) -> str:
    """Correct one English msgstr by hand (a text editor); return the file's text."""
    path = _catalog(root)
    text = path.read_text("utf-8")
    start = text.index('msgid "وحضر')
    end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
    entry = f'msgid "وحضر الوزير الجلسة."\nmsgstr "{REVIEWED}"'
    text = text[:start] + entry + text[end:]
    path.write_text(text, "utf-8")
    return text


def _reviewed(root: Path) -> list[str]:
    return [
        e.text
        for e in TranslationCatalog(_catalog(root), "ar", "en", accept_pseudo=True).entries()
        if e.status is Status.REVIEWED
    ]


# -- item 2: never lost -------------------------------------------------------------
def test_a_latin1_charset_header_on_a_utf8_catalog_loses_nothing(tmp_path):
    _translate(tmp_path)
    text = _review(tmp_path).replace("charset=utf-8", "charset=ISO-8859-1")
    assert "charset=ISO-8859-1" in text
    _catalog(tmp_path).write_text(text, "utf-8")
    _, result = _translate(tmp_path)
    assert REVIEWED in result.content and result.counts[Status.REVIEWED] == 1
    written = _catalog(tmp_path).read_bytes().decode("utf-8")  # still UTF-8, no \\u escapes
    assert "#~" not in written and "وحضر" in written and REVIEWED in written
    _, again = _translate(tmp_path)  # and the next build reads it too
    assert REVIEWED in again.content


def test_a_catalog_saved_with_a_byte_order_mark_is_read(tmp_path):
    _translate(tmp_path)
    text = _review(tmp_path)
    _catalog(tmp_path).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    run, result = _translate(tmp_path)
    assert REVIEWED in result.content and not run.skipped
    assert _reviewed(tmp_path) == [REVIEWED]


def test_plural_and_context_entries_are_kept_as_they_are_and_reported(tmp_path):
    _translate(tmp_path)
    extra = (
        '\nmsgctxt "menu"\nmsgid "وحضر الوزير الجلسة."\nmsgstr "Context entry kept"\n'
        '\nmsgid "مقال واحد"\nmsgid_plural "%d مقالات"\nmsgstr[0] "one article"\n'
        'msgstr[1] "%d articles"\n'
    )
    path = _catalog(tmp_path)
    path.write_text(path.read_text("utf-8") + extra, "utf-8")
    for _ in range(2):  # two builds: neither deletes nor duplicates them
        run, result = _translate(tmp_path)
        written = path.read_text("utf-8")
        for line in ('msgctxt "menu"', 'msgstr "Context entry kept"', 'msgid_plural "%d مقالات"',
                     'msgstr[1] "%d articles"'):  # fmt: skip
            assert written.count(line) == 1, (line, written)
        assert written.count('msgid "وحضر الوزير الجلسة."') == 2  # with and without context
    assert "Context entry kept" not in result.content
    notes = [p for p in run.problems if "kept as it is" in p]
    assert any("msgctxt" in p for p in notes) and any("msgid_plural" in p for p in notes)
    assert all(f"{path}:" in p for p in notes)


# -- item 4: killed builds, file modes ----------------------------------------------
def test_temp_files_of_a_killed_write_are_removed_by_the_next_build_and_ignored(tmp_path):
    _translate(tmp_path)
    left = [
        _catalog(tmp_path).parent / ".art.po.k1l2e3d4.tmp",
        tmp_path / "translations" / "fr" / ".art.po.x9y8z7w6.tmp",
    ]
    for temp in left:
        temp.write_text("partial", "utf-8")
    keep = _catalog(tmp_path).parent / "notes.tmp"  # not ours: never touched
    keep.write_text("mine", "utf-8")
    _translate(tmp_path)
    assert not any(temp.exists() for temp in left) and keep.exists()
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--no-index",
         "content/translations/fr/.art.po.x9y8z7w6.tmp", "content/translations/en/art.po"],
        capture_output=True, text=True, check=False,
    ).stdout.split()  # fmt: skip
    assert ignored == ["content/translations/fr/.art.po.x9y8z7w6.tmp"]


def test_a_rewritten_catalog_keeps_its_file_mode(tmp_path):
    _translate(tmp_path)
    path = _catalog(tmp_path)
    os.chmod(path, 0o664)
    _review(tmp_path)
    path.write_text(path.read_text("utf-8") + '\nmsgid "قديم"\nmsgstr ""\n', "utf-8")
    before = path.read_bytes()
    _translate(tmp_path)
    assert path.read_bytes() != before, "the catalog was not rewritten: nothing tested"
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    new = tmp_path / "translations" / "fr" / "art.po"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask


# -- item 3: a disk that refuses ----------------------------------------------------
@pytest.fixture
def read_only(monkeypatch):
    """Make a folder refuse every write, as a read-only mount does (even for root)."""
    folders: list[Path] = []

    def refused(path) -> bool:
        return any(Path(os.fsdecode(path)).is_relative_to(f) for f in folders)

    def guard(name, check=lambda *a: True):
        real = getattr(os, name)

        def fake(path, *args, **kwargs):
            if refused(path) and check(*args):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, fake)

    guard("open", lambda flags, *a: bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)))
    for name in ("mkdir", "unlink", "replace", "rename", "chmod"):
        guard(name)
    return folders.append


def test_a_read_only_translations_folder_builds_when_nothing_is_new(tmp_path, read_only):
    _translate(tmp_path)
    _review(tmp_path)
    _translate(tmp_path)  # settle: the next build has nothing to write
    before = {p: p.read_bytes() for p in (tmp_path / "translations").rglob("*.po")}
    read_only(tmp_path / "translations")
    run, result = _translate(tmp_path)
    assert REVIEWED in result.content and run.problems == []
    assert {p: p.read_bytes() for p in before} == before


def test_a_read_only_folder_with_new_work_says_what_was_not_kept(tmp_path, read_only):
    (tmp_path / "translations").mkdir()
    read_only(tmp_path / "translations")
    run, result = _translate(tmp_path)
    assert result.counts[Status.MACHINE] == 3  # shown all the same
    messages = [p for p in run.problems if "cannot write" in p]
    assert len(messages) == 2  # one per folder, not one per catalog
    assert all("Read-only file system" in m and "does not keep them" in m for m in messages)
    assert not list((tmp_path / "translations").rglob("*"))


def test_a_full_disk_leaves_the_catalog_as_it_was_and_names_the_folder(tmp_path, monkeypatch):
    _translate(tmp_path)
    path = _catalog(tmp_path)
    path.write_text(path.read_text("utf-8") + '\nmsgid "قديم"\nmsgstr ""\n', "utf-8")
    before = path.read_bytes()

    class FullDisk:
        def __init__(self, fd, mode):
            self.fd = fd

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            os.close(self.fd)

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "fdopen", FullDisk)
    run, result = _translate(tmp_path)
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
    [message] = [p for p in run.problems if "cannot write" in p]
    assert message.startswith(f"{path.parent}: cannot write art.po (No space left on device)")
    assert result.counts[Status.MACHINE] == 3


@pytest.mark.slow
def test_a_strict_build_stopped_by_a_corrupt_catalog_prints_no_traceback(tmp_path):
    import shutil
    import sys

    from tests.support.site import isolated_env, write_settings

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".lock"))
    catalog = content / "translations" / "fr" / "rabat-oicc-14th-general-conference.po"
    catalog.write_text(catalog.read_text("utf-8") + 'msgid "unterminated\n', "utf-8")
    before = catalog.read_bytes()
    settings = write_settings(tmp_path, content)
    result = subprocess.run(
        [sys.executable, "-m", "trilingual", "build", "-q", "-s", str(settings),
         "-o", str(tmp_path / "output")],
        cwd=ROOT, env={**isolated_env(tmp_path / "home"), "AUTOTRANSLATE_STRICT": "1"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"error: {catalog}:" in result.stderr and "not a PO line" in result.stderr
    assert catalog.read_bytes() == before
