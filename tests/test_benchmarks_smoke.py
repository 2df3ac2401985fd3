"""Smoke test: the benchmark runs end to end on a tiny archive and reports every key."""

from __future__ import annotations

import json

import pytest

from benchmarks.run import main

KEYS = (
    "mt_vs_ctranslate2",
    "mt_vs_argostranslate",
    "warm_rebuild_vs_pelican",
    "warm_build_vs_sequential_pelican",
    "pipeline_vs_ctranslate2",
    "parallel_total_peak_rss_vs_sequential",
    "parallel_total_private_vs_sequential",
    "incremental_extra_segments",
)
# Issue 20's keys, each with its spread over the repetitions.
SPREAD_KEYS = (
    "warm_build_vs_sequential_pelican",
    "lookup_stage_vs_one_section",
    "search_index_s",
    "pipeline_vs_ctranslate2",
    "mt_vs_argostranslate",
    "parallel_total_pss_vs_sequential",
)


@pytest.mark.slow
def test_benchmark_reports_every_key(installed_tiny_argos, tmp_path, capsys):
    report_file = tmp_path / "report.json"
    main(
        [
            "--quick", "--sizes", "4", "--reps", "1", "--build-reps", "2",
            "--mt-articles", "1", "--compare-articles", "1", "--cluster-segments", "0",
            "--packages-dir", str(installed_tiny_argos),
            "--work", str(tmp_path / "work"), "--json", str(report_file),
        ]
    )  # fmt: skip
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == report
    for key in KEYS[:-1]:
        assert isinstance(report[key], float) and report[key] > 0, key
    assert isinstance(report["incremental_extra_segments"], int)
    # The cluster figure has its own test (test_translate_stage); here it says why it is absent.
    assert report["cluster_vs_inprocess"] is None
    assert report["cluster"] == {"skipped": "--cluster-segments 0"}
    build = report["builds"]["4"]
    assert build["warm_sent_to_engine"] == 0  # a full memory never reaches the engine
    assert build["incremental"]["changed_segments"] > 0
    assert build["section_processes"] >= 1
    for system in ("ctranslate2", "engine", "pipeline", "stage", "argostranslate"):
        figures = report["mt"][system]
        assert figures["segments"] > 0 and figures["tokens_per_s"] > 0, system
        assert figures["peak_rss_mb"] > 0, system
    # Every system decoded exactly the forced length: equal work per segment.
    assert report["mt"]["engine"]["useful_tokens"] == report["mt"]["ctranslate2"]["useful_tokens"]
    # Pagefind is timed on its own, never inside the timed builds of either side.
    assert build["search_index_s_in_warm_builds"] == 0
    assert report["search_index_s"] > 0 and build["edit_rebuild"]["search_index_s"] > 0
    # The look-up stage is found and timed in the build (a fraction of one section).
    assert build["stage_function"] and report["lookup_stage_vs_one_section"] > 0
    for key in SPREAD_KEYS:
        spread = report["spread"][key]
        assert spread["min"] <= report[key] <= spread["max"], key
    # Every measured key has its spread (the best batch size is a choice, not a figure).
    measured = [k for k, v in report.items() if isinstance(v, int | float)]
    for key in set(measured) - {"pipeline_best_max_batch_size", "total_seconds"}:
        spread = report["spread"][key]
        assert spread["min"] <= report[key] <= spread["max"], key
    # Warm builds are full builds: both of ours rendered every page, each time.
    rendered = build["warm_ours_rendered"] + build["warm_ours_sequential_rendered"]
    assert len(rendered) == 4 and len(set(rendered)) == 1 and rendered[0] > 0
    assert len(report["spread"]["warm_build_vs_sequential_pelican"]["per_rep"]) == 2
    # Raw CTranslate2 did the stage's two directions at each batch size; the best is named.
    assert report["pipeline_best_max_batch_size"] in (8, 16, 32, 64)
    assert report["mt"]["ctranslate2_pivot"]["segments"] == report["mt"]["stage"]["segments"]
    assert report["mt"]["sample"]["seed"] == 2024 and report["mt"]["sample"]["articles"] == 1
    # The edit rebuild is a normal build with the real engine: each new segment, en and fr.
    edit = build["edit_rebuild"]
    assert edit["changed_segments"] > 0
    assert edit["sent_to_engine"] == 2 * edit["changed_segments"]
    # It is an incremental build: pages the edit does not touch are kept, not rendered.
    assert 0 < edit["rendered"] < rendered[0] and edit["kept"] > 0
    assert edit["seconds"] == pytest.approx(edit["build_s"] + edit["search_index_s"], abs=0.02)
    assert len(report["spread"]["edit_rebuild_vs_warm_build"]["per_rep"]) == 2
    # Memory was sampled across the section processes, not only in the driver.
    assert build["warm_ours_memory"]["most_processes"] == 1 + build["section_processes"]
    assert build["warm_ours_sequential_memory"]["most_processes"] == 1


@pytest.mark.slow
def test_memory_run_reports_growth_and_projection(installed_tiny_argos, tmp_path, capsys):
    main(
        [
            "--memory", "--sizes", "3,6", "--packages-dir", str(installed_tiny_argos),
            "--work", str(tmp_path / "work"), "--json", str(tmp_path / "report.json"),
        ]
    )  # fmt: skip
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "projection to N=100,000" in capsys.readouterr().err
    assert set(report["growth"]) == {"3", "6"}
    for row in report["growth"].values():
        assert row["peak_rss_mb"] > 0 and row["plain_peak_rss_mb"] > 0
        assert row["edit_rebuild_s"] > 0 and row["edit_rebuild_vs_warm_build"] > 0
    projection = report["projection"]
    assert set(projection["points"]) == {"3", "6"}
    # Tiny sizes extrapolate to nonsense; the projection must still be its formula's value.
    fits, target = projection["fits_a_plus_b_n"], projection["target_articles"]
    extra = projection["runner"]["section_processes"] - report["builds"]["6"]["section_processes"]
    memory_mb = sum(
        (fits[name]["a"] + fits[name]["b"] * target) * weight
        for name, weight in (("peak_pss_mb", 1), ("section_uss_mb", extra))
    )
    assert projection["memory_gb"] == pytest.approx(memory_mb / 1024, abs=0.01)
    assert "mt_vs_argostranslate" not in report  # builds only
