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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def run_worker(task: str, spec: dict[str, Any], env: dict[str, str], work: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its result."""
    scratch = work / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        spec_file, result_file = Path(folder) / "spec.json", Path(folder) / "result.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.workers", task, str(spec_file)]
        command.append(str(result_file))
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"benchmark worker {task} failed:\n{done.stderr[-3000:]}")
        return json.loads(result_file.read_text(encoding="utf-8"))


def measure_cluster(opts, packages_dir: Path, log) -> dict[str, Any]:
    """Time the engine in process against a local two-worker Ray cluster (benchmarks.cluster).

    Ray is the optional ``cluster`` extra: without it (or with ``--cluster-segments 0``)
    the report says why there is no figure instead of failing.
    """
    if not opts.cluster_segments:
        return {"skipped": "--cluster-segments 0"}
    if importlib.util.find_spec("ray") is None:
        return {"skipped": "Ray is not installed: run with `uv run --extra cluster`"}
    log(f"cluster against in-process ({opts.cluster_segments} segments)…")
    scratch = opts.work / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        result_file = Path(folder) / "cluster.json"
        command = [sys.executable, "-m", "benchmarks.cluster", "--segments",
                   str(opts.cluster_segments), "--beam", str(opts.beam_size),
                   "--packages-dir", str(packages_dir), "--json", str(result_file)]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"cluster benchmark failed:\n{done.stderr[-3000:]}")
        return json.loads(result_file.read_text(encoding="utf-8"))


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 2) if seconds > 0 else float("nan")


def measure_mt(opts, packages_dir: Path, env: dict[str, str], log) -> dict[str, Any]:
    """Time raw CTranslate2, our engine, our pipeline and argostranslate, interleaved."""
    from benchmarks.archive import ArticleWriter, load_seed
    from benchmarks.workers import distinct_segments, render_article

    writer = ArticleWriter(load_seed(), seed=opts.seed)
    articles = [render_article(writer.article(i)[1]) for i in range(opts.mt_articles + 1)]
    warmup = articles.pop()  # never timed: loads models and fills CTranslate2's caches
    segments = distinct_segments(articles)
    compare = articles[: opts.compare_articles]
    spec = {
        "packages_dir": str(packages_dir),
        "threads": opts.threads,
        "beam_size": opts.beam_size,
        "segments": segments,
        "warmup": distinct_segments([warmup])[:8],
        # Two lines load both models; a whole article would only lengthen the run.
        "warmup_text": "\n".join(warmup["text"].splitlines()[:2]),
        "articles": compare,
        "stage_articles": articles,
        "batch_sizes": opts.batch_sizes,
        "quality_guard": False,
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in MT_SYSTEMS}
    for rep in range(opts.reps):
        order = MT_SYSTEMS[rep % len(MT_SYSTEMS) :] + MT_SYSTEMS[: rep % len(MT_SYSTEMS)]
        for name in order:
            started = time.perf_counter()
            runs[name].append(run_worker(name, spec, env, opts.work))
            log(f"  mt rep {rep + 1}/{opts.reps} {name}: {time.perf_counter() - started:.0f} s")
    by_size = {}
    for size in opts.batch_sizes:
        timed = [r["by_batch_size"][str(size)] for r in runs["ctranslate2"]]
        by_size[size] = _summarise(timed)
    best_size = max(by_size, key=lambda s: by_size[s]["tokens_per_s"])
    by_size[best_size]["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs["ctranslate2"])
    raw = {
        "sample": {
            "segments": len(segments),
            "compare_articles": len(compare),
            "segments_per_article": round(len(segments) / len(articles), 1),
        },
        "ctranslate2": {
            **by_size[best_size],
            "best_max_batch_size": best_size,
            "by_max_batch_size": {str(k): v for k, v in by_size.items()},
        },
        "engine": _summarise(runs["engine"]),
        "pipeline": _summarise(runs["pipeline"]),
        "stage": _summarise(runs["stage"]),
        "argostranslate": _summarise(runs["argostranslate"]),
    }
    raw["mt_vs_ctranslate2"] = round(
        raw["engine"]["tokens_per_s"] / raw["ctranslate2"]["tokens_per_s"], 3
    )
    # The whole stage (alignment, markup, catalogs, glossary, en then fr from it) against
    # raw CTranslate2 on the same segments: what the pipeline around the engine costs.
    raw["pipeline_vs_ctranslate2"] = round(
        raw["stage"]["tokens_per_s"] / raw["ctranslate2"]["tokens_per_s"], 3
    )
    raw["mt_vs_argostranslate"] = round(
        raw["argostranslate"]["seconds"] / raw["pipeline"]["seconds"], 3
    )
    return raw


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return medians over repetitions: seconds, segments/s, tokens/s, peak RSS."""
    seconds = _median([r["seconds"] for r in runs])
    first = runs[0]
    summary = {
        "seconds": round(seconds, 3),
        "seconds_all": [round(r["seconds"], 3) for r in runs],
        "segments": first["segments"],
        "useful_tokens": first["useful_tokens"],
        "decoded_tokens": first["decoded_tokens"],
        "segments_per_s": _rate(first["segments"], seconds),
        "tokens_per_s": _rate(first["useful_tokens"], seconds),
        "decoded_tokens_per_s": _rate(first["decoded_tokens"], seconds),
    }
    if "peak_rss_mb" in first:
        summary["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return summary


SEQUENTIAL = {"TRILINGUAL_SECTION_PROCESSES": 1}  # the sections one after another


def measure_builds(opts, count: int, packages_dir: Path, env: dict[str, str], log):
    """Time warm rebuilds (ours in parallel and in turn, plain Pelican in turn), then an edit."""
    from benchmarks.sites import adopt_pseudo_catalogs, edit_one_paragraph, prepare_sites
    from benchmarks.workers import distinct_segments, render_article

    ours, plain, paths = prepare_sites(opts.work, count)
    pseudo = {**env, "AUTOTRANSLATE_ENGINE": "pseudo"}
    argos = {**env, "AUTOTRANSLATE_ENGINE": "argos"}

    def build(site, build_env, extra=None, name="") -> dict[str, Any]:
        spec = {"output": str(site.output), "overrides": {**site.overrides(), **(extra or {})}}
        started = time.perf_counter()
        result = run_worker("build", spec, build_env, opts.work)
        label = name or site.root.name
        log(f"  N={count} build {label}: {time.perf_counter() - started:.0f} s")
        return result

    # Cold builds fill the memory (pseudo engine: instant) and Pelican's content cache.
    cold_ours = build(ours, pseudo)
    adopt_pseudo_catalogs(ours)
    cold_plain = build(plain, env, SEQUENTIAL)
    systems = [
        ("ours", ours, argos, None),
        ("ours_sequential", ours, argos, SEQUENTIAL),
        ("plain", plain, env, SEQUENTIAL),  # stock Pelican: one section after another
    ]
    warm: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in systems}
    for rep in range(opts.build_reps):
        shift = rep % len(systems)
        for name, site, build_env, extra in systems[shift:] + systems[:shift]:
            warm[name].append(build(site, build_env, extra, name))
    old, new = edit_one_paragraph(paths[count // 2])
    before = set(distinct_segments([render_article(old)]))
    changed = len(set(distinct_segments([render_article(new)])) - before)
    incremental = build(ours, pseudo)
    targets = 2  # en and fr: each changed segment is sent once per target language
    seconds = {name: _median([r["seconds"] for r in runs]) for name, runs in warm.items()}
    total_rss = {name: max(r["total_peak_rss_mb"] for r in runs) for name, runs in warm.items()}
    driver_rss = {name: max(r["peak_rss_mb"] for r in runs) for name, runs in warm.items()}
    private = {name: max(r["total_private_mb"] for r in runs) for name, runs in warm.items()}
    return {
        "articles": count,
        "pages_per_language": count,
        "segments": cold_ours["sent"] // targets,
        "cold_fill_seconds_pseudo": round(cold_ours["seconds"], 2),
        "cold_plain_seconds": round(cold_plain["seconds"], 2),
        "section_processes": max(r["section_processes"] for r in warm["ours"]),
        **{f"warm_{name}_seconds": round(value, 2) for name, value in seconds.items()},
        **{
            f"warm_{name}_seconds_all": [round(r["seconds"], 2) for r in runs]
            for name, runs in warm.items()
        },
        "warm_sent_to_engine": max(r["sent"] for r in warm["ours"]),
        # This process alone (the driver), then the driver plus every section process.
        **{f"warm_{name}_peak_rss_mb": peak for name, peak in driver_rss.items()},
        **{f"warm_{name}_total_peak_rss_mb": value for name, value in total_rss.items()},
        # The driver's peak plus each section process's private pages (shared ones once).
        **{f"warm_{name}_total_private_mb": value for name, value in private.items()},
        "articles_per_s_ours": _rate(count, seconds["ours"]),
        "articles_per_s_plain": _rate(count, seconds["plain"]),
        "warm_build_vs_sequential_pelican": round(seconds["ours"] / seconds["plain"], 3),
        "warm_rebuild_vs_pelican": round(seconds["ours_sequential"] / seconds["plain"], 3),
        "parallel_total_peak_rss_vs_sequential": round(
            total_rss["ours"] / total_rss["ours_sequential"], 3
        ),
        "parallel_total_private_vs_sequential": round(
            private["ours"] / private["ours_sequential"], 3
        ),
        "incremental": {
            "changed_segments": changed,
            "sent_to_engine": incremental["sent"],
            "extra_segments": incremental["sent"] - changed * targets,
            "seconds": round(incremental["seconds"], 2),
        },
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; --quick picks the small sizes."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="N=100 only, small MT sample")
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--reps", type=int, help="MT repetitions (median is reported)")
    parser.add_argument("--build-reps", type=int, help="warm build repetitions")
    parser.add_argument("--mt-articles", type=int, help="articles whose segments MT times")
    parser.add_argument("--compare-articles", type=int, help="articles argostranslate gets")
    parser.add_argument("--packages-dir", type=Path, help="use these packages (default: build)")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--cluster-segments", type=int, help="segments for cluster_vs_inprocess (0: skip)"
    )
    opts = parser.parse_args(argv)
    defaults = (
        {
            "sizes": [100],
            "reps": 3,
            "build_reps": 3,
            "mt_articles": 3,
            "compare_articles": 1,
            "cluster_segments": 64,
        }
        if opts.quick
        else {
            "sizes": [100, 1000, 10000],
            "reps": 3,
            "build_reps": 3,
            "mt_articles": 10,
            "compare_articles": 3,
            "cluster_segments": 256,
        }
    )
    for key, value in defaults.items():
        if getattr(opts, key) is None:
            setattr(opts, key, value)
    opts.batch_sizes = [16, 32, 64]
    return opts


def run(opts: argparse.Namespace, log=print) -> dict[str, Any]:
    """Run the benchmarks described by opts and return the report."""
    from benchmarks.model import benchmark_packages, package_summary

    opts.work.mkdir(parents=True, exist_ok=True)
    packages_dir = opts.packages_dir or benchmark_packages(opts.work)
    env = worker_env(opts.work, packages_dir, opts.threads, opts.beam_size)
    started = time.perf_counter()
    log("machine translation (interleaved)…")
    mt = measure_mt(opts, packages_dir, env, log)
    builds = {}
    for count in opts.sizes:
        log(f"site builds, N={count}…")
        builds[str(count)] = measure_builds(opts, count, packages_dir, env, log)
    largest = builds[str(max(opts.sizes))]
    cluster = measure_cluster(opts, packages_dir, log)
    return {
        "mt_vs_ctranslate2": mt["mt_vs_ctranslate2"],
        "mt_vs_argostranslate": mt["mt_vs_argostranslate"],
        "pipeline_vs_ctranslate2": mt["pipeline_vs_ctranslate2"],
        "warm_build_vs_sequential_pelican": largest["warm_build_vs_sequential_pelican"],
        "warm_rebuild_vs_pelican": largest["warm_rebuild_vs_pelican"],
        "parallel_total_peak_rss_vs_sequential": largest["parallel_total_peak_rss_vs_sequential"],
        "parallel_total_private_vs_sequential": largest["parallel_total_private_vs_sequential"],
        "incremental_extra_segments": max(
            b["incremental"]["extra_segments"] for b in builds.values()
        ),
        "cluster_vs_inprocess": cluster.get("cluster_vs_inprocess"),
        "mt": mt,
        "builds": builds,
        "cluster": cluster,
        "settings": {
            "quick": opts.quick,
            "threads": opts.threads,
            "inter_threads": 1,
            "beam_size": opts.beam_size,
            "compute_type": "int8",
            "reps": opts.reps,
            "build_reps": opts.build_reps,
            "forced_target_length": "ceil(1.2 x source pieces)",
        },
        "package": package_summary(packages_dir),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "total_seconds": round(time.perf_counter() - started, 1),
    }


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
