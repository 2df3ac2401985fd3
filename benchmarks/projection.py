"""Project a warm full build's time and memory to a larger archive on another runner.

Each part of the build measured at several sizes N is fitted by a straight line
x(N) = a + b·N (least squares; exact through two points) and combined by FORMULA
(below). serial is everything outside the side-by-side sections (settings, sections
run in the driver, the translation stage, sitemaps); makespan hands each section, in
order, to the first free process (as the process pool does); P = min(k, runner
cores); search is Pagefind, kept at this machine's speed (it is not assumed to use the
extra cores); pss is the peak total PSS of the build's processes and section_uss the
private memory of one section process at that peak (what one more section process
adds). Assumption: a runner core is as fast as one here; the fit is linear, which the
measured points should be checked against (per-article cost at each size, printed
with them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

RUNNER = {"cores": 4, "memory_gb": 16}
GOALS = {"minutes": 30, "memory_gb": 8}
FORMULA = (
    "T(N) = serial(N) + makespan(section_1(N) … section_k(N) on P processes) + search(N)\n"
    "M(N) = pss(N) + (P − P_measured) × section_uss(N)\n"
    "each x(N) = a + b·N fitted on the measured sizes; P = min(k, runner cores)"
)


def fit_line(points: Mapping[int, float]) -> tuple[float, float]:
    """Return (a, b) of the least-squares line x = a + b·N through {N: x}.

    >>> fit_line({1000: 20.0, 10000: 200.0})
    (0.0, 0.02)
    """
    if len(points) < 2:
        raise ValueError("a line needs measurements at two sizes at least")
    sizes = list(points)
    mean_n = sum(sizes) / len(sizes)
    mean_x = sum(points.values()) / len(points)
    slope = sum((n - mean_n) * (points[n] - mean_x) for n in sizes) / sum(
        (n - mean_n) ** 2 for n in sizes
    )
    return round(mean_x - slope * mean_n, 6), round(slope, 9)


def makespan(durations: Sequence[float], processes: int) -> float:
    """Return when the last job ends if each, in order, goes to the first free process.

    >>> makespan([10, 10, 10], 2)
    20
    >>> makespan([10, 10, 10], 4)
    10
    """
    free_at = [0.0] * max(1, processes)
    for duration in durations:
        first = free_at.index(min(free_at))
        free_at[first] += duration
    return max(free_at) if durations else 0


def project(measured: Mapping[int, Mapping[str, Any]], target: int) -> dict[str, Any]:
    """Project the build to ``target`` articles on the RUNNER from per-size measurements.

    ``measured[N]`` holds serial_s, sections_s (the side-by-side sections, in order),
    search_index_s, peak_pss_mb, section_uss_mb and processes (section processes used).
    """
    if len(measured) < 2:
        return {"skipped": "the projection needs two sizes at least (e.g. --sizes 1000,10000)"}
    sizes = sorted(measured)
    counts = {len(measured[n]["sections_s"]) for n in sizes}
    if len(counts) != 1:
        return {"skipped": f"the sizes ran different numbers of side-by-side sections: {counts}"}
    sections = counts.pop()

    def line(get) -> tuple[float, float]:
        return fit_line({n: float(get(measured[n])) for n in sizes})

    def at(fit: tuple[float, float]) -> float:
        return fit[0] + fit[1] * target

    fits = {
        "serial_s": line(lambda m: m["serial_s"]),
        "search_index_s": line(lambda m: m["search_index_s"]),
        "peak_pss_mb": line(lambda m: m["peak_pss_mb"]),
        "section_uss_mb": line(lambda m: m["section_uss_mb"]),
        **{f"section_{j + 1}_s": line(lambda m, j=j: m["sections_s"][j]) for j in range(sections)},
    }
    processes = min(sections, RUNNER["cores"]) if sections else 0
    measured_processes = measured[sizes[-1]]["processes"]
    section_times = [at(fits[f"section_{j + 1}_s"]) for j in range(sections)]
    seconds = at(fits["serial_s"]) + makespan(section_times, processes)
    with_search = seconds + at(fits["search_index_s"])
    memory_mb = at(fits["peak_pss_mb"]) + (processes - measured_processes) * at(
        fits["section_uss_mb"]
    )
    return {
        "target_articles": target,
        "runner": {**RUNNER, "section_processes": processes},
        "formula": FORMULA,
        "fits_a_plus_b_n": {name: {"a": a, "b": b} for name, (a, b) in fits.items()},
        "points": {str(n): dict(measured[n]) for n in sizes},
        "per_article_ms": {
            str(n): round(1000 * (measured[n]["serial_s"] + sum(measured[n]["sections_s"])) / n, 2)
            for n in sizes
        },
        "build_minutes_without_search": round(seconds / 60, 1),
        "build_minutes": round(with_search / 60, 1),
        "memory_gb": round(memory_mb / 1024, 2),
        "goals": GOALS,
    }


def describe(projection: Mapping[str, Any]) -> str:
    """Return the projection as the lines the benchmark prints."""
    if "skipped" in projection:
        return f"projection: {projection['skipped']}"
    runner = projection["runner"]
    lines = [
        f"projection to N={projection['target_articles']:,} on a {runner['cores']}-core "
        f"{runner['memory_gb']} GB runner ({runner['section_processes']} section processes):",
        *("  " + line for line in projection["formula"].splitlines()),
        "  fitted on (x = a + b·N):",
        *(
            f"    {name}: a = {fit['a']:.3f}, b = {fit['b']:.6g}"
            for name, fit in projection["fits_a_plus_b_n"].items()
        ),
        "  measured points:",
        *(
            f"    N={n}: {point}  ({projection['per_article_ms'][n]} ms per article)"
            for n, point in projection["points"].items()
        ),
        f"  → warm full build {projection['build_minutes']} min "
        f"({projection['build_minutes_without_search']} min without Pagefind), "
        f"peak memory {projection['memory_gb']} GB "
        f"(goals: under {GOALS['minutes']} min and {GOALS['memory_gb']} GB)",
    ]
    return "\n".join(lines)
