"""Sections built side by side in forked processes give the site the sequential build gives."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.builds import copy_site
from trilingual.languages import ConfigError
from trilingual.section_runs import PROCESSES_SETTING, SectionFailed, section_processes

# Written by Pagefind with its languages in hash-map order, which changes from run to run
# (two sequential builds differ too): compared as JSON, not byte for byte.
UNORDERED_JSON = {Path("pagefind/pagefind-entry.json")}


def _files(output: Path) -> dict[Path, bytes]:
    return {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_parallel_sections_write_the_sequential_build_byte_for_byte(tmp_path):
    sequential = copy_site(tmp_path / "sequential")
    parallel = copy_site(tmp_path / "parallel")
    # An article with no catalog yet: both builds translate it (pseudo engine) before
    # the sections run, so the sections render fresh translations too.
    text = "Title: خبر جديد\nDate: 2026-02-01\nSlug: fresh-news\n\nانعقد المجلس اليوم.\n"
    for site in (sequential, parallel):
        site.add_article("fresh.md", text)
    sequential.build(**{PROCESSES_SETTING: 1})
    parallel.build(**{PROCESSES_SETTING: 3})

    expected, written = _files(sequential.output), _files(parallel.output)
    assert sorted(written) == sorted(expected)
    assert len(written) > 50 and Path("fr/2026/fresh-news.html") in written
    for path, data in expected.items():
        if path in UNORDERED_JSON:
            assert json.loads(written[path]) == json.loads(data), path
        else:
            assert written[path] == data, path


def _failing_plugin(folder: Path, name: str, action: str) -> Path:
    """Write a plugin that does ``action`` when Pelican starts the French section.

    Pelican's signal registry outlives a build in this process (the first section runs
    here), so the plugin acts only in builds whose FAILING_PLUGIN setting names it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(
        "from pelican import signals\n\n"
        "def fail(pelican):\n"
        f"    if pelican.settings.get('FAILING_PLUGIN') != {name!r}:\n"
        "        return\n"
        "    if pelican.settings['DEFAULT_LANG'] == 'fr':\n"
        f"        {action}\n\n"
        "def register():\n"
        "    signals.initialized.connect(fail)\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.slow
def test_an_error_in_one_section_fails_the_build_with_its_message(tmp_path):
    site = copy_site(tmp_path)
    plugins = _failing_plugin(tmp_path / "extra", "fails_in_french", "raise ValueError('x7q')")
    with pytest.raises(ValueError, match="x7q") as raised:
        site.build(
            PLUGIN_PATHS=[str(ROOT / "plugins"), str(plugins)],
            PLUGINS=["autotranslate", "trilingual", "fails_in_french"],
            FAILING_PLUGIN="fails_in_french",
            **{PROCESSES_SETTING: 2},
        )
    assert any("section 'fr'" in note for note in raised.value.__notes__)


@pytest.mark.slow
def test_a_section_process_that_dies_fails_the_build_instead_of_hanging(tmp_path):
    site = copy_site(tmp_path)
    plugins = _failing_plugin(tmp_path / "extra", "exits_in_french", "import os; os._exit(3)")
    with pytest.raises(SectionFailed, match=r"section .*'fr'.*: a section process ended"):
        site.build(
            PLUGIN_PATHS=[str(ROOT / "plugins"), str(plugins)],
            PLUGINS=["autotranslate", "trilingual", "exits_in_french"],
            FAILING_PLUGIN="exits_in_french",
            **{PROCESSES_SETTING: 2},
        )


@pytest.mark.slow
def test_parallel_sections_log_one_line_each_in_order(tmp_path, caplog):
    site = copy_site(tmp_path)
    with caplog.at_level(logging.INFO):
        site.build(**{PROCESSES_SETTING: 3})
    lines = [r.getMessage() for r in caplog.records if "trilingual: section" in r.getMessage()]
    assert [line.split("'")[1] for line in lines] == ["ar", "fr", "en"]
    assert all("articles in" in line for line in lines), lines


def test_the_process_count_follows_the_setting_and_the_sections():
    assert section_processes({PROCESSES_SETTING: 1}, 3) == 1
    assert section_processes({PROCESSES_SETTING: 8}, 3) == 3
    assert 1 <= section_processes({}, 3) <= 3
    for bad in ("2", -1, True, 1.5):
        with pytest.raises(ConfigError, match=PROCESSES_SETTING):
            section_processes({PROCESSES_SETTING: bad}, 3)
