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
    """Time raw translate_batch, once per batch size asked: ar→en, then en→fr from it.

    ar→en alone is what our engine is compared with (mt_vs_ctranslate2); ar→en then
    en→fr on its own English is the work of the translation stage (pipeline_vs_ctranslate2).
    Only the translate_batch calls are timed: tokenizing is left out, on both sides the
    raw figure is an upper bound.
    """
    import ctranslate2
    import sentencepiece

    from autotranslate.packages import find_package

    def load(source: str, target: str):
        package = find_package(source, target, Path(spec["packages_dir"]))
        translator = ctranslate2.Translator(str(package.path / "model"), device="cpu",
                                            compute_type="int8", inter_threads=1,
                                            intra_threads=spec["threads"])  # fmt: skip
        tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(package.path / "sentencepiece.model")
        )
        return translator, tokenizer

    to_en, ar_pieces = load("ar", "en")
    to_fr, en_pieces = load("en", "fr")
    pieces = [ar_pieces.encode(t, out_type=str) for t in spec["segments"]]
    pieces.sort(key=len)  # the best case: one call, length-sorted input
    warm = to_en.translate_batch(pieces[:8], beam_size=spec["beam_size"])
    warm_en = [en_pieces.encode(ar_pieces.decode(r.hypotheses[0]), out_type=str) for r in warm]
    to_fr.translate_batch(warm_en, beam_size=spec["beam_size"])
    timings, pivot = {}, {}
    for size in spec["batch_sizes"]:
        counter.__init__()
        start = time.perf_counter()
        english = to_en.translate_batch(pieces, beam_size=spec["beam_size"], max_batch_size=size)
        to_en_seconds = time.perf_counter() - start
        timings[str(size)] = _counted(counter, to_en_seconds)
        # Untimed: the English as text, tokenized for en→fr, as the stage derives French.
        texts = [ar_pieces.decode(result.hypotheses[0]) for result in english]
        english_pieces = sorted((en_pieces.encode(t, out_type=str) for t in texts), key=len)
        start = time.perf_counter()
        to_fr.translate_batch(english_pieces, beam_size=spec["beam_size"], max_batch_size=size)
        pivot[str(size)] = _counted(counter, to_en_seconds + time.perf_counter() - start)
    return {"by_batch_size": timings, "pivot_by_batch_size": pivot}


def task_engine(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time our ArgosEngine.translate (ar→en) on the same segments."""
    engine = _engine(spec)
    engine.translate(spec["warmup"], "ar", "en")
    counter.__init__()
    start = time.perf_counter()
    engine.translate(spec["segments"], "ar", "en")
    return _counted(counter, time.perf_counter() - start)


def task_pipeline(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time the translation stage, empty memory: en, then fr from the English, catalogs written.

    It runs ``translations.translate_sources``, what the build and ``invoke translate``
    run: plan, look-up, engine, alignment, markup, catalogs, the site's glossary, terms.
    """
    from autotranslate.config import AutotranslateConfig
    from autotranslate.translations import translate_sources

    if not spec.get("quality_guard", True):
        switch_off_quality_guard()

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
        counter.__init__()
        start = time.perf_counter()
        translations = translate_sources(config, texts, lambda: engine)
        seconds = time.perf_counter() - start
    return _counted(counter, seconds, sent=translations.sent)


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


# The translation (look-up) stage, timed where the build calls it, by name: first the
# driver's stage (sections.build_site calls it before any section), and only when that
# function does not exist, the function Pelican's article hook calls (the old place).
STAGE_FUNCTIONS = (
    ("autotranslate.translation_stage", "run_translation_stage"),
    ("autotranslate.translations", "translate_sources"),
)


def _replace_everywhere(module_name: str, name: str, make) -> bool:
    """Replace the function ``module.name`` by ``make(original)`` in every module holding it.

    Modules that imported it by name (``from .quality import quality_problem``) hold
    their own reference, so patching its home module alone would miss their calls.
    Returns False when there is no such function.
    """
    import importlib

    try:
        original = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return False
    replacement = make(original)
    for module in list(sys.modules.values()):
        if getattr(module, name, None) is original:
            setattr(module, name, replacement)
    return True


def _wrap_everywhere(module_name: str, name: str, record) -> bool:
    """Time every call of ``module.name``: ``record(start, end)`` after each."""

    def make(original):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                record(start, time.perf_counter())

        return timed

    return _replace_everywhere(module_name, name, make)


def wrap_stage(record, functions=STAGE_FUNCTIONS) -> str:
    """Time every call of the first stage function that exists; return its name ("" if none)."""
    for module, name in functions:
        if _wrap_everywhere(module, name, record):
            return f"{module}.{name}"
    return ""


def switch_off_quality_guard() -> None:
    """Make every output pass the quality check, wherever the check is called from.

    Random weights produce Arabic-script gibberish that fails the check for every
    segment, so the careful retry would translate each one twice (and a flagged English
    gives no French); a real model rarely triggers it.
    """
    _replace_everywhere("autotranslate.quality", "quality_problem", lambda original: _passes)


def _passes(source: str, output: str, target: str) -> str:
    """Name no problem (the quality check, switched off)."""
    return ""


class BuildClock:
    """Times one build's parts from any of its processes: sections, stage, search index.

    Forked section processes inherit it; each writes its own records to a file named
    after its pid, which the driver reads when the build is done.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="build-clock-"))
        self.driver = os.getpid()
        self.origin = time.perf_counter()  # CLOCK_MONOTONIC: the same in every process
        self.records: list[dict[str, Any]] = []

    def record(self, kind: str, start: float, end: float, **extra: Any) -> None:
        """Keep one timed part and save this process's records (a worker may end any time)."""
        self.records.append({"kind": kind, "pid": os.getpid(), "start": start - self.origin,
                             "end": end - self.origin, **extra})  # fmt: skip
        if os.getpid() != self.driver:
            mine = [r for r in self.records if r["pid"] == os.getpid()]
            figures = {"records": mine, "peak_rss_mb": _peak_rss_mb()}
            (self.folder / str(os.getpid())).write_text(json.dumps(figures), encoding="utf-8")

    def workers(self) -> list[dict[str, Any]]:
        """Return what each section process saved."""
        return [json.loads(p.read_text(encoding="utf-8")) for p in self.folder.iterdir()]

    def all_records(self) -> list[dict[str, Any]]:
        """Return the driver's records and every worker's, in start order."""
        mine = [r for r in self.records if r["pid"] == self.driver]
        theirs = [r for w in self.workers() for r in w["records"]]
        return sorted(mine + theirs, key=lambda r: r["start"])


def build_breakdown(records: list[dict[str, Any]], driver: int, seconds: float) -> dict[str, Any]:
    """Return the build's parts: stage, each section (stage time taken out), serial time.

    A section run in the driver contains the stage when the stage runs inside Pelican's
    hooks (today's first section); its own time is its span minus the stage's.
    """
    stage = [r for r in records if r["kind"] == "stage"]
    search = [r for r in records if r["kind"] == "search_index"]
    sections = []
    for r in (r for r in records if r["kind"] == "section"):
        inside = sum(s["end"] - s["start"] for s in stage
                     if s["pid"] == r["pid"] and r["start"] <= s["start"] <= r["end"])  # fmt: skip
        sections.append({"lang": r["lang"], "in_driver": r["pid"] == driver,
                         "seconds": round(r["end"] - r["start"] - inside, 3),
                         "stage_inside_s": round(inside, 3)})  # fmt: skip
    pooled = [r for r in records if r["kind"] == "section" and r["pid"] != driver]
    pool_span = max(r["end"] for r in pooled) - min(r["start"] for r in pooled) if pooled else 0
    return {
        "stage_s": round(sum(r["end"] - r["start"] for r in stage), 3),
        "stage_calls": len(stage),
        "search_index_s": round(sum(r["end"] - r["start"] for r in search), 3),
        "sections": sections,
        "pool_span_s": round(pool_span, 3),
        # Everything not in the side-by-side sections: settings, sections run in the
        # driver, stage, sitemaps, search index.
        "serial_s": round(seconds - pool_span, 3),
    }


def task_build(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time one whole three-language site build; count segments sent to the engine.

    The build runs as ``invoke build`` runs it (trilingual.sections.build_site; with
    ``full`` in the spec, as ``invoke build --full``: every page rendered again, the
    content cache and the memory still used); its sections, translation stage and search
    index are timed where they run. Memory is sampled from outside (benchmarks.memory,
    in benchmarks.run).
    """
    import logging

    from trilingual import section_runs, sections

    if not spec.get("quality_guard", True):
        switch_off_quality_guard()
    logging.basicConfig(level=logging.ERROR)
    clock = BuildClock()
    run_section = section_runs.run_section

    def timed_section(settings):
        start = time.perf_counter()
        try:
            return run_section(settings)
        finally:
            clock.record("section", start, time.perf_counter(), lang=settings["DEFAULT_LANG"])

    section_runs.run_section = timed_section
    stage_function = wrap_stage(lambda s, e: clock.record("stage", s, e))
    _wrap_everywhere("trilingual.search", "write_search_index",
                     lambda s, e: clock.record("search_index", s, e))  # fmt: skip
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        built = sections.build_site(
            str(ROOT / "pelicanconf.py"),
            Path(spec["output"]),
            overrides=spec["overrides"],
            full=spec.get("full", False),
        )
    seconds = time.perf_counter() - start
    translations = built.translations
    workers = clock.workers()
    return {
        "seconds": seconds,
        "sent": translations.sent if translations else 0,
        "summary": translations.summary_line() if translations else "",
        "section_processes": len(workers),
        "stage_function": stage_function,
        # What the writer made again, wrote and kept (a full build renders every page).
        "rendered": built.rendered,
        "written": built.written,
        "kept": built.kept,
        **build_breakdown(clock.all_records(), clock.driver, seconds),
        "workers_peak_rss_mb": [round(w["peak_rss_mb"], 1) for w in workers],
    }


def task_search_index(spec: dict[str, Any], counter) -> dict[str, Any]:
    """Time Pagefind over a built site, as the build runs it (its own key, search_index_s)."""
    from trilingual.search import write_search_index

    start = time.perf_counter()
    write_search_index(Path(spec["output"]))
    return {"seconds": time.perf_counter() - start}


TASKS = {
    "ctranslate2": task_ctranslate2,
    "engine": task_engine,
    "pipeline": task_pipeline,
    "stage": task_stage,
    "argostranslate": task_argostranslate,
    "build": task_build,
    "search_index": task_search_index,
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
    if task not in ("build", "search_index") or spec.get("forced_length"):
        # A build loads the engine only for new segments (an edit): forced too, if asked.
        patch_ctranslate2(counter)
    result = TASKS[task](spec, counter)
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
