"""The benchmark harness measures what its keys say: memory once per page, a fixed MT
sample, the quality guard really off, and a projection that follows its formula.

No timing is asserted here (speed lives in benchmarks/): only counts, sizes and sums.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from benchmarks.memory import TreeSampler
from benchmarks.projection import fit_line, makespan, project
from benchmarks.run import run_worker, worker_env
from benchmarks.workers import distinct_segments, render_article

ROOT = Path(__file__).resolve().parent.parent


def test_tree_memory_counts_pages_shared_after_a_fork_once(tmp_path):
    # A parent fills 60 MB, then forks: both map the same pages until one writes them.
    child = textwrap.dedent(
        """
        import os, sys, time
        block = bytearray(os.urandom(60 * 1024 * 1024))
        pid = os.fork()
        open(sys.argv[1] + ("/child" if pid == 0 else "/parent"), "w").close()
        time.sleep(2)
        if pid:
            os.waitpid(pid, 0)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", child, str(tmp_path)])
    # Sampled only once both exist: before the fork the 60 MB were the parent's own.
    while not ((tmp_path / "child").exists() and (tmp_path / "parent").exists()):
        assert process.poll() is None, "the forking script ended early"
        time.sleep(0.01)
    sampler = TreeSampler(process.pid).start()
    process.wait()
    memory = sampler.stop().report()
    assert memory["most_processes"] == 2  # the forked child was sampled with its parent
    # RSS summed counts the 60 MB twice; PSS summed counts it once, as the machine holds it.
    assert memory["peak_rss_sum_mb"] >= 120
    assert 60 <= memory["peak_pss_mb"] < 90
    assert memory["peak_pss_anon_mb"] >= 60
    # Private pages alone miss what the two share.
    assert memory["peak_uss_mb"] < 30


def test_mt_sample_does_not_follow_the_demo_articles(tmp_path):
    # The same harness in a copy of the project whose demo articles are different.
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "benchmarks", copy / "benchmarks",
                    ignore=shutil.ignore_patterns("work", "__pycache__"))  # fmt: skip
    shutil.copytree(ROOT / "plugins", copy / "plugins",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (copy / "content" / "articles").mkdir(parents=True)
    (copy / "content" / "articles" / "other.md").write_text(
        "Title: مقال آخر\nDate: 2026-12-01\nSlug: other\nLang: ar\n\n"
        "هذه جملة مختلفة تماما عن المقالات الأصلية في الموقع التجريبي.\n",
        encoding="utf-8",
    )
    script = (
        "import sys; sys.path[:0] = ['.', 'plugins']; "
        "from types import SimpleNamespace as S; from benchmarks.run import mt_sample; "
        "print(mt_sample(S(seed=2024, mt_articles=2, compare_articles=2))['described'])"
    )

    def described(folder: Path) -> str:
        done = subprocess.run([sys.executable, "-c", script], cwd=folder, text=True,
                              capture_output=True, check=True)  # fmt: skip
        return done.stdout

    here = described(ROOT)
    assert "'articles': 2" in here and "'seed': 2024" in here
    assert described(copy) == here


@pytest.mark.slow
def test_stage_without_quality_guard_sends_each_segment_once(installed_tiny_argos, tmp_path):
    # Random weights fail every quality check: with the guard really off, no careful retry
    # doubles a segment and every English output gives its French.
    from benchmarks.archive import ArticleWriter, load_seed

    writer = ArticleWriter(load_seed(), seed=2024)
    articles = [render_article(writer.article(i)[1]) for i in range(2)]
    segments = distinct_segments(articles)
    spec = {
        "packages_dir": str(installed_tiny_argos),
        "threads": 1,
        "beam_size": 1,
        "segments": segments,
        "warmup": segments[:2],
        "articles": articles[:1],
        "stage_articles": articles,
        "quality_guard": False,
    }
    env = worker_env(tmp_path, installed_tiny_argos, threads=1, beam_size=1)
    result = run_worker("stage", spec, env, tmp_path)
    assert result["sent"] == 2 * len(segments)  # en, then fr from it
    assert result["segments"] == 2 * len(segments)  # decoded once per direction


def test_projection_follows_its_formula():
    assert fit_line({1000: 12.0, 10000: 102.0}) == (2.0, 0.01)
    assert fit_line({1: 1.0, 2: 2.0, 3: 3.0}) == (0.0, 1.0)
    assert makespan([10, 10, 10], 2) == 20
    assert makespan([5, 10, 10], 4) == 10
    measured = {
        n: {
            "serial_s": 1 + n / 1000,  # 1 s + 1 ms per article
            "sections_s": [n / 500, n / 500, n / 500],  # 2 ms per article each
            "search_index_s": n / 200,
            "peak_pss_mb": 100 + n / 10,
            "section_uss_mb": 10 + n / 50,
            "processes": 2,
        }
        for n in (1000, 10000)
    }
    result = project(measured, 100_000)
    # 3 sections on min(3, 4) = 3 processes: all side by side.
    assert result["runner"]["section_processes"] == 3
    serial, section, search = 1 + 100, 200, 500
    assert result["build_minutes_without_search"] == round((serial + section) / 60, 1)
    assert result["build_minutes"] == round((serial + section + search) / 60, 1)
    # One more section process than measured adds one section's private memory.
    assert result["memory_gb"] == round((100 + 10_000 + (10 + 2_000)) / 1024, 2)
    assert project({1000: measured[1000]}, 100_000) == {
        "skipped": "the projection needs two sizes at least (e.g. --sizes 1000,10000)"
    }


STAGE_SCRIPT = """
import sys, types
sys.path[:0] = ['.', 'plugins']
from benchmarks.workers import wrap_stage
if sys.argv[1] == 'driver':
    # The driver's stage as the build will have it: a module of its own, imported by
    # name into the module that calls it.
    home = types.ModuleType('autotranslate.translation_stage')
    home.run_translation_stage = lambda *args: 'contract'
    sys.modules[home.__name__] = home
    caller = types.ModuleType('caller')
    caller.run_translation_stage = home.run_translation_stage
    sys.modules['caller'] = caller
calls = []
name = wrap_stage(lambda start, end: calls.append(end - start))
if sys.argv[1] == 'driver':
    assert caller.run_translation_stage() == 'contract' and len(calls) == 1, calls
print(name)
"""


@pytest.mark.parametrize(
    ("where", "timed"),
    [
        ("driver", "autotranslate.translation_stage.run_translation_stage"),
        ("hook", "autotranslate.translations.translate_sources"),
    ],
)
def test_the_stage_is_timed_in_the_driver_when_it_is_there_else_in_the_hook(where, timed):
    import importlib.util

    if where == "hook" and importlib.util.find_spec("autotranslate.translation_stage"):
        pytest.skip("the driver's stage exists: the hook is no longer where the stage runs")
    done = subprocess.run([sys.executable, "-c", STAGE_SCRIPT, where], cwd=ROOT, text=True,
                          capture_output=True, check=True)  # fmt: skip
    assert done.stdout.strip() == timed


def test_site_shape_counts_sitemap_files_and_the_page_linking_most_articles(tmp_path):
    from benchmarks.site_shape import site_shape

    def page(path: str, body: str = "") -> None:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")

    for n in range(3):
        for section in ("", "fr/"):
            page(f"{section}2024/a{n}.html")
    page("2024/index.html")  # a year's archive pages are not articles
    page("2024/index2.html")
    # Root-relative, relative, repeated, with a fragment, another site's, a listing page.
    page("index.html", '<a href="/2024/a0.html">x</a><a href="2024/a1.html#top">y</a>'
                       '<a class="k" href="/2024/a1.html">z</a><a href="https://else.org/2024/a2.html">'
                       '</a><a href="/2024/">year</a>')  # fmt: skip
    page("fr/2024/index.html", '<a href="a0.html"></a><a href="../2024/a1.html"></a>'
                               '<a href="a2.html"></a><a href="/2024/a2.html"></a>')  # fmt: skip
    page("fr/2024/a0.html", '<a href="a0.html">itself</a><a href="/2024/a0.html">ar</a>')
    (tmp_path / "sitemap.xml").write_text("<sitemapindex><sitemap><loc>/sitemap-1.xml</loc>"
                                          "</sitemap><sitemap><loc>/sitemap-2.xml</loc></sitemap>"
                                          "</sitemapindex>")  # fmt: skip
    for number, urls in ((1, 3), (2, 1)):
        (tmp_path / f"sitemap-{number}.xml").write_text("<url><loc>u</loc></url>" * urls)
    (tmp_path / "news-sitemap-fr.xml").write_text("<url><loc>u</loc></url>" * 2)
    shape = site_shape(tmp_path)
    assert shape["article_pages"] == 6
    # fr/2024/index.html links fr a0, a1, a2 and the Arabic a2: four articles.
    assert (shape["largest_page_links"], shape["largest_page"]) == (4, "fr/2024/index.html")
    assert shape["sitemap_files"] == 3 and shape["sitemap_largest_urls"] == 3
    assert (shape["news_sitemap_files"], shape["news_sitemap_largest_urls"]) == (1, 2)
