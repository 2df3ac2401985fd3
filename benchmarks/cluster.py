"""Throughput of the Argos engine in process against a local Ray cluster, same segments.

``python -m benchmarks.cluster [--segments N] [--workers 1] [--threads T] [--reps 3]
[--tiny] [--json FILE]``

Both sides translate the same distinct segments ar→en with the same settings and the
same CPU threads and, since the engine plans its batches from the texts alone, produce
the same output; only where the batches run differs:

- ``in_process``: one ArgosEngine, ``intra_threads`` = T (``invoke translate``);
- ``cluster``: ClusterEngine on a local Ray cluster of ``workers`` actors of T/workers
  threads each (``invoke translate --cluster local --workers N``). With ``--workers 1``
  (the default, and what ``cluster_vs_inprocess`` is) the cluster's one actor has the
  same T threads as the in-process engine: the ratio is what Ray's scheduling,
  serialisation and shards cost.

Every translator on both sides (the actors' too, through a Ray worker set-up hook)
decodes the fixed length of benchmarks/forced.py, as the other MT figures do. Models
are loaded and warmed up before the clock starts and the repetitions alternate the two
sides; the cluster's start-up is timed on its own. The JSON goes to stdout (and
``--json FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup_path() -> None:
    for path in (ROOT, ROOT / "plugins"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def benchmark_segments(count: int) -> list[str]:
    """Return ``count`` distinct segments of a synthetic archive, as the pipeline sends them."""
    from benchmarks.archive import write_archive
    from benchmarks.workers import distinct_segments, render_article

    with tempfile.TemporaryDirectory() as folder:
        articles = [
            render_article(path.read_text(encoding="utf-8"))
            for path in write_archive(Path(folder), max(4, count // 8))
        ]
    segments = distinct_segments(articles)
    if len(segments) < count:
        raise SystemExit(f"only {len(segments)} distinct segments; ask for fewer")
    return segments[:count]


def _timed(engine: Any, segments: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    outputs = engine.translate(segments, "ar", "en")
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "segments_per_s": round(len(segments) / seconds, 3),
        "output_chars": sum(len(o.text) for o in outputs),
    }


def forced_worker_setup() -> None:
    """In a Ray worker: make its CTranslate2 translators decode the fixed benchmark length."""
    from benchmarks.forced import DecodeCounter, patch_ctranslate2

    patch_ctranslate2(DecodeCounter())


def _start_ray(workers: int) -> Any:
    """Start the local cluster here, with the forced-length hook in every worker."""
    import ray

    path = os.pathsep.join([str(ROOT), str(ROOT / "plugins")])
    ray.init(
        address="local",
        num_cpus=workers,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "env_vars": {"PYTHONPATH": path},
            "worker_process_setup_hook": "benchmarks.cluster.forced_worker_setup",
        },
    )
    return ray


def measure(
    packages_dir: Path,
    segments: list[str],
    workers: int,
    beam: int,
    threads: int = 0,
    reps: int = 1,
) -> dict[str, Any]:
    """Time both sides on the same segments, alternating; return their figures and ratio.

    On a Ray cluster already running (a test's), its workers have no forced-length
    hook: then neither side is forced, so both still do the same work. With more than
    one worker, one in-process engine with as many translators is timed too.
    """
    from dataclasses import replace

    import ray as ray_module

    from autotranslate.config import ArgosSettings
    from autotranslate.engines.argos import ArgosEngine
    from autotranslate.engines.cluster import ClusterEngine
    from benchmarks.forced import DecodeCounter, patch_ctranslate2
    from benchmarks.stats import median, paired_ratios, spread

    threads = threads or os.cpu_count() or 1
    forced = not ray_module.is_initialized()
    if forced:
        patch_ctranslate2(DecodeCounter())
    base = ArgosSettings(packages_dir=str(packages_dir), beam_size=beam, inter_threads=1)
    warmup = segments[: min(16, len(segments))]
    per_worker = max(1, threads // workers)
    report: dict[str, Any] = {"segments": len(segments), "workers": workers, "beam": beam,
                              "threads": threads, "threads_per_worker": per_worker,
                              "cores": os.cpu_count(), "reps": reps,
                              "forced_length": forced}  # fmt: skip

    engine = ArgosEngine(replace(base, intra_threads=threads))
    engine.translate(warmup, "ar", "en")
    if workers > 1:
        several = ArgosEngine(replace(base, inter_threads=workers, intra_threads=per_worker))
        several.translate(warmup, "ar", "en")
        report["in_process_workers"] = _timed(several, segments)
        del several
    start = time.perf_counter()
    ray = _start_ray(workers) if forced else None
    cluster = ClusterEngine(replace(base, intra_threads=per_worker), "local", workers)
    try:
        cluster.check("ar", "en")  # every worker loads its model
        report["cluster_start_s"] = round(time.perf_counter() - start, 1)
        cluster.translate(warmup * workers, "ar", "en")
        sides = (("in_process", engine), ("cluster", cluster))
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in sides}
        for rep in range(reps):
            for name, side in sides if rep % 2 == 0 else sides[::-1]:
                runs[name].append(_timed(side, segments))
    finally:
        cluster.close()
        if ray is not None:
            ray.shutdown()
    for name, timed in runs.items():
        seconds = median([t["seconds"] for t in timed])
        report[name] = {"seconds": round(seconds, 3), "seconds_all": [t["seconds"] for t in timed],
                        "segments_per_s": round(len(segments) / seconds, 3),
                        "output_chars": timed[0]["output_chars"]}  # fmt: skip
    report["same_output_size"] = all(
        t["output_chars"] == runs["in_process"][0]["output_chars"]
        for t in runs["in_process"] + runs["cluster"]
    )
    ratios = paired_ratios([t["seconds"] for t in runs["in_process"]],
                           [t["seconds"] for t in runs["cluster"]])  # fmt: skip
    report["cluster_vs_inprocess"] = round(median(ratios), 3)
    report["spread"] = spread(ratios)
    if workers > 1:
        rate = report["in_process"]["segments_per_s"]
        report["workers_vs_inprocess"] = round(
            report["in_process_workers"]["segments_per_s"] / rate, 3
        )
    return report


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the packages, measure, print the JSON report."""
    _setup_path()
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster", description=__doc__)
    parser.add_argument("--segments", type=int, default=256)
    parser.add_argument("--workers", type=int, default=1, help="Ray actors (1: the key)")
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="CPU threads on each side (split among the actors)",
    )
    parser.add_argument("--reps", type=int, default=3, help="alternating repetitions")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--tiny", action="store_true", help="the tests' tiny packages")
    parser.add_argument("--packages-dir", default="", help="use these packages")
    parser.add_argument("--json", default="", help="also write the report here")
    args = parser.parse_args(argv)
    # Ray writes ~/.ray/auth_token: keep it out of the user's home.
    home = tempfile.mkdtemp(prefix="bench-ray-home-")
    os.environ["HOME"] = home
    if args.packages_dir:
        packages_dir = Path(args.packages_dir)
    elif args.tiny:
        from autotranslate.packages import install_archive
        from devkit.tiny_argos import build_tiny_package

        packages_dir = Path(home) / "packages"
        for source, target in (("ar", "en"), ("en", "fr")):
            install_archive(build_tiny_package(Path(home) / "archives", source, target),
                            packages_dir)  # fmt: skip
    else:
        from benchmarks.model import benchmark_packages

        packages_dir = benchmark_packages()
    segments = benchmark_segments(args.segments)
    report = measure(packages_dir, segments, args.workers, args.beam, args.threads, args.reps)
    report["package"] = args.packages_dir or (
        "tiny" if args.tiny else "transformer-base random int8"
    )
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
