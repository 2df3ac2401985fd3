"""`invoke translate`: the catalogs filled without a site build, in process or on Ray workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from autotranslate.config import ConfigError
from autotranslate.memory import TranslationCatalog
from tests.conftest import ROOT
from tests.support.builds import copy_site

PAGE = """Title: من نحن
Slug: about

<p>أرشيف الأخبار البلدية للمدن المغربية.</p>
"""


def _settings(site, **autotranslate):
    """Pelican settings of the project, pointed at a content copy."""
    overrides = {
        "PATH": str(site.content),
        "CACHE_PATH": str(site.root / "cache"),
        "THEME": str(ROOT / "themes" / "atlas"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
    }
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=overrides)
    settings["AUTOTRANSLATE"] = {**settings["AUTOTRANSLATE"], "progress": False, **autotranslate}
    return settings


def _fresh_site(tmp_path, name: str):
    """A copy of the demo articles and an About page, with an empty translation memory."""
    site = copy_site(tmp_path / name, with_memory=False)
    (site.content / "pages").mkdir()
    (site.content / "pages" / "about.md").write_text(PAGE, encoding="utf-8")
    return site


def _entries(catalog_dir: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Return every catalog's entries (source, text, status, provenance), by relative path."""
    found = {}
    for path in sorted(catalog_dir.rglob("*.po")):
        lang = path.relative_to(catalog_dir).parts[0]
        catalog = TranslationCatalog(path, "ar", lang)
        found[str(path.relative_to(catalog_dir))] = [
            (e.source, e.text, e.status.value, e.provenance) for e in catalog.entries()
        ]
    return found


def _no_duplicate_msgids(catalog_dir: Path) -> None:
    for path in catalog_dir.rglob("*.po"):
        ids = [line for line in path.read_text("utf-8").splitlines() if line.startswith("msgid ")]
        assert len(ids) == len(set(ids)), path


def test_translate_fills_articles_pages_and_terms_without_building(tmp_path, installed_tiny_argos):
    from autotranslate.stage import translate_site

    site = _fresh_site(tmp_path, "one")
    first = translate_site(_settings(site))
    catalogs = site.content / "translations"
    written = set(_entries(catalogs))
    for lang in ("en", "fr"):
        assert f"{lang}/rabat-oicc-14th-general-conference.po" in written
        assert f"{lang}/pages/about.po" in written  # a page has its own catalog folder
        assert f"{lang}/_terms.po" in written
    demo_articles = len(list((site.content / "articles").glob("*.md")))
    assert first.contents == demo_articles + 1 and first.sent > 0  # the articles and the page
    assert not site.output.exists()  # no page was built
    page = _entries(catalogs)["en/pages/about.po"]
    assert any("أرشيف الأخبار البلدية" in source and text for source, text, _, _ in page)
    again = translate_site(_settings(site))
    assert again.sent == 0 and again.segments == first.segments


def test_in_process_workers_share_one_engine(tmp_path, installed_tiny_argos):
    from autotranslate.stage import stage_config

    config = stage_config(_settings(_fresh_site(tmp_path, "w")), workers=2)
    assert config.argos.inter_threads == 2 and config.argos.intra_threads >= 1


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"device": "cuda"}, "--device: 'cuda' asked, but CTranslate2 sees no CUDA device"),
        ({"cluster": "10.0.0.1"}, "--cluster: '10.0.0.1' is not a Ray address"),
        ({"cluster": "local", "engine": "pseudo"}, "the cluster runs the argos engine only"),
        ({"workers": 0}, "--workers: must be at least 1"),
    ],
)
def test_bad_flags_are_refused_by_name(tmp_path, flags, message):
    from autotranslate.stage import translate_site

    with pytest.raises(ConfigError, match=message):
        translate_site(_settings(_fresh_site(tmp_path, "f")), **flags)


def test_a_missing_ray_is_named_with_the_install_command(tmp_path, monkeypatch):
    from autotranslate.config import ArgosSettings
    from autotranslate.engines.cluster import ClusterEngine, ClusterError

    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` does without the extra
    with pytest.raises(ClusterError, match=r"uv run --extra cluster invoke translate"):
        ClusterEngine(ArgosSettings(), "local", 2)


def test_the_task_refuses_cuda_without_a_traceback(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "translate", "--device", "cuda"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "--device: 'cuda' asked" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# -- Ray: a local two-worker cluster, started once for these tests (about 11 s) --------------


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """Start a local Ray cluster with two CPUs; Ray writes its auth token under a temp HOME."""
    ray = pytest.importorskip(
        "ray", reason="Ray is the optional 'cluster' extra: python3 -m uv run --extra cluster ..."
    )
    home = tmp_path_factory.mktemp("ray-home")
    saved = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    paths = os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])
    try:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": paths, "HOME": str(home)}})  # fmt: skip
        yield ray
    finally:
        ray.shutdown()
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved


def _run(site, engine, progress=None):
    """Translate the site's sources with this engine through the build's own pipeline."""
    from autotranslate.pipeline import TranslationRun
    from autotranslate.sources import read_site
    from autotranslate.stage import stage_config

    settings = _settings(site, checkpoint_segments=8)
    config = stage_config(settings)
    run = TranslationRun(config, lambda: engine, progress)
    run.translate_all(read_site(settings, config).texts())
    return run


def test_a_two_worker_cluster_writes_the_same_entries_as_in_process(
    tmp_path, installed_tiny_argos, ray_cluster
):
    from autotranslate.engines.argos import ArgosEngine
    from autotranslate.stage import translate_site

    here, there = _fresh_site(tmp_path, "here"), _fresh_site(tmp_path, "there")
    _run(here, ArgosEngine(_settings_argos()))
    # The command's own path: --cluster local joins the running cluster, two workers.
    report = translate_site(_settings(there, checkpoint_segments=8), cluster="local", workers=2)
    assert report.sent > 0
    in_process = _entries(here.content / "translations")
    on_cluster = _entries(there.content / "translations")
    articles = len(list((there.content / "articles").glob("*.md")))
    # One catalog per article, the page and the terms, in each of the two languages.
    assert on_cluster == in_process and len(in_process) == 2 * (articles + 2)
    _no_duplicate_msgids(there.content / "translations")


def _settings_argos():
    from autotranslate.config import ArgosSettings

    # What the cluster's workers run with: one thread each (see ClusterEngine).
    return ArgosSettings(intra_threads=1)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    tmp_path, installed_tiny_argos, ray_cluster
):
    from autotranslate.engines.argos import ArgosEngine
    from autotranslate.engines.cluster import ClusterEngine

    reference = _fresh_site(tmp_path, "reference")
    _run(reference, ArgosEngine(_settings_argos()))

    site = _fresh_site(tmp_path, "killed")
    engine = ClusterEngine(_settings_argos(), "local", 2, shard_size=4)
    before = engine.worker_pids()
    killed = []

    def progress(total, description):
        def advance(done):
            if not killed:  # after the first shard: kill every worker, busy or not
                for pid in before:
                    os.kill(pid, signal.SIGKILL)
                killed.extend(before)

        return advance

    try:
        run = _run(site, engine, progress)
        after = engine.worker_pids()
    finally:
        engine.close()
    assert killed and not set(after) & set(before)  # the workers really died and came back
    assert not run.problems
    _no_duplicate_msgids(site.content / "translations")
    assert _entries(site.content / "translations") == _entries(reference.content / "translations")


def test_the_cluster_benchmark_compares_equal_work(installed_tiny_argos, ray_cluster):
    from benchmarks.cluster import benchmark_segments, measure

    report = measure(installed_tiny_argos, benchmark_segments(24), workers=2, beam=2)
    # Same batches, same output in all three modes: the ratio compares equal work.
    assert report["same_output_size"] and report["cluster"]["output_chars"] > 0
    assert report["cluster_vs_inprocess"] > 0 and report["workers_vs_inprocess"] > 0
