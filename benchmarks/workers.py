"""The measured tasks; each runs alone in a subprocess so its peak RSS is its own.

``python -m benchmarks.workers TASK SPEC.json RESULT.json``: SPEC says what to run
(packages folder, articles, options); RESULT gets seconds, counts and peak RSS.
Model loading and a warm-up call happen before the clock starts.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def render_article(markdown_text: str) -> dict[str, str]:
    """Return slug, title, body HTML and plain text of one Markdown article."""
    import markdown

    head, body = markdown_text.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    html = markdown.markdown(body, extensions=["extra"])
    # argostranslate gets what a user would paste: one paragraph per line, no markup.
    blocks = re.split(r"</(?:p|h\d|li|blockquote)>", html)
    lines = [re.sub(r"<[^>]+>", "", block).strip() for block in blocks]
    text = "\n".join([meta["Title"], *(line for line in lines if line)])
    return {"slug": meta["Slug"], "title": meta["Title"], "html": html, "text": text}


def _source_texts(articles: list[dict[str, str]]) -> list[Any]:
    from autotranslate.pipeline import source_text_for

    return [source_text_for(a["slug"], a["title"], a["html"], None, ()) for a in articles]


def distinct_segments(articles: list[dict[str, str]]) -> list[str]:
    """Return the distinct plain-text segments our pipeline sends for these articles."""
    seen: dict[str, str] = {}
    for text in _source_texts(articles):
        for sentence in text.sentences():
            seen.setdefault(sentence.html(), sentence.source_text())
    return [s for s in seen.values() if s.strip()]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _engine(spec: dict[str, Any]):
    from autotranslate.config import ArgosSettings
    from autotranslate.engines.argos import ArgosEngine

    return ArgosEngine(
        ArgosSettings(
            packages_dir=Path(spec["packages_dir"]),
            intra_threads=spec["threads"],
            beam_size=spec["beam_size"],
            compute_type="int8",
        )
    )


def _counted(counter, seconds: float, **extra: Any) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "segments": counter.segments,
        "useful_tokens": counter.useful_tokens,
        "decoded_tokens": counter.decoded_tokens,
        "native_batches": counter.batches,
        **extra,
    }


def task_ctranslate2(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time raw translate_batch on the segments, sorted, once per batch size asked."""
    import ctranslate2
    import sentencepiece

    from autotranslate.packages import find_package

    package = find_package("ar", "en", Path(spec["packages_dir"]))
    translator = ctranslate2.Translator(str(package.path / "model"), device="cpu",
                                        compute_type="int8", inter_threads=1,
                                        intra_threads=spec["threads"])  # fmt: skip
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package.path / "sentencepiece.model")
    )
    pieces = [tokenizer.encode(t, out_type=str) for t in spec["segments"]]
    pieces.sort(key=len)  # the best case: one call, length-sorted input
    translator.translate_batch(pieces[:8], beam_size=spec["beam_size"])
    timings = {}
    for size in spec["batch_sizes"]:
        counter.__init__()
        start = time.perf_counter()
        translator.translate_batch(pieces, beam_size=spec["beam_size"], max_batch_size=size)
        timings[str(size)] = _counted(counter, time.perf_counter() - start)
    return {"by_batch_size": timings}


def task_engine(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time our ArgosEngine.translate (ar→en) on the same segments."""
    engine = _engine(spec)
    engine.translate(spec["warmup"], "ar", "en")
    counter.__init__()
    start = time.perf_counter()
    engine.translate(spec["segments"], "ar", "en")
    return _counted(counter, time.perf_counter() - start)


def task_pipeline(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time our whole TranslationRun (empty memory → en, then fr from the English)."""
    from autotranslate import pipeline
    from autotranslate.config import AutotranslateConfig
    from autotranslate.pipeline import TranslationRun

    if not spec.get("quality_guard", True):
        # Random weights fail every quality check (Arabic-script gibberish), so the
        # careful retry would redo every segment; a real model rarely triggers it.
        pipeline.quality_problem = lambda source, output, target: ""

    engine = _engine(spec)
    engine.translate(spec["warmup"], "ar", "en")
    engine.translate(spec["warmup"], "en", "fr")
    texts = _source_texts(spec["articles"])
    with tempfile.TemporaryDirectory() as catalogs:
        glossary = ROOT / "content" / "glossary.tsv"  # the site's: protected terms included
        config = AutotranslateConfig(
            catalog_dir=Path(catalogs),
            progress=False,
            glossary=glossary if glossary.is_file() else None,
        )
        run = TranslationRun(config, lambda: engine)
        counter.__init__()
        start = time.perf_counter()
        run.translate_all(texts)
        seconds = time.perf_counter() - start
    return _counted(counter, seconds, sent=run.translated_segments)


def task_stage(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time the whole translation stage on every sampled article (the same segments as raw)."""
    return task_pipeline({**spec, "articles": spec["stage_articles"]}, counter)


def task_argostranslate(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time argostranslate's translate() per article, to en then to fr."""
    from benchmarks.argos_api import load_translate_module

    translate = load_translate_module()
    translate.translate(spec["warmup_text"], "ar", "en")
    translate.translate(spec["warmup_text"], "ar", "fr")
    counter.__init__()
    start = time.perf_counter()
    for article in spec["articles"]:
        translate.translate(article["text"], "ar", "en")
        translate.translate(article["text"], "ar", "fr")
    return _counted(counter, time.perf_counter() - start)


def task_build(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time one whole three-language site build; count segments sent to the engine.

    Each section process writes its own peak RSS when its section is done; the total
    (this process + every section process) bounds what the build held at once.
    """
    import logging

    from trilingual import section_runs
    from trilingual.sections import build_site

    logging.basicConfig(level=logging.ERROR)
    peaks = Path(tempfile.mkdtemp(prefix="peaks-"))
    run_section = section_runs.run_section

    def measured(settings):
        try:
            return run_section(settings)
        finally:  # a worker may build two sections: the last write holds its peak
            figures = {"peak_rss_mb": _peak_rss_mb(), **_own_memory_mb()}
            (peaks / str(os.getpid())).write_text(json.dumps(figures), encoding="utf-8")

    section_runs.run_section = measured
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        built = build_site(
            str(ROOT / "pelicanconf.py"), Path(spec["output"]), overrides=spec["overrides"]
        )
    seconds = time.perf_counter() - start
    translations = built.translations
    workers = [json.loads(p.read_text(encoding="utf-8")) for p in peaks.iterdir()
               if p.name != str(os.getpid())]  # fmt: skip
    return {
        "seconds": seconds,
        "sent": translations.sent if translations else 0,
        "summary": translations.summary_line() if translations else "",
        "section_processes": len(workers),
        # Upper bound: every process's peak RSS, pages shared with the driver counted
        # again in each forked worker.
        "total_peak_rss_mb": round(_peak_rss_mb() + sum(w["peak_rss_mb"] for w in workers), 1),
        # The driver's peak plus each worker's own (private) pages at the end of its
        # last section: the pages the workers share with the driver counted once.
        "total_private_mb": round(_peak_rss_mb() + sum(w["private_mb"] for w in workers), 1),
    }


def _own_memory_mb() -> dict[str, float]:
    """Return this process's private and proportional (PSS) memory now, from /proc."""
    figures = {"private_mb": 0.0, "pss_mb": 0.0}
    try:
        lines = Path("/proc/self/smaps_rollup").read_text(encoding="utf-8").splitlines()
    except OSError:
        return figures
    for line in lines:
        name, _, value = line.partition(":")
        if name in ("Private_Clean", "Private_Dirty"):
            figures["private_mb"] += int(value.split()[0]) / 1024
        elif name == "Pss":
            figures["pss_mb"] += int(value.split()[0]) / 1024
    return figures


TASKS = {
    "ctranslate2": task_ctranslate2,
    "engine": task_engine,
    "pipeline": task_pipeline,
    "stage": task_stage,
    "argostranslate": task_argostranslate,
    "build": task_build,
}


def main(argv: list[str]) -> None:
    """Run one task from a spec file and write its result file."""
    for path in (ROOT, ROOT / "plugins"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from benchmarks.forced import DecodeCounter, patch_ctranslate2

    task, spec_file, result_file = argv
    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    counter = DecodeCounter()
    if task != "build":
        patch_ctranslate2(counter)
    result = TASKS[task](spec, counter)
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
