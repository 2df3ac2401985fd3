"""Throughput of the Argos engine on the tests' tiny package (the figure issue #3 asks for).

``python -m benchmarks.tiny_engine [--repeat N]``: builds the tiny random-weight
ar→en package the tests use, installs it in a temp folder and times
``ArgosEngine.translate`` on the seed articles' sentences, with CTranslate2's
automatic thread count and with one intra-op thread. Random weights rarely stop
early, so each segment decodes up to the engine's length limit: this measures the
engine's overhead on a tiny model, not translation quality.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from autotranslate.engines.argos import ArgosEngine, ArgosOptions  # noqa: E402
from autotranslate.packages import install_archive  # noqa: E402
from tests.support.tiny_argos import build_tiny_package, seed_sentences  # noqa: E402


def measure(options: ArgosOptions, texts: list[str], repeat: int) -> dict[str, float]:
    """Return the median segments/s and target words/s of ``repeat`` timed runs."""
    engine = ArgosEngine(options)
    engine.translate(texts[:8], "ar", "en")  # load the model outside the timing
    timings, words = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        results = engine.translate(texts, "ar", "en")
        timings.append(time.perf_counter() - started)
        words = sum(len(r.text.split()) for r in results)
    seconds = statistics.median(timings)
    return {
        "seconds": seconds,
        "segments_per_s": len(texts) / seconds,
        "words_per_s": words / seconds,
    }


def main() -> None:
    """Build, install and time the tiny package; print one line per thread setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10, help="copies of the seed sentences")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_tiny_package(Path(tmp), "ar", "en")
        packages = Path(tmp) / "packages"
        install_archive(archive, packages)
        texts = seed_sentences() * opts.copies
        print(f"{len(texts)} segments, median of {opts.repeat} runs, beam 2, int8")
        for label, intra in (("intra_threads=0 (auto)", 0), ("intra_threads=1", 1)):
            result = measure(
                ArgosOptions(packages_dir=packages, intra_threads=intra), texts, opts.repeat
            )
            print(
                f"{label:<24} {result['segments_per_s']:7.1f} segments/s "
                f"{result['words_per_s']:9.0f} target words/s ({result['seconds']:.2f} s)"
            )


if __name__ == "__main__":
    main()
