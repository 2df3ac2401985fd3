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


@pytest.mark.slow
def test_benchmark_reports_every_key(installed_tiny_argos, tmp_path, capsys):
    report_file = tmp_path / "report.json"
    main(
        [
            "--quick", "--sizes", "4", "--reps", "1", "--build-reps", "1",
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
