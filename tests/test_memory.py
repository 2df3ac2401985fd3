"""The PO translation memory: provenance, human edits, stale sources, corrupt files."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.pofile import read_po

from autotranslate.engines.base import Provenance
from autotranslate.memory import CatalogError, Status, TranslationCatalog

ARGOS = Provenance("argos", "translate-ar_en", "1.0")
SOURCE = "انطلقت أشغال المؤتمر اليوم."


def catalog(tmp_path, name="article"):
    return TranslationCatalog(tmp_path / "en" / f"{name}.po", "ar", "en")


def test_machine_entry_records_provenance_and_round_trips(tmp_path):
    memory = catalog(tmp_path)
    memory.store_machine(SOURCE, "The conference opened today.", ARGOS, today=dt.date(2026, 11, 23))
    assert memory.save() is True
    text = memory.path.read_text(encoding="utf-8")
    assert "autotranslate: engine = argos translate-ar_en 1.0" in text
    assert "autotranslate: date = 2026-11-23" in text
    entry = catalog(tmp_path).lookup(SOURCE)
    assert entry.status is Status.MACHINE
    assert entry.text == "The conference opened today."
    assert entry.provenance == "argos translate-ar_en 1.0"


def test_unchanged_catalog_is_not_rewritten(tmp_path):
    memory = catalog(tmp_path)
    memory.store_machine(SOURCE, "Opened.", ARGOS)
    memory.save()
    again = catalog(tmp_path)
    again.lookup(SOURCE)
    mtime = memory.path.stat().st_mtime_ns
    assert again.save() is False
    assert memory.path.stat().st_mtime_ns == mtime


def test_a_person_edit_counts_as_reviewed_and_is_never_overwritten(tmp_path):
    memory = catalog(tmp_path)
    memory.store_machine(SOURCE, "Opened the conference today.", ARGOS)
    memory.save()
    path = memory.path
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'msgstr "Opened the conference today."', 'msgstr "The conference opened today."'
        ),
        encoding="utf-8",
    )
    edited = catalog(tmp_path)
    assert edited.lookup(SOURCE).status is Status.REVIEWED
    edited.store_machine(SOURCE, "Machine again.", ARGOS)
    edited.save()
    assert catalog(tmp_path).lookup(SOURCE).text == "The conference opened today."


def test_changed_source_keeps_the_person_translation_as_stale(tmp_path):
    memory = catalog(tmp_path)
    memory.store_machine(SOURCE, "x", ARGOS)
    memory.save()
    path = memory.path
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr "x"', 'msgstr "Human text."'),
        encoding="utf-8",
    )

    new_source = "انطلقت أشغال المؤتمر العام اليوم."
    rebuilt = catalog(tmp_path)
    rebuilt.store_machine(new_source, "Machine text.", ARGOS)
    kept = rebuilt.retire_unused({new_source})
    rebuilt.save()

    assert [entry.previous_translation for entry in kept] == ["Human text."]
    entry = catalog(tmp_path).lookup(new_source)
    assert entry.status is Status.STALE
    assert entry.text == "Machine text."  # shown on the page meanwhile
    assert entry.previous_translation == "Human text."
    with path.open("rb") as handle:
        assert read_po(handle).get(new_source).fuzzy
    assert f'#| msgid "{SOURCE}"' in path.read_text(encoding="utf-8")
    # Babel's reader forgets "#|" lines: a later rewrite must still keep them.
    again = catalog(tmp_path)
    again.lookup(new_source)
    again.store_machine("جملة أخرى.", "Another.", ARGOS)
    again.save()
    assert f'#| msgid "{SOURCE}"' in path.read_text(encoding="utf-8")


def test_unmatched_person_translation_becomes_obsolete_not_lost(tmp_path):
    memory = catalog(tmp_path)
    memory.store_machine(SOURCE, "x", ARGOS)
    memory.save()
    path = memory.path
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr "x"', 'msgstr "Kept."'), encoding="utf-8"
    )
    rebuilt = catalog(tmp_path)
    rebuilt.retire_unused({"نص مختلف تماما"})
    rebuilt.save()
    assert '#~ msgstr "Kept."' in path.read_text(encoding="utf-8")


def test_corrupt_catalog_names_file_and_line_and_is_left_untouched(tmp_path):
    path = tmp_path / "en" / "article.po"
    path.parent.mkdir(parents=True)
    broken = b'msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n'
    path.write_bytes(broken)
    with pytest.raises(CatalogError) as error:
        catalog(tmp_path)
    assert str(path) in str(error.value)
    assert error.value.line is not None
    assert path.read_bytes() == broken


@pytest.mark.parametrize(
    "broken",
    [
        b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
        b'msgid "a"\nmsgstr "b"\nstray text\n',
        b'msgid "a"\nmsgstr "b\\q"\n',
    ],
    ids=["duplicate", "stray-line", "bad-escape"],
)
def test_what_babel_would_misread_is_rejected(tmp_path, broken):
    path = tmp_path / "en" / "article.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(broken)
    with pytest.raises(CatalogError, match=r"article\.po:\d+: "):
        catalog(tmp_path)
    assert path.read_bytes() == broken


def test_invalid_utf8_catalog_is_reported_with_its_line(tmp_path):
    path = tmp_path / "en" / "article.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError, match=r"article\.po:2: not valid UTF-8"):
        catalog(tmp_path)
