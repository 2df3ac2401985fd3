"""Target languages are data: Spanish is settings, a glossary column and a model, nothing else."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po, write_po
from pelican.settings import read_settings

from autotranslate.config import load_config
from autotranslate.glossary import GlossaryError, load_glossary
from autotranslate.memory import TranslationCatalog
from tests.conftest import ROOT
from tests.support.builds import copy_site
from tests.support.site import SEED_SLUG

SPANISH = {
    "AUTOTRANSLATE": {
        "targets": ["en", "fr", "es"],
        "pivot": "en",
        "term_slugs_from": "en",
        "progress": False,
    },
    "TRILINGUAL": {
        "languages": {
            "ar": {"prefix": "", "locale": "ar_MA", "sitename": "أرشيف"},
            "fr": {"prefix": "fr", "locale": "fr", "sitename": "Archives"},
            "en": {"prefix": "en", "locale": "en", "sitename": "Archive"},
            "es": {"prefix": "es", "locale": "es", "sitename": "Archivo"},
        },
        "default": "ar",
    },
}
GLOSSARY = "ar\ten\tfr\tes\tnote\nالرباط\tRabat\tRabat\tRabatES\tcity\n"


def test_the_models_a_spanish_site_needs_come_from_the_settings(tmp_path):
    config = load_config({"PATH": str(tmp_path), **SPANISH}, {}, cuda_devices=None)
    assert config.engine_directions() == (("ar", "en"), ("en", "fr"), ("en", "es"))


def test_a_glossary_without_the_new_column_is_named(tmp_path):
    path = tmp_path / "glossary.tsv"
    path.write_text("ar\ten\tfr\tnote\nالرباط\tRabat\tRabat\tcity\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"glossary\.tsv:1: the header has no 'es' column"):
        load_glossary(path, ("ar", "en", "fr", "es"))
    path.write_text(GLOSSARY, encoding="utf-8")
    glossary = load_glossary(path, ("ar", "en", "fr", "es"))
    assert glossary.mapping("en", "es") == {"Rabat": "RabatES"}
    assert glossary.mapping("ar", "fr") == {"الرباط": "Rabat"}


@pytest.mark.slow
def test_a_spanish_section_is_built_from_settings_and_a_glossary_column(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_memory=False)
    (site.content / "glossary.tsv").write_text(GLOSSARY, encoding="utf-8")
    site.build(**SPANISH)
    spanish = site.page("es", SEED_SLUG, "2016")
    assert '<html lang="es" dir="ltr">' in spanish
    assert "[es]" in spanish and "RabatES" in spanish  # translated, with the es glossary form
    assert "RabatES" not in site.page("fr", SEED_SLUG, "2016")
    assert 'hreflang="es"' in site.page("ar", SEED_SLUG, "2016")


def test_a_tiny_en_es_package_translates_spanish_through_the_english(
    tmp_path, installed_tiny_argos
):
    from autotranslate.packages import install_archive
    from autotranslate.stage import translate_site
    from devkit.tiny_argos import build_tiny_package

    install_archive(build_tiny_package(tmp_path / "archives", "en", "es"), installed_tiny_argos)
    site = copy_site(tmp_path, with_memory=False)
    (site.content / "glossary.tsv").write_text(GLOSSARY, encoding="utf-8")
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(site.content), "THEME": str(ROOT / "themes" / "atlas"), **SPANISH},
    )
    translate_site(settings)
    # Random weights give English the quality guards flag, and Spanish is only ever
    # derived from usable English: a person's English it is, as a reviewer would write.
    english = site.catalog("en", SEED_SLUG)
    with english.open("rb") as handle:
        catalog = read_po(handle)
    for number, message in enumerate(m for m in catalog if m.id):
        message.string = f"Reviewed English sentence number {number}."
    with english.open("wb") as handle:
        write_po(handle, catalog, width=0)
    report = translate_site(settings)
    assert report.sent > 0
    entries = TranslationCatalog(site.catalog("es", SEED_SLUG), "ar", "es").entries()
    machine = [e for e in entries if e.provenance]
    assert machine and all(
        e.provenance == "reviewed en + argos translate-en_es 1.0" for e in machine
    )
