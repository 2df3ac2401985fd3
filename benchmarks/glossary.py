"""Does a 10,000-line glossary slow the build? A cold build of 40 articles, timed.

``python -m benchmarks.glossary [--articles 40] [--lines 10000] [--repeat 3]``
builds the same synthetic archive (benchmarks.archive) from empty catalogs with the
pseudo engine, once with the demo glossary and once with a glossary of LINES rows
(the demo's rows, then generated two-word Arabic names, a few of which occur in the
articles), alternating, each build in a fresh interpreter (``python -m trilingual``).
It prints the median seconds of each and their ratio; issue 11 asks for at most 1.10.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins")]  # benchmarks.archive cuts sentences with the plugin's code
from benchmarks.archive import load_seed, write_archive  # noqa: E402

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def big_glossary(lines: int, seed: int = 11) -> str:
    """Return a glossary of ``lines`` rows: the demo's, then generated names."""
    demo = (ROOT / "content" / "glossary.tsv").read_text(encoding="utf-8").splitlines()
    rows = list(demo)
    words = [w for w in load_seed().words if len(w) > 3]
    rng = random.Random(seed)
    seen = {row.split("\t")[0] for row in rows}
    while len(rows) < lines:
        if rng.random() < 0.01:  # a name the articles really use
            term = " ".join(rng.sample(words, 2))
        else:
            term = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8)))
            term += " " + "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8)))
        if term in seen:
            continue
        seen.add(term)
        rows.append(f"{term}\tName {len(rows)}\tNom {len(rows)}\tgenerated")
    return "\n".join(rows) + "\n"


def timed_build(work: Path, articles: Path, glossary: str) -> float:
    """Build a fresh copy of the archive with this glossary; return wall-clock seconds."""
    if work.exists():
        shutil.rmtree(work)
    content = work / "content"
    shutil.copytree(articles, content / "articles")
    (content / "glossary.tsv").write_text(glossary, encoding="utf-8")
    settings = work / "conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
        f"PATH = {str(content)!r}\nCACHE_PATH = {str(work / 'cache')!r}\n"
        f"THEME = {str(ROOT / 'themes' / 'atlas')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        "AUTOTRANSLATE = {**AUTOTRANSLATE, 'progress': False}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "AUTOTRANSLATE_ENGINE": "pseudo",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)]),
        "HOME": str(work / "home"),
    }
    command = [sys.executable, "-m", "trilingual", "build", "-q", "-s", str(settings)]
    command += ["-o", str(work / "output")]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict:
    """Run the comparison and print it as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.glossary", description=__doc__)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    demo = (ROOT / "content" / "glossary.tsv").read_text(encoding="utf-8")
    big = big_glossary(args.lines)
    times: dict[str, list[float]] = {"demo": [], "big": []}
    with tempfile.TemporaryDirectory(prefix="bench-glossary-") as folder:
        articles = Path(folder) / "articles"
        write_archive(articles, args.articles)
        for round_ in range(args.repeat):
            order = ("demo", "big") if round_ % 2 == 0 else ("big", "demo")
            for name in order:
                text = demo if name == "demo" else big
                times[name].append(timed_build(Path(folder) / "site", articles, text))
    report = {
        "articles": args.articles,
        "glossary_lines": len(big.splitlines()),
        "seconds": times,
        "median_demo": statistics.median(times["demo"]),
        "median_big": statistics.median(times["big"]),
    }
    report["ratio"] = report["median_big"] / report["median_demo"]
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
