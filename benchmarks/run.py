"""Run every benchmark in one process tree, interleaved, and write the JSON report.

``python -m benchmarks.run [--quick] [--json FILE]`` (or ``invoke bench``). Each
measurement runs in its own subprocess (benchmarks.workers) so peak RSS is its own;
repetitions rotate the order of the systems so drift hits them all alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.stats import median, paired_ratios, rate, spread

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
MT_SYSTEMS = ("ctranslate2", "engine", "pipeline", "stage", "argostranslate")


def _setup_path() -> None:
    for path in (ROOT, ROOT / "plugins"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def worker_env(work: Path, packages_dir: Path, threads: int, beam_size: int) -> dict[str, str]:
    """Return the environment every worker runs in: same threads, beam and int8 everywhere."""
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        # argostranslate creates folders under these at import time: keep them in work/.
        env[var] = str(work / "xdg" / var.lower())
    env.update(
        ARGOS_PACKAGES_DIR=str(packages_dir),
        ARGOS_BEAM_SIZE=str(beam_size),
        ARGOS_INTER_THREADS="1",
        ARGOS_INTRA_THREADS=str(threads),
        ARGOS_COMPUTE_TYPE="int8",
        ARGOS_DEVICE_TYPE="cpu",
        PYTHONHASHSEED="0",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "plugins")]),
    )
    return env


def run_worker(
    task: str, spec: dict[str, Any], env: dict[str, str], work: Path, *, sample: bool = False
) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its result.

    With ``sample``, the memory of its whole process tree is sampled from here while
    it runs (benchmarks.memory) and added to the result as ``memory``.
    """
    from benchmarks.memory import TreeSampler

    scratch = work / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        spec_file, result_file = Path(folder) / "spec.json", Path(folder) / "result.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.workers", task, str(spec_file)]
        command.append(str(result_file))
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)  # fmt: skip
        sampler = TreeSampler(process.pid).start() if sample else None
        _, stderr = process.communicate()
        memory = sampler.stop() if sampler else None
        if process.returncode != 0:
            raise RuntimeError(f"benchmark worker {task} failed:\n{stderr[-3000:]}")
        result = json.loads(result_file.read_text(encoding="utf-8"))
    if memory is not None:
        result["memory"] = memory.report()
    return result


def measure_cluster(opts, packages_dir: Path, log) -> dict[str, Any]:
    """Time the engine in process against a local Ray cluster, one worker, same threads.

    Ray is the optional ``cluster`` extra: without it (or with ``--cluster-segments 0``)
    the report says why there is no figure instead of failing.
    """
    if not opts.cluster_segments:
        return {"skipped": "--cluster-segments 0"}
    if importlib.util.find_spec("ray") is None:
        return {"skipped": "Ray is not installed: run with `uv run --extra cluster`"}
    log(f"cluster against in-process ({opts.cluster_segments} segments, 1 worker)…")
    scratch = opts.work / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        result_file = Path(folder) / "cluster.json"
        command = [sys.executable, "-m", "benchmarks.cluster", "--segments",
                   str(opts.cluster_segments), "--beam", str(opts.beam_size),
                   "--workers", "1", "--threads", str(opts.threads), "--reps", str(opts.reps),
                   "--packages-dir", str(packages_dir), "--json", str(result_file)]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"cluster benchmark failed:\n{done.stderr[-3000:]}")
        return json.loads(result_file.read_text(encoding="utf-8"))


def mt_sample(opts) -> dict[str, Any]:
    """Return the fixed MT sample: the first articles of the benchmark's own archive.

    Articles 0 … mt_articles−1 of ``ArticleWriter(frozen seed sentences, seed)``, never
    the demo's content; article number mt_articles is the untimed warm-up.
    """
    import hashlib

    from benchmarks.archive import ArticleWriter, load_seed
    from benchmarks.workers import distinct_segments, render_article

    writer = ArticleWriter(load_seed(), seed=opts.seed)
    markdown = [writer.article(i)[1] for i in range(opts.mt_articles + 1)]
    articles = [render_article(text) for text in markdown]
    warmup = articles.pop()
    compare = articles[: opts.compare_articles]
    segments = distinct_segments(articles)
    digest = hashlib.sha256("\n".join(markdown[:-1]).encode("utf-8")).hexdigest()
    return {
        "articles": articles,
        "warmup": warmup,
        "compare": compare,
        "segments": segments,
        "described": {
            "source": "benchmarks/seed_ar.json via benchmarks.archive.ArticleWriter",
            "seed": opts.seed,
            "articles": len(articles),
            "segments": len(segments),
            "characters": sum(len(s) for s in segments),
            "compare_articles": len(compare),
            "compare_segments": len(distinct_segments(compare)),
            "sha256": digest,
        },
    }


def _best_batch_size(runs: list[dict[str, Any]], key: str, sizes: list[int]) -> dict[str, Any]:
    """Summarise raw CTranslate2 per batch size and pick the fastest (median tokens/s)."""
    by_size = {size: _summarise([r[key][str(size)] for r in runs]) for size in sizes}
    best = max(by_size, key=lambda size: by_size[size]["tokens_per_s"])
    per_rep = [r[key][str(best)] for r in runs]
    return {
        **by_size[best],
        "best_max_batch_size": best,
        "per_rep_tokens_per_s": [rate(r["useful_tokens"], r["seconds"]) for r in per_rep],
        "by_max_batch_size": {str(k): v for k, v in by_size.items()},
    }


def measure_mt(opts, packages_dir: Path, env: dict[str, str], log) -> dict[str, Any]:
    """Time raw CTranslate2, our engine, the stage and argostranslate, interleaved."""
    from benchmarks.workers import distinct_segments

    sample = mt_sample(opts)
    same = opts.compare_articles >= opts.mt_articles  # argostranslate gets the stage's sample
    spec = {
        "packages_dir": str(packages_dir),
        "threads": opts.threads,
        "beam_size": opts.beam_size,
        "segments": sample["segments"],
        "warmup": distinct_segments([sample["warmup"]])[:8],
        # Two lines load both models; a whole article would only lengthen the run.
        "warmup_text": "\n".join(sample["warmup"]["text"].splitlines()[:2]),
        "articles": sample["compare"],
        "stage_articles": sample["articles"],
        "batch_sizes": opts.batch_sizes,
        "quality_guard": False,
    }
    systems = [name for name in MT_SYSTEMS if not (same and name == "pipeline")]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    for rep in range(opts.reps):
        order = systems[rep % len(systems) :] + systems[: rep % len(systems)]
        for name in order:
            started = time.perf_counter()
            runs[name].append(run_worker(name, spec, env, opts.work))
            log(f"  mt rep {rep + 1}/{opts.reps} {name}: {time.perf_counter() - started:.0f} s")
    ours = runs["stage"] if same else runs["pipeline"]
    raw = {
        "sample": sample["described"],
        "ctranslate2": _best_batch_size(runs["ctranslate2"], "by_batch_size", opts.batch_sizes),
        # ar→en then en→fr from its own English: the stage's work, done raw.
        "ctranslate2_pivot": _best_batch_size(
            runs["ctranslate2"], "pivot_by_batch_size", opts.batch_sizes
        ),
        "engine": _summarise(runs["engine"]),
        "stage": _summarise(runs["stage"]),
        "pipeline": _summarise(ours),
        "argostranslate": _summarise(runs["argostranslate"]),
        "argostranslate_gets": "the stage's articles" if same else "the compare articles",
    }
    raw["ctranslate2"]["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs["ctranslate2"])
    per_rep = {
        "mt_vs_ctranslate2": paired_ratios(
            [rate(r["useful_tokens"], r["seconds"]) for r in runs["engine"]],
            raw["ctranslate2"]["per_rep_tokens_per_s"],
        ),
        # The whole stage (alignment, markup, catalogs, glossary, en then fr from it) against
        # raw CTranslate2 doing the same two directions on the same segments.
        "pipeline_vs_ctranslate2": paired_ratios(
            [rate(r["useful_tokens"], r["seconds"]) for r in runs["stage"]],
            raw["ctranslate2_pivot"]["per_rep_tokens_per_s"],
        ),
        "mt_vs_argostranslate": paired_ratios(
            [r["seconds"] for r in runs["argostranslate"]], [r["seconds"] for r in ours]
        ),
    }
    # Each key is the median of its per-round ratios, as the build keys are, so it lies
    # within its spread (a ratio of medians need not).
    for key, values in per_rep.items():
        raw[key] = round(median(values), 3)
    raw["pipeline_best_max_batch_size"] = raw["ctranslate2_pivot"]["best_max_batch_size"]
    raw["spread"] = {key: spread(values) for key, values in per_rep.items()}
    return raw


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return medians over repetitions: seconds, segments/s, tokens/s, peak RSS."""
    seconds = median([r["seconds"] for r in runs])
    first = runs[0]
    summary = {
        "seconds": round(seconds, 3),
        "seconds_all": [round(r["seconds"], 3) for r in runs],
        "segments": first["segments"],
        "useful_tokens": first["useful_tokens"],
        "decoded_tokens": first["decoded_tokens"],
        "segments_per_s": rate(first["segments"], seconds),
        "tokens_per_s": rate(first["useful_tokens"], seconds),
        "decoded_tokens_per_s": rate(first["decoded_tokens"], seconds),
    }
    if "peak_rss_mb" in first:
        summary["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return summary


def scale_point(build: dict[str, Any]) -> dict[str, Any]:
    """Return what the projection needs from one size's build figures."""
    breakdowns = build["warm_ours_breakdown"]
    pooled = [[s["seconds"] for s in b["sections"] if not s["in_driver"]] for b in breakdowns]
    at_peak = build["warm_ours_memory"]["at_pss_peak"]
    children = at_peak.get("children_uss_mb") or [0.0]
    return {
        "serial_s": round(median([b["serial_s"] for b in breakdowns]), 2),
        "sections_s": [round(median(list(times)), 2) for times in zip(*pooled, strict=True)],
        "search_index_s": build["search_index_s"],
        "peak_pss_mb": build["warm_ours_memory"]["peak_pss_mb"],
        "section_uss_mb": round(sum(children) / len(children), 1),
        "processes": build["section_processes"],
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; --quick picks the small sizes, --memory the growth run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="N=100 only, small MT sample")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="growth and memory run: site builds only at --sizes (default 1000,10000), "
        "peak memory against plain Pelican, an edit's and an added article's rebuild, Hugo "
        "beside, projection to N=100,000",
    )
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--reps", type=int, help="MT and cluster repetitions (median reported)")
    parser.add_argument("--build-reps", type=int, help="warm build repetitions")
    parser.add_argument("--mt-articles", type=int, help="articles of the fixed MT sample")
    parser.add_argument(
        "--compare-articles", type=int, help="of those, the first N argostranslate gets"
    )
    parser.add_argument("--packages-dir", type=Path, help="use these packages (default: build)")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2024, help="the MT sample's seed")
    parser.add_argument(
        "--cluster-segments", type=int, help="segments for cluster_vs_inprocess (0: skip)"
    )
    parser.add_argument("--project-to", type=int, default=100_000, help="--memory: target N")
    opts = parser.parse_args(argv)
    if opts.memory:
        defaults = {"sizes": [1000, 10000], "reps": 1, "build_reps": 1, "mt_articles": 0,
                    "compare_articles": 0, "cluster_segments": 0}  # fmt: skip
    elif opts.quick:
        defaults = {"sizes": [100], "reps": 3, "build_reps": 3, "mt_articles": 3,
                    "compare_articles": 3, "cluster_segments": 64}  # fmt: skip
    else:
        defaults = {"sizes": [100, 1000, 10000], "reps": 3, "build_reps": 3,
                    "mt_articles": 10, "compare_articles": 10, "cluster_segments": 256}  # fmt: skip
    for key, value in defaults.items():
        if getattr(opts, key) is None:
            setattr(opts, key, value)
    opts.batch_sizes = [8, 16, 32, 64]
    return opts


TOP_BUILD_KEYS = (
    "warm_build_vs_sequential_pelican",
    "lookup_stage_vs_one_section",
    "search_index_s",
    "warm_rebuild_vs_pelican",
    "parallel_total_pss_vs_sequential",
    "parallel_total_private_vs_sequential",
    "parallel_total_peak_rss_vs_sequential",
    "edit_rebuild_vs_warm_build",
    "warm_build_peak_pss_vs_plain",
    "warm_build_largest_rss_vs_plain",
    "add_article_rebuild_vs_warm_build",
    "hugo_ratio",
)


def run(opts: argparse.Namespace, log=print) -> dict[str, Any]:
    """Run the benchmarks described by opts and return the report."""
    from benchmarks.model import benchmark_packages, package_summary
    from benchmarks.projection import describe, project
    from benchmarks.site_builds import measure_builds

    opts.work.mkdir(parents=True, exist_ok=True)
    packages_dir = opts.packages_dir or benchmark_packages(opts.work)
    env = worker_env(opts.work, packages_dir, opts.threads, opts.beam_size)
    started = time.perf_counter()
    report: dict[str, Any] = {}
    mt: dict[str, Any] = {}
    if not opts.memory:
        log("machine translation (interleaved)…")
        mt = measure_mt(opts, packages_dir, env, log)
        for key in ("mt_vs_ctranslate2", "mt_vs_argostranslate", "pipeline_vs_ctranslate2",
                    "pipeline_best_max_batch_size"):  # fmt: skip
            report[key] = mt[key]
    builds = {}
    for count in opts.sizes:
        log(f"site builds, N={count}…")
        builds[str(count)] = measure_builds(opts, count, packages_dir, env, log)
    largest = builds[str(max(opts.sizes))]
    for key in TOP_BUILD_KEYS:
        if key in largest:
            report[key] = largest[key]
    report["incremental_extra_segments"] = max(
        b["incremental_extra_segments"] for b in builds.values()
    )
    cluster = measure_cluster(opts, packages_dir, log)
    report["cluster_vs_inprocess"] = cluster.get("cluster_vs_inprocess")
    report["spread"] = {
        **mt.get("spread", {}),
        **largest["spread"],
        **({"cluster_vs_inprocess": cluster["spread"]} if "spread" in cluster else {}),
    }
    report["growth"] = {n: _growth_row(b) for n, b in builds.items()}
    if opts.memory or len(builds) > 1:
        projection = project({int(n): scale_point(b) for n, b in builds.items()}, opts.project_to)
        report["projection"] = projection
        log(describe(projection))
    report.update(
        mt=mt,
        builds=builds,
        cluster=cluster,
        settings={
            "quick": opts.quick,
            "memory": opts.memory,
            "sizes": opts.sizes,
            "threads": opts.threads,
            "inter_threads": 1,
            "beam_size": opts.beam_size,
            "compute_type": "int8",
            "reps": opts.reps,
            "build_reps": opts.build_reps,
            "raw_batch_sizes": opts.batch_sizes,
            "forced_target_length": "ceil(1.2 x source pieces)",
        },
        package=package_summary(packages_dir),
        machine={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_end": list(os.getloadavg()),
        },
        total_seconds=round(time.perf_counter() - started, 1),
    )
    return report


def _growth_row(build: dict[str, Any]) -> dict[str, Any]:
    """Return one size's row of the growth table (issue 21's keys)."""
    ours, plain = build["warm_ours_memory"], build["warm_plain_memory"]
    edit = build["edit_rebuild"]
    return {
        "warm_build_s": build["warm_ours_seconds"],
        "warm_plain_s": build["warm_plain_seconds"],
        "search_index_s": build["search_index_s"],
        "peak_rss_mb": ours["largest_process_rss_mb"],
        "plain_peak_rss_mb": plain["largest_process_rss_mb"],
        "peak_pss_mb": ours["peak_pss_mb"],
        "plain_peak_pss_mb": plain["peak_pss_mb"],
        "warm_build_peak_pss_vs_plain": build["warm_build_peak_pss_vs_plain"],
        "warm_build_largest_rss_vs_plain": build["warm_build_largest_rss_vs_plain"],
        "edit_rebuild_s": edit["median_s"],
        "edit_rebuild_peak_pss_mb": edit["memory"]["peak_pss_mb"],
        "edit_rebuild_peak_rss_mb": edit["memory"]["largest_process_rss_mb"],
        "edit_rebuild_vs_warm_build": build["edit_rebuild_vs_warm_build"],
        "edit_sent_to_engine": edit["sent_to_engine"],
        "edit_changed_segments": edit["changed_segments"],
        "add_article_rebuild_s": build["add_article_rebuild"]["median_s"],
        "add_article_rebuild_vs_warm_build": build["add_article_rebuild_vs_warm_build"],
        "sitemap_files": build["shape"]["sitemap_files"],
        "largest_page_links": build["shape"]["largest_page_links"],
        "largest_page": build["shape"]["largest_page"],
        "hugo_s": build["hugo"].get("seconds"),
        "hugo_ratio": build["hugo_ratio"],
        # The row's ratios over the repetitions (min, max, each).
        "spread": {key: build["spread"][key] for key in GROWTH_SPREAD if key in build["spread"]},
    }


GROWTH_SPREAD = ("warm_build_peak_pss_vs_plain", "warm_build_largest_rss_vs_plain",
                 "edit_rebuild_vs_warm_build", "add_article_rebuild_vs_warm_build",
                 "hugo_ratio")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks and print (and optionally save) the JSON report."""
    _setup_path()
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    report = run(opts, log=lambda message: print(message, file=sys.stderr, flush=True))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if opts.json:
        opts.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
