"""Issue 19 items 1-4: escapes GNU gettext reads, and a person's work kept through edits."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autotranslate.engines.base import Provenance
from autotranslate.memory import Status, TranslationCatalog
from autotranslate.pofile import PoSyntaxError, decode_string

ARGOS = Provenance("argos", "translate-ar_en", "1.0")
# Two sentences alike enough (ratio >= STALE_MATCH_RATIO) to be taken for edits of each other.
A = "أعلن المجلس الجماعي لمدينة مراكش عن ميزانية جديدة للنقل."
B = "أعلن المجلس الجماعي لمدينة مراكش عن ميزانية جديدة للماء."
B_EDITED = "أعلن المجلس الجماعي لمدينة مراكش عن ميزانية جديدة للماء والكهرباء."
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def catalog(tmp_path):
    return TranslationCatalog(tmp_path / "en" / "article.po", "ar", "en")


def translated_by_person(tmp_path, translations: dict[str, str]) -> None:
    """Write a catalog whose entries a person translated (no machine checksum)."""
    memory = catalog(tmp_path)
    for source in translations:
        memory.store_machine(source, "machine", ARGOS)
    memory.save()
    text = memory.path.read_text(encoding="utf-8")
    for source, human in translations.items():
        text = text.replace(
            f'msgid "{source}"\nmsgstr "machine"', f'msgid "{source}"\nmsgstr "{human}"'
        )
    text = "\n".join(line for line in text.split("\n") if "checksum" not in line)
    memory.path.write_text(text, encoding="utf-8")


def msgfmt_check(path) -> None:
    """Fail the test if GNU msgfmt (when installed) refuses the catalog."""
    if shutil.which("msgfmt") is None:
        return
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# -- item 1: escapes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quoted", "text"),
    [
        (r'"C:\\Users"', "C:\\Users"),
        (r'"a \\* b"', "a \\* b"),  # Markdown's escaped star, as Babel writes it
        (r'"\\\\"', "\\\\"),
        (r'"\a\b\f\v\t\r\n\""', '\a\b\f\v\t\r\n"'),
        (r'"\101\x41\xc3\xa9"', "AAé"),
        (r'"\x4142"', "B"),  # msgfmt keeps the last byte of a long hex escape
    ],
)
def test_every_escape_msgfmt_accepts_is_read(quoted, text):
    assert decode_string(quoted) == text


@pytest.mark.parametrize("quoted", [r'"\q"', r'"\x"', r'"\'"', r'"\8"', r'"\u0041"'])
def test_what_msgfmt_refuses_is_refused(quoted):
    with pytest.raises(PoSyntaxError, match="invalid escape sequence"):
        decode_string(quoted, 5)


def test_a_hand_written_catalog_with_gnu_escapes_reads_as_msgfmt_reads_it(tmp_path):
    path = tmp_path / "en" / "article.po"
    path.parent.mkdir(parents=True)
    path.write_text(
        HEADER + 'msgid "مسار \\\\ الملف"\nmsgstr "C:\\\\Users \\x41\\102 \\"ok\\""\n',
        encoding="utf-8",
    )
    msgfmt_check(path)
    entry = catalog(tmp_path).lookup("مسار \\ الملف")
    assert entry.status is Status.REVIEWED
    assert entry.text == 'C:\\Users AB "ok"'


texts = st.text(
    alphabet=st.sampled_from(list('\\"\n\t\r\f\v\x07 ab*_#\u2028\u0645\u0631\u0627\u0643\u0634٣')),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None)
@given(source=texts, translation=texts)
def test_any_text_survives_a_write_and_a_strict_read(tmp_path_factory, source, translation):
    folder = tmp_path_factory.mktemp("po")
    memory = catalog(folder)
    memory.store_machine(source, translation, ARGOS)
    memory.save()
    entry = catalog(folder).lookup(source)
    assert entry is not None
    assert entry.text == translation
    assert entry.status is Status.MACHINE


# -- items 2-4: a person's work is never lost ------------------------------------------


def test_a_deleted_sentence_never_takes_a_stale_translation_s_place(tmp_path):
    translated_by_person(tmp_path, {A: "Transport budget.", B: "Water budget."})
    edited = catalog(tmp_path)
    edited.store_machine(B_EDITED, "machine water and power", ARGOS)
    edited.retire_unused({A, B_EDITED})
    edited.save()
    assert catalog(tmp_path).lookup(B_EDITED).previous_translation == "Water budget."

    # Then A is deleted: B's stale translation stays, A's is kept as obsolete.
    later = catalog(tmp_path)
    later.retire_unused({B_EDITED})
    later.save()
    text = later.path.read_text(encoding="utf-8")
    entry = catalog(tmp_path).lookup(B_EDITED)
    assert entry.status is Status.STALE
    assert entry.previous_translation == "Water budget."
    assert '#~ msgstr "Transport budget."' in text
    assert "# | msgid" not in text
    assert text.count("stale = yes") == 1
    msgfmt_check(later.path)


def test_deleting_one_of_two_alike_person_sentences_keeps_it_as_obsolete(tmp_path):
    translated_by_person(tmp_path, {A: "Transport budget.", B: "Water budget."})
    memory = catalog(tmp_path)
    memory.retire_unused({B})
    memory.save()
    text = memory.path.read_text(encoding="utf-8")
    assert '#~ msgstr "Transport budget."' in text
    assert catalog(tmp_path).lookup(B).text == "Water budget."
    assert catalog(tmp_path).lookup(B).status is Status.REVIEWED


def test_a_returning_sentence_takes_its_obsolete_translation_back(tmp_path):
    translated_by_person(tmp_path, {A: "Transport budget."})
    gone = catalog(tmp_path)
    gone.retire_unused(set())
    gone.save()
    assert '#~ msgstr "Transport budget."' in gone.path.read_text(encoding="utf-8")

    back = catalog(tmp_path)
    entry = back.lookup(A)  # what the page shows, before anything is stored
    assert (entry.status, entry.text) == (Status.REVIEWED, "Transport budget.")
    back.store_missing(A)  # a build that finds nothing must not add an empty twin
    back.retire_unused({A})
    back.save()
    text = back.path.read_text(encoding="utf-8")
    assert "#~" not in text
    assert text.count(f'msgid "{A}"') == 1
    again = catalog(tmp_path).lookup(A)
    assert (again.status, again.text) == (Status.REVIEWED, "Transport budget.")
    msgfmt_check(back.path)


def test_a_returning_stale_translation_comes_back_stale(tmp_path):
    translated_by_person(tmp_path, {B: "Water budget."})
    edited = catalog(tmp_path)
    edited.store_machine(B_EDITED, "machine", ARGOS)
    edited.retire_unused({B_EDITED})
    edited.save()
    removed = catalog(tmp_path)
    removed.retire_unused(set())
    removed.save()
    back = catalog(tmp_path)
    back.retire_unused({B_EDITED})
    back.save()
    entry = catalog(tmp_path).lookup(B_EDITED)
    assert entry.status is Status.STALE
    assert entry.previous_translation == "Water budget."


# -- item 1 as a newsroom meets it ------------------------------------------------------

BACKSLASH_ARTICLE = """Title: مسار الملفات في الحاسوب
Date: 2026-11-20 10:00
Category: تقنية
Slug: backslash-paths

يحفظ الموظف الملفات في المسار C:\\\\Users\\\\Rabat قبل إرسالها \\* إلى المصلحة.

جملة ثانية عادية عن الإدارة الرقمية.
"""


def test_a_sentence_with_a_backslash_survives_two_builds_in_every_section(tmp_path):
    from tests.support.builds import copy_site

    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article("backslash.md", BACKSLASH_ARTICLE)
    settings = {"AUTOTRANSLATE": {"source": "ar", "targets": ["en", "fr"], "pivot": "en",
                                  "engine": "pseudo", "catalog_dir": "translations",
                                  "progress": False}}  # fmt: skip
    site.build(**settings)
    catalog_text = site.catalog("en", "backslash-paths", pseudo=True).read_text("utf-8")
    assert "\\\\" in catalog_text  # the backslash was written, escaped
    built = site.build(**settings)  # reads that catalog back
    for lang in ("en", "fr"):
        assert (site.output / lang / "2026" / "backslash-paths.html").is_file()
    assert not [p for p in built.translations.problems if "backslash-paths" in str(p)]
