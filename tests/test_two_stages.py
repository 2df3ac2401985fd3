"""The build in two stages: translate first (the contract on disk), then every section at once."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from autotranslate.contract import contract_data, contract_from_data
from autotranslate.contract_file import (
    ContractError,
    contract_path,
    read_contract,
    save_contract,
)
from autotranslate.engines.offline import REASON
from tests.conftest import ROOT
from tests.support.builds import copy_site
from tests.support.reference_trees import REFERENCE, built_trees

FRESH = "Title: خبر جديد\nDate: 2026-02-01\nSlug: fresh-news\n\nانعقد المجلس البلدي اليوم.\n"


@pytest.mark.slow
def test_the_demo_and_newsroom_trees_are_those_of_the_one_stage_build(tmp_path):
    """Byte for byte what the build made before it had two stages (the committed digests)."""
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    built = built_trees(tmp_path)
    for name in ("demo", "newsroom"):
        assert sorted(built[name]) == sorted(expected[name]), name
        changed = [path for path, digest in expected[name].items() if built[name][path] != digest]
        assert not changed, (name, changed)
    assert len(built["demo"]) > 100 and len(built["newsroom"]) > 100


@pytest.mark.slow
def test_the_contract_on_disk_is_what_the_sections_built_from(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    site.add_article("fresh.md", FRESH)
    built = site.build()
    path = contract_path(site.root / "cache")
    data = json.loads(path.read_text(encoding="utf-8"))
    # The file holds the stage's whole result, which the build returned.
    assert contract_from_data(data["translations"]) == built.translations
    assert contract_data(built.translations) == data["translations"]
    fresh = built.translations.items["fresh-news"].versions["fr"]
    page = site.page("fr", "fresh-news", "2026")
    assert fresh.title in page and fresh.content.split("<")[0] in page
    # Every section read this file: one built from another build's contract stops.
    with pytest.raises(ContractError, match="another build's"):
        read_contract({"path": str(path), "digest": "0" * 32})


@pytest.mark.slow
def test_a_build_with_nothing_changed_reuses_the_stage_result(tmp_path, monkeypatch):
    from autotranslate.contract_file import saved_contract

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    first = site.build()
    path = contract_path(site.root / "cache")
    digest = saved_contract(path)[0]
    again = site.build()
    # The same inputs give the same digest, so the saved result is the one shown.
    assert saved_contract(path)[0] == digest
    assert again.translations == first.translations
    # A person's correction is an input: a new digest, and the correction is shown.
    slug = "rabat-oicc-14th-general-conference"
    catalog = site.catalog("fr", slug)
    text = catalog.read_text(encoding="utf-8")
    machine = re.search(r'msgstr "([^"]+)"', text.split("\n\n", 1)[1]).group(1)
    catalog.write_text(text.replace(f'msgstr "{machine}"', 'msgstr "Correction 4417"', 1), "utf-8")
    site.build()
    assert saved_contract(path)[0] != digest
    assert "Correction 4417" in site.page("fr", slug, "2016")


def test_a_missing_or_damaged_contract_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "cache" / "translation-contract.json"
    with pytest.raises(
        ContractError, match=re.escape("missing. Run `invoke build` again")
    ) as missing:
        read_contract({"path": str(path), "digest": "d1"})
    assert str(path) in str(missing.value)
    path.parent.mkdir()
    path.write_text('{"format": 1, "digest": "d1", "translations": {"source": "ar"}}', "utf-8")
    with pytest.raises(ContractError, match=r"damaged .*KeyError"):
        read_contract({"path": str(path), "digest": "d1"})
    path.write_text("{not json", "utf-8")
    with pytest.raises(ContractError, match="cannot be read"):
        read_contract({"path": str(path), "digest": "d2"})
    path.write_text('{"format": 99}', "utf-8")
    with pytest.raises(ContractError, match="another version"):
        read_contract({"path": str(path), "digest": "d3"})


def test_a_saved_contract_reads_back_equal(tmp_path):
    from autotranslate.contract import BuildTranslations, LanguageVersion, SourceTranslations

    version = LanguageVersion("fr", "Titre &amp; co", "<p>Texte</p>", None, "machine",
                              {"machine": 2}, ("argos x 1.0",), ("<p>Texte</p>",))  # fmt: skip
    translations = BuildTranslations(
        "ar", ("en", "fr"),
        items={"a": SourceTranslations("a", ("<p>نص</p>",), {"fr": version})},
        terms={"fr": {"مراكش": "Marrakech"}}, problems=("p",), totals={"machine": 2}, sent=2,
        left_out={"/site/x.md": "x.md: Lang: xx is not a language of this site"},
    )  # fmt: skip
    path = tmp_path / "c.json"
    save_contract(path, translations, "digest-1")
    from autotranslate import contract_file

    contract_file._READ.clear()  # read the file itself, not this process's copy
    assert read_contract({"path": str(path), "digest": "digest-1"}) == translations


@pytest.mark.slow
def test_offline_memory_builds_from_the_catalogs_and_loads_no_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    site.add_article("fresh.md", FRESH)
    built = site.build(offline_memory=True)
    assert built.translations.sent == 0
    assert built.translations.missing > 0  # the new article's sentences, shown in Arabic
    assert built.translations.unavailable
    assert all(REASON in reason for reason in built.translations.unavailable)
    assert "انعقد المجلس البلدي اليوم" in site.page("fr", "fresh-news", "2026")
    # The demo's reviewed memory is still shown as it is.
    assert built.translations.totals["reviewed"] > 100


@pytest.mark.slow
def test_a_plain_pelican_run_translates_before_its_generators(tmp_path):
    """No driver: the stage runs at `initialized`, and the run attaches what it saved."""
    site = copy_site(tmp_path)
    site.add_article("fresh.md", FRESH)
    settings = tmp_path / "plainconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(site.content)!r}\nCACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        f"THEME = {str(ROOT / 'themes' / 'atlas')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        "ARTICLE_LANG_SAVE_AS = '{date:%Y}/{slug}-{lang}.html'\n",
        encoding="utf-8",
    )
    output = tmp_path / "plain"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(site.content), "-s", str(settings), "-o",
         str(output)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path), "AUTOTRANSLATE_ENGINE": "pseudo"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "autotranslate:" in result.stdout  # the stage's summary line
    assert contract_path(tmp_path / "cache").is_file()
    for lang in ("fr", "en"):
        page = (output / "2026" / f"fresh-news-{lang}.html").read_text(encoding="utf-8")
        assert f'lang="{lang}"' in page
