"""Smoke test: the benchmark runs end to end on a tiny archive and reports every key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.archive import write_archive
from benchmarks.hugo_site import build as hugo_build
from benchmarks.hugo_site import hugo_binary, write_site
from benchmarks.run import main

ROOT = Path(__file__).resolve().parent.parent

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
    # Warm builds are full builds: in each round both of ours (nothing changed between
    # them) rendered every page; each round adds an article.
    rendered = build["warm_ours_rendered"]
    assert rendered == build["warm_ours_sequential_rendered"] and len(rendered) == 2
    assert 0 < rendered[0] < rendered[1]
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
    # A new article (the newest) is rendered with the listings it shifts, not the rest.
    added = build["add_article_rebuild"]
    assert added["sent_to_engine"] == 2 * added["changed_segments"] > 0
    assert 0 < added["rendered"] < rendered[0] and added["kept"] > 0
    # The site's shape after the additions: one sitemap file, and with 4 + 2 articles the
    # page listing the most links them all.
    shape = build["shape"]
    assert shape["sitemap_files"] == 1 and shape["article_pages"] == 3 * (4 + 2)
    assert shape["largest_page_links"] >= 4 + 2
    row = report["growth"]["4"]
    assert row["largest_page_links"] == shape["largest_page_links"]
    assert row["add_article_rebuild_s"] > 0 and row["sitemap_files"] == 1
    if hugo_binary()[0] is None:
        assert report["hugo_ratio"] is None and "not installed" in build["hugo"]["skipped"]
    else:
        assert report["hugo_ratio"] > 0 and len(report["spread"]["hugo_ratio"]["per_rep"]) == 2
        # Hugo built the articles ours had in the last round: 4 + 1 added.
        assert build["hugo"]["article_pages"] == {"ar": 5, "fr": 5, "en": 5}
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


def test_hugo_builds_the_archive_as_a_three_language_site(tmp_path):
    binary, missing = hugo_binary()
    if binary is None:
        pytest.skip(missing)
    import xml.etree.ElementTree as ET

    from pelican.settings import read_settings

    from benchmarks.hugo_site import PAGER_SIZE, RSS_LIMIT

    ours = read_settings(str(ROOT / "pelicanconf.py"))
    assert (ours["DEFAULT_PAGINATION"], ours["FEED_MAX_ITEMS"]) == (PAGER_SIZE, RSS_LIMIT)
    paths = write_archive(tmp_path / "articles", 12)
    site = write_site(tmp_path / "hugo", paths)
    result = hugo_build(site, binary)
    public = site / "public"
    assert result["article_pages"] == {"ar": 12, "fr": 12, "en": 12}
    # Every article page is in its language's sitemap, under the index Hugo writes.
    sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(public / "sitemap.xml").getroot()
    assert index.tag == f"{sm}sitemapindex"
    listed = set()
    for lang in ("ar", "fr", "en"):
        urls = ET.parse(public / lang / "sitemap.xml").getroot().iter(f"{sm}loc")
        listed |= {url.text for url in urls}
    slugs = {path.stem.split("-", 3)[-1] for path in paths}
    articles = {url for url in listed if url.rstrip("/").rsplit("/", 1)[-1] in slugs}
    assert len(articles) == 3 * 12
    # An RSS feed per language with every article (12 < its limit).
    for feed in (public / "index.xml", public / "fr" / "index.xml", public / "en" / "index.xml"):
        assert len(ET.parse(feed).getroot().findall("channel/item")) == 12
    # Paginated: 10 a page, so the home page has a second one in each language.
    for home in (public, public / "fr", public / "en"):
        assert (home / "page" / "2" / "index.html").is_file()
        assert not (home / "page" / "3").exists()
