"""Throughput of the Argos engine in process against a local Ray cluster, same segments.

``python -m benchmarks.cluster [--segments N] [--workers 2] [--tiny] [--json FILE]``

Every mode translates the same distinct segments ar→en with the same settings and,
since the engine plans its batches from the texts alone, produces the same output;
only the way the batches are run differs:

- ``in_process``: one ArgosEngine, ``intra_threads`` = all cores (the build's default);
- ``in_process_workers``: one ArgosEngine with ``inter_threads`` = workers
  (``invoke translate --workers N``), one thread each;
- ``cluster``: ClusterEngine on a local Ray cluster of ``workers`` actors, one thread each
  (``invoke translate --cluster local --workers N``).

Models are loaded and warmed up before the clock starts; the cluster's start-up is
timed on its own. The JSON goes to stdout (and ``--json FILE``).
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
        "seconds": round(seconds, 2),
        "segments_per_s": round(len(segments) / seconds, 2),
        "output_chars": sum(len(o.text) for o in outputs),
    }


def measure(packages_dir: Path, segments: list[str], workers: int, beam: int) -> dict[str, Any]:
    """Time the three modes on the same segments; return their figures and ratios."""
    from dataclasses import replace

    from autotranslate.config import ArgosSettings
    from autotranslate.engines.argos import ArgosEngine
    from autotranslate.engines.cluster import ClusterEngine

    base = ArgosSettings(packages_dir=str(packages_dir), beam_size=beam)
    warmup = segments[: min(16, len(segments))]
    report: dict[str, Any] = {"segments": len(segments), "workers": workers, "beam": beam,
                              "cores": os.cpu_count()}  # fmt: skip

    engine = ArgosEngine(replace(base, intra_threads=os.cpu_count() or 1))
    engine.translate(warmup, "ar", "en")
    report["in_process"] = _timed(engine, segments)
    del engine

    engine = ArgosEngine(replace(base, inter_threads=workers, intra_threads=1))
    engine.translate(warmup, "ar", "en")
    report["in_process_workers"] = _timed(engine, segments)
    del engine

    start = time.perf_counter()
    cluster = ClusterEngine(replace(base, intra_threads=1), "local", workers)
    cluster.check("ar", "en")  # every worker loads its model
    report["cluster_start_s"] = round(time.perf_counter() - start, 1)
    try:
        cluster.translate(warmup * workers, "ar", "en")
        report["cluster"] = _timed(cluster, segments)
    finally:
        cluster.close()
    same = report["cluster"]["output_chars"] == report["in_process"]["output_chars"]
    report["same_output_size"] = same
    rate = report["in_process"]["segments_per_s"]
    report["cluster_vs_inprocess"] = round(report["cluster"]["segments_per_s"] / rate, 3)
    report["workers_vs_inprocess"] = round(report["in_process_workers"]["segments_per_s"] / rate, 3)
    return report


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the packages, measure, print the JSON report."""
    _setup_path()
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster", description=__doc__)
    parser.add_argument("--segments", type=int, default=256)
    parser.add_argument("--workers", type=int, default=2)
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
    report = measure(packages_dir, benchmark_segments(args.segments), args.workers, args.beam)
    report["package"] = args.packages_dir or (
        "tiny" if args.tiny else "transformer-base random int8"
    )
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
