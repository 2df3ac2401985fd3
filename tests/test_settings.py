"""AUTOTRANSLATE: one dataclass tree, checked once at start-up, every bad value named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autotranslate.config import ArgosSettings, AutotranslateConfig, ConfigError, load_config
from tests.support.site import ROOT, isolated_env, write_settings

TRILINGUAL = {
    "languages": {"ar": {"prefix": ""}, "en": {"prefix": "en"}, "fr": {"prefix": "fr"}},
    "default": "ar",
}


def _load(tmp_path, environ=None, **autotranslate):
    return load_config(
        {"PATH": str(tmp_path), "TRILINGUAL": TRILINGUAL, "AUTOTRANSLATE": autotranslate},
        environ or {},
        cuda_devices=lambda: 0,
    )


def test_defaults_live_in_the_dataclasses(tmp_path):
    config = load_config({"PATH": str(tmp_path)}, {}, cuda_devices=lambda: 0)
    defaults = AutotranslateConfig()
    assert (config.source, config.targets, config.pivot) == ("ar", ("en", "fr"), "en")
    assert config.argos == ArgosSettings() and config.strict is defaults.strict is False
    assert config.catalog_dir == tmp_path / "translations"
    assert config.glossary == tmp_path / "glossary.tsv"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"strict": "no"}, r"AUTOTRANSLATE\['strict'\]: must be True or False, not 'no'"),
        ({"progress": 1}, r"AUTOTRANSLATE\['progress'\]: must be True or False, not 1"),
        ({"checkpoint_segments": True}, r"\['checkpoint_segments'\]: must be a whole number"),
        ({"stirct": True}, r"AUTOTRANSLATE\['stirct'\]: unknown setting; known: .*strict"),
        ({"argos": {"beams": 2}}, r"AUTOTRANSLATE\['argos'\]\['beams'\]: unknown setting"),
        ({"argos": {"beam_size": "4"}}, r"\['argos'\]\['beam_size'\]: must be a whole number"),
        ({"argos": {"compute_type": "float8"}}, r"\['argos'\]\['compute_type'\]: must be one of"),
        ({"targets": ["en", "en"]}, r"AUTOTRANSLATE\['targets'\]: lists a language twice"),
        ({"pivot": "de"}, r"AUTOTRANSLATE\['pivot'\]: 'de' is not one of the targets"),
        ({"targets": ["en"]}, r"TRILINGUAL\['languages'\] has a 'fr' section but .* lacks 'fr'"),
        ({"targets": ["en", "fr", "es"]}, r"has 'es' but TRILINGUAL\['languages'\] has no 'es'"),
        ({"source": "en", "targets": ["fr"], "pivot": None}, r"TRILINGUAL\['default'\] is 'ar'"),
    ],
)
def test_a_bad_setting_is_named(tmp_path, settings, message):
    with pytest.raises(ConfigError, match=message):
        _load(tmp_path, **settings)


def test_environment_overrides_are_checked(tmp_path):
    assert _load(tmp_path, {"AUTOTRANSLATE_STRICT": "1"}).strict is True
    assert _load(tmp_path, {"AUTOTRANSLATE_STRICT": "0"}, strict=True).strict is False
    with pytest.raises(ConfigError, match="environment variable AUTOTRANSLATE_STRICT: must be 0"):
        _load(tmp_path, {"AUTOTRANSLATE_STRICT": "yes"})
    assert _load(tmp_path, {"AUTOTRANSLATE_ENGINE": "pseudo"}).engine == "pseudo"
    with pytest.raises(ConfigError, match="environment AUTOTRANSLATE_ENGINE: unknown engine"):
        _load(tmp_path, {"AUTOTRANSLATE_ENGINE": "deepl"})


def test_cuda_compute_types_need_a_cuda_device(tmp_path):
    with pytest.raises(ConfigError, match=r"\['compute_type'\]: 'float16' needs a CUDA device"):
        _load(tmp_path, argos={"compute_type": "float16"})
    with pytest.raises(ConfigError, match=r"'int8_float16' needs a CUDA device; .* 'auto'"):
        _load(tmp_path, argos={"compute_type": "int8_float16", "device": "auto"})


def test_cuda_is_refused_where_ctranslate2_sees_no_device(tmp_path):
    settings = {"PATH": str(tmp_path), "AUTOTRANSLATE": {"argos": {"device": "cuda"}}}
    with pytest.raises(ConfigError, match=r"AUTOTRANSLATE\['argos'\]\['device'\]: 'cuda' asked"):
        load_config(settings, {}, cuda_devices=lambda: 0)
    with pytest.raises(ConfigError, match="--device: 'cuda' asked, but CTranslate2 sees no"):
        load_config({"PATH": str(tmp_path)}, {}, device="cuda", cuda_devices=lambda: 0)
    with pytest.raises(ConfigError, match="--device: must be one of cpu, cuda, auto"):
        load_config({"PATH": str(tmp_path)}, {}, device="gpu", cuda_devices=lambda: 0)


def test_auto_picks_cuda_only_when_a_device_is_seen(tmp_path):
    settings = {"PATH": str(tmp_path), "AUTOTRANSLATE": {"argos": {"device": "auto"}}}
    assert load_config(settings, {}, cuda_devices=lambda: 0).argos.device == "cpu"
    on_gpu = load_config(settings, {}, cuda_devices=lambda: 2)
    assert on_gpu.argos.device == "cuda"
    float16 = {"PATH": str(tmp_path), "AUTOTRANSLATE": {"argos": {"compute_type": "float16"}}}
    assert load_config(float16, {}, device="cuda", cuda_devices=lambda: 1).argos.device == "cuda"


def test_the_pseudo_engine_never_asks_ctranslate2_for_devices(tmp_path):
    def no_probe():
        raise AssertionError("the pseudo engine needs no device")

    config = load_config({"PATH": str(tmp_path)}, {}, engine="pseudo", device="cuda",
                         cuda_devices=no_probe)  # fmt: skip
    assert config.engine == "pseudo"


def test_this_machine_really_has_no_cuda_device():
    from autotranslate.config import cuda_device_count

    # The real probe answers here (no GPU on the build machines), without raising.
    assert cuda_device_count() == 0


def test_a_bad_setting_stops_the_build_before_reading_content_without_traceback(tmp_path):
    settings = write_settings(
        tmp_path, ROOT / "content", 'AUTOTRANSLATE = {**AUTOTRANSLATE, "strict": "no"}\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "trilingual", "build", "-q", "-s", str(settings),
         "-o", str(tmp_path / "output")],
        cwd=ROOT, env=isolated_env(tmp_path / "home"), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "error: AUTOTRANSLATE['strict']: must be True or False, not 'no'" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "output" / "index.html").exists()
