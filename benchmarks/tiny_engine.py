"""Throughput of the Argos engine on the tests' tiny package (the figure issue #3 asks for).

``python -m benchmarks.tiny_engine [--repeat N]``: builds the tiny random-weight
ar→en package the tests use, installs it in a temp folder and times
``ArgosEngine.translate`` on the seed articles' segments (as our segmenter cuts
them), with CTranslate2's automatic thread count and with one intra-op thread.
Random weights rarely stop early, so each segment decodes up to the engine's
length limit (2 × source pieces + 10), and the tiny 320-piece vocabulary cuts
Arabic almost letter by letter: segments are long in pieces. This measures the
engine on a tiny model, not translation quality.
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

import sentencepiece  # noqa: E402

from autotranslate.config import ArgosSettings  # noqa: E402
from autotranslate.engines.argos import ArgosEngine  # noqa: E402
from autotranslate.packages import install_archive  # noqa: E402
from benchmarks.workers import distinct_segments, render_article  # noqa: E402
from devkit.tiny_argos import ARTICLES, build_tiny_package  # noqa: E402


def seed_segments() -> list[str]:
    """Return the seed articles' distinct segments, as the pipeline sends them to the engine."""
    articles = [render_article(path.read_text(encoding="utf-8")) for path in ARTICLES.glob("*.md")]
    return distinct_segments(sorted(articles, key=lambda article: article["slug"]))


def measure(options: ArgosSettings, texts: list[str], repeat: int, pieces) -> dict[str, float]:
    """Return the median seconds, segments/s and target pieces/s of ``repeat`` runs."""
    engine = ArgosEngine(options)
    engine.translate(texts[:8], "ar", "en")  # load the model outside the timing
    timings, target_pieces = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        results = engine.translate(texts, "ar", "en")
        timings.append(time.perf_counter() - started)
        target_pieces = sum(pieces(r.text) for r in results)
    seconds = statistics.median(timings)
    return {
        "seconds": seconds,
        "segments_per_s": len(texts) / seconds,
        "pieces_per_s": target_pieces / seconds,
    }


def main() -> None:
    """Build, install and time the tiny package; print one line per thread setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10, help="copies of the seed segments")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_tiny_package(Path(tmp), "ar", "en")
        packages = Path(tmp) / "packages"
        install_archive(archive, packages)
        model = next(packages.glob("*/sentencepiece.model"))
        processor = sentencepiece.SentencePieceProcessor(model_file=str(model))

        def pieces(text: str) -> int:
            return len(processor.encode(text, out_type=str))

        texts = seed_segments() * opts.copies
        per_segment = sum(map(pieces, texts)) / len(texts)
        print(
            f"{len(texts)} segments ({per_segment:.0f} source pieces each on average), "
            f"median of {opts.repeat} runs, beam 2, int8"
        )
        for label, intra in (("intra_threads=0 (auto)", 0), ("intra_threads=1", 1)):
            options = ArgosSettings(packages_dir=packages, intra_threads=intra)
            result = measure(options, texts, opts.repeat, pieces)
            print(
                f"{label:<24} {result['segments_per_s']:7.1f} segments/s "
                f"{result['pieces_per_s']:9.0f} target pieces/s ({result['seconds']:.2f} s)"
            )


if __name__ == "__main__":
    main()
