"""Time the site builds of one archive size: warm full builds interleaved, rebuilds after a
change, Hugo beside; summarise them as the report's build figures with their spreads.

Every build runs in its own interpreter (benchmarks.workers, through run.run_worker) with
its memory sampled from outside. Rounds rotate the order of the systems so drift hits them
all alike; each round ends with Pagefind over our output, an edited article's rebuild and
an added article's.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks import hugo_site
from benchmarks.run import run_worker
from benchmarks.site_shape import site_shape
from benchmarks.sites import (
    Site,
    add_article,
    adopt_pseudo_catalogs,
    edit_one_paragraph,
    mirror_article,
    prepare_sites,
)
from benchmarks.stats import median, paired_ratios, rate, spread
from benchmarks.workers import distinct_segments, render_article

SEQUENTIAL = {"TRILINGUAL_SECTION_PROCESSES": 1}  # the sections one after another
# Pagefind has its own key (search_index_s): left out of every timed build, both sides.
NO_SEARCH = {"TRILINGUAL_SEARCH": False}
TARGETS = 2  # en and fr: each new segment is sent once per target language
# What a rebuild's report keeps of its build's figures.
KEPT_FIGURES = ("rendered", "written", "kept", "summary", "stage_s", "memory")


def _section_fraction(build: dict[str, Any]) -> float:
    """Return the stage's time ÷ the median time of one section of this build."""
    sections = [s["seconds"] for s in build["sections"]]
    one = median(sections)
    return build["stage_s"] / one if sections and one > 0 else float("nan")


def _memory_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the highest of each sampled memory figure over the repetitions."""
    figures = [r["memory"] for r in runs]
    names = ("peak_pss_mb", "peak_pss_anon_mb", "peak_uss_mb", "peak_rss_sum_mb",
             "largest_process_rss_mb", "most_processes")  # fmt: skip
    summary: dict[str, Any] = {name: max(f[name] for f in figures) for name in names}
    summary["per_rep_peak_pss_mb"] = [f["peak_pss_mb"] for f in figures]
    summary["sampler_cpu_s_max"] = max(f["sampler_cpu_s"] for f in figures)
    peak = max(figures, key=lambda f: f["peak_pss_mb"])
    summary["at_pss_peak"] = peak["at_pss_peak"]
    return summary


def _terms(path: Path) -> set[str]:
    """Return the category and tag names of one Markdown article."""
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    tags = [tag.strip() for tag in meta.get("Tags", "").split(",")]
    return {name for name in [meta.get("Category", ""), *tags] if name}


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the median run's figures (the lower one of an even count), the median time
    and every run's."""
    middle = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    return {**middle, "median_s": round(median([r["seconds"] for r in runs]), 2),
            "seconds_all": [r["seconds"] for r in runs]}  # fmt: skip


class SizeBench:
    """The sites of one archive size and every build timed on them."""

    def __init__(self, opts, count: int, env: dict[str, str], log) -> None:
        self.opts, self.count, self.env, self.log = opts, count, env, log
        self.ours, self.plain, self.paths = prepare_sites(opts.work, count)
        self.pseudo = {**env, "AUTOTRANSLATE_ENGINE": "pseudo"}
        self.argos = {**env, "AUTOTRANSLATE_ENGINE": "argos"}
        self.hugo, self.hugo_missing = hugo_site.hugo_binary()
        self.hugo_folder = opts.work / f"site-{count}" / "hugo"
        self.hugo_version = hugo_site.hugo_version(self.hugo) if self.hugo else ""

    def build(self, site: Site, env, extra=None, name="", **spec_extra) -> dict[str, Any]:
        """Run one build of ``site`` (``full`` etc. in spec_extra) and return its figures."""
        spec = {"output": str(site.output), "overrides": {**site.overrides(), **(extra or {})},
                **spec_extra}  # fmt: skip
        started = time.perf_counter()
        result = run_worker("build", spec, env, self.opts.work, sample=True)
        self.log(f"  N={self.count} build {name}: {time.perf_counter() - started:.0f} s")
        return result

    def search_index(self) -> dict[str, Any]:
        """Time Pagefind over our output, as the build runs it."""
        started = time.perf_counter()
        spec = {"output": str(self.ours.output)}
        result = run_worker("search_index", spec, self.env, self.opts.work)
        self.log(f"  N={self.count} search index: {time.perf_counter() - started:.0f} s")
        return result

    def start_hugo(self) -> None:
        """Write the Hugo site and build it once, untimed, as ours' cold build."""
        self.log(f"  N={self.count} Hugo site ({self.hugo_version})")
        hugo_site.write_site(self.hugo_folder, self.paths)
        hugo_site.build(self.hugo_folder, self.hugo)

    def hugo_build(self, articles: int) -> dict[str, Any]:
        """Time one Hugo build; refuse a build without every article in every language."""
        started = time.perf_counter()
        result = hugo_site.build(self.hugo_folder, self.hugo)
        if set(result["article_pages"].values()) != {articles}:
            raise RuntimeError(f"Hugo built {result['article_pages']} articles, not {articles}")
        self.log(f"  N={self.count} build hugo: {time.perf_counter() - started:.0f} s")
        return result

    def _same_articles_elsewhere(self, path: Path) -> None:
        """Give plain Pelican and Hugo ours' article as it is now: all build the same ones."""
        mirror_article(self.plain, path)
        if self.hugo:
            hugo_site.write_articles(self.hugo_folder, [path])

    def rebuild_after(self, label: str, old: str, new: str, terms: int = 0) -> dict[str, Any]:
        """Rebuild ours after one article changed from ``old`` to ``new`` Markdown.

        ``terms``: the category and tag names the change brought that no article had
        (each is translated, as a segment, once per target language).

        The build has the settings of the warm builds just before it (Pagefind off is a
        setting the pages are keyed on: a change would render every page again), so the
        writer keeps what the change does not touch; the real engine translates the new
        segments. Pagefind then runs as the build runs it and is counted in.
        """
        before = set(distinct_segments([render_article(old)] if old else []))
        changed = len(set(distinct_segments([render_article(new)])) - before) + terms
        built = self.build(self.ours, self.argos, NO_SEARCH, label, forced_length=True,
                           quality_guard=False)  # fmt: skip
        search = self.search_index()
        return {
            "seconds": round(built["seconds"] + search["seconds"], 2),
            "build_s": round(built["seconds"], 2),
            "search_index_s": round(search["seconds"], 2),
            "changed_segments": changed,
            "sent_to_engine": built["sent"],
            "extra_segments": built["sent"] - changed * TARGETS,
            **{key: built[key] for key in KEPT_FIGURES},
        }

    def edit_rebuild(self, rep: int) -> dict[str, Any]:
        """Replace the last paragraph of another article each round, then rebuild."""
        path = self.paths[(self.count // 3 + rep) % self.count]
        old, new = edit_one_paragraph(path, seed=97 + rep)
        self._same_articles_elsewhere(path)
        return self.rebuild_after("ours after an edit", old, new)

    def add_rebuild(self, rep: int) -> dict[str, Any]:
        """Add a new article (the newest) each round, then rebuild."""
        known = {term for old in self.ours.articles.glob("*.md") for term in _terms(old)}
        path, text = add_article(self.ours, self.count + rep)
        self._same_articles_elsewhere(path)
        return self.rebuild_after(
            "ours after an added article", "", text, terms=len(_terms(path) - known)
        )

    def systems(self) -> list[tuple[str, Site | None, dict[str, str] | None, dict | None]]:
        """Return what each round builds: (name, site, environment, settings)."""
        systems = [
            ("ours", self.ours, self.argos, NO_SEARCH),
            ("ours_sequential", self.ours, self.argos, {**SEQUENTIAL, **NO_SEARCH}),
            ("plain", self.plain, self.env, {**SEQUENTIAL, **NO_SEARCH}),  # stock, in turn
        ]
        if self.opts.memory:
            systems = [s for s in systems if s[0] != "ours_sequential"]  # not asked; 1/3 the time
        if self.hugo:
            systems.append(("hugo", None, None, None))
        return systems


def measure_builds(opts, count: int, packages_dir: Path, env: dict[str, str], log):
    """Time warm full builds interleaved (ours side by side and in turn, plain Pelican in
    turn, Hugo), Pagefind apart, then per round an edit's and an added article's rebuild;
    sample every build's memory and measure the site's shape."""
    bench = SizeBench(opts, count, env, log)
    # Cold builds fill the memory (pseudo engine: instant) and Pelican's content cache.
    cold_ours = bench.build(bench.ours, bench.pseudo, NO_SEARCH, "ours cold (pseudo fill)")
    adopt_pseudo_catalogs(bench.ours)
    cold_plain = bench.build(bench.plain, env, {**SEQUENTIAL, **NO_SEARCH}, "plain cold")
    if bench.hugo:
        bench.start_hugo()
    systems = bench.systems()
    warm: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in systems}
    rounds: dict[str, list[dict[str, Any]]] = {"search": [], "edit": [], "add": []}
    for rep in range(opts.build_reps):
        shift = rep % len(systems)
        for name, site, build_env, extra in systems[shift:] + systems[:shift]:
            if name == "hugo":
                warm[name].append(bench.hugo_build(count + rep))  # ours' articles: N + added
                continue
            # Warm full builds, as `invoke build --full`: every page rendered again (an
            # unchanged site's incremental build would keep them all), caches and memory used.
            warm[name].append(bench.build(site, build_env, extra, name, full=True))
        rounds["search"].append(bench.search_index())  # on the output ours just wrote
        rounds["edit"].append(bench.edit_rebuild(rep))
        rounds["add"].append(bench.add_rebuild(rep))
    hugo_runs = warm.pop("hugo", [])
    result = _figures(bench, cold_ours, cold_plain, warm, rounds, hugo_runs)
    result["shape"] = site_shape(bench.ours.output)  # after the last addition
    per_rep = _per_round(warm, rounds, hugo_runs)
    # Each key: the median over repetitions, and its spread.
    for key, values in per_rep.items():
        result[key] = round(median(values), 3)
    changes = rounds["edit"] + rounds["add"]
    result["incremental_extra_segments"] = max(e["extra_segments"] for e in changes)
    result.setdefault("hugo_ratio", None)  # null without Hugo; builds.N.hugo says why
    result["spread"] = {key: spread(values) for key, values in per_rep.items()}
    return result


def _figures(bench: SizeBench, cold_ours, cold_plain, warm, rounds, hugo_runs) -> dict[str, Any]:
    """Return one size's figures: timings, counts, memory, the rebuilds and Hugo's."""
    count, searches = bench.count, rounds["search"]
    seconds = {name: median([r["seconds"] for r in runs]) for name, runs in warm.items()}
    changes = rounds["edit"] + rounds["add"]
    return {
        "articles": count,
        "pages_per_language": count,
        "segments": cold_ours["sent"] // TARGETS,
        "cold_fill_seconds_pseudo": round(cold_ours["seconds"], 2),
        "cold_plain_seconds": round(cold_plain["seconds"], 2),
        "section_processes": max(r["section_processes"] for r in warm["ours"]),
        "stage_function": warm["ours"][0]["stage_function"],
        **{f"warm_{name}_seconds": round(value, 2) for name, value in seconds.items()},
        **{
            f"warm_{name}_seconds_all": [round(r["seconds"], 2) for r in runs]
            for name, runs in warm.items()
        },
        # Pages and feeds each warm build rendered (all of them: full builds).
        **{f"warm_{name}_rendered": [r["rendered"] for r in runs] for name, runs in warm.items()},
        "cold_ours_rendered": cold_ours["rendered"],
        "warm_sent_to_engine": max(r["sent"] for r in warm["ours"]),
        # Pagefind over ours' output, timed apart (every timed build above has it off).
        "search_index_s": round(median([r["seconds"] for r in searches]), 2),
        "search_index_s_all": [round(r["seconds"], 2) for r in searches],
        # Pagefind time inside the timed builds: 0 unless a build ran it after all.
        "search_index_s_in_warm_builds": max(
            r["search_index_s"] for runs in warm.values() for r in runs
        ),
        "warm_ours_breakdown": [
            {k: r[k] for k in ("stage_s", "sections", "serial_s", "pool_span_s")}
            for r in warm["ours"]
        ],
        **{f"warm_{name}_memory": _memory_summary(runs) for name, runs in warm.items()},
        # The driver's own peak RSS (getrusage), for comparison with earlier runs.
        **{
            f"warm_{name}_peak_rss_mb": max(r["peak_rss_mb"] for r in runs)
            for name, runs in warm.items()
        },
        "articles_per_s_ours": rate(count, seconds["ours"]),
        "articles_per_s_plain": rate(count, seconds["plain"]),
        "edit_rebuild": _median_of(rounds["edit"]),
        "add_article_rebuild": _median_of(rounds["add"]),
        "edit_rebuild_vs_warm_build_formula": (
            "rebuild after the change (its build + its Pagefind run) ÷ (warm full build ours "
            "+ Pagefind), the same round"
        ),
        "hugo": (
            {
                "version": bench.hugo_version,
                "seconds": round(median([r["seconds"] for r in hugo_runs]), 3),
                "seconds_all": [round(r["seconds"], 3) for r in hugo_runs],
                **{k: v for k, v in hugo_runs[-1].items() if k != "seconds"},
            }
            if hugo_runs
            else {"skipped": bench.hugo_missing}
        ),
        # Over the edits and the additions.
        "incremental": {
            "changed_segments": min(e["changed_segments"] for e in changes),
            "sent_to_engine": max(e["sent_to_engine"] for e in changes),
            "extra_segments": max(e["extra_segments"] for e in changes),
            "per_rep_extra_segments": [e["extra_segments"] for e in changes],
        },
    }


def _per_round(warm, rounds, hugo_runs) -> dict[str, list[float]]:
    """Return each key's value in every round, its two sides measured in that round."""
    ours, plain = warm["ours"], warm["plain"]
    full = [r["seconds"] + s["seconds"] for r, s in zip(ours, rounds["search"], strict=True)]

    def memory(runs, figure):
        return [r["memory"][figure] for r in runs]

    per_rep: dict[str, list[float]] = {
        "warm_build_vs_sequential_pelican": paired_ratios(
            [r["seconds"] for r in ours], [r["seconds"] for r in plain]
        ),
        "lookup_stage_vs_one_section": [_section_fraction(r) for r in ours],
        "search_index_s": [r["seconds"] for r in rounds["search"]],
        "edit_rebuild_vs_warm_build": paired_ratios([e["seconds"] for e in rounds["edit"]], full),
        "add_article_rebuild_vs_warm_build": paired_ratios(
            [e["seconds"] for e in rounds["add"]], full
        ),
        "incremental_extra_segments": [e["extra_segments"] for e in rounds["edit"] + rounds["add"]],
        "warm_build_peak_pss_vs_plain": paired_ratios(
            memory(ours, "peak_pss_mb"), memory(plain, "peak_pss_mb")
        ),
        "warm_build_largest_rss_vs_plain": paired_ratios(
            memory(ours, "largest_process_rss_mb"), memory(plain, "largest_process_rss_mb")
        ),
    }
    if hugo_runs:
        # Our warm full build (Pagefind apart; Hugo has no search index) ÷ Hugo's, paired.
        per_rep["hugo_ratio"] = paired_ratios(
            [r["seconds"] for r in ours], [r["seconds"] for r in hugo_runs]
        )
    if "ours_sequential" in warm:
        sequential = warm["ours_sequential"]
        per_rep["warm_rebuild_vs_pelican"] = paired_ratios(
            [r["seconds"] for r in sequential], [r["seconds"] for r in plain]
        )
        per_rep["lookup_stage_vs_one_section_sequential"] = [
            _section_fraction(r) for r in sequential
        ]
        for key, figure in (
            ("parallel_total_pss_vs_sequential", "peak_pss_mb"),
            ("parallel_total_private_vs_sequential", "peak_uss_mb"),
            ("parallel_total_peak_rss_vs_sequential", "peak_rss_sum_mb"),
        ):
            per_rep[key] = paired_ratios(memory(ours, figure), memory(sequential, figure))
    return per_rep
