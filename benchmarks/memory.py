"""Sample the memory of a process and all its descendants at once, from /proc, while it runs.

Why PSS: a section process is forked from the build driver and shares, copy-on-write,
every page the driver held at the fork. Summing RSS counts each shared page once per
process (an upper bound: 3 processes sharing 60 MB count 180 MB); summing USS
(private pages) counts it in no process at all (a lower bound). PSS charges each page
1/n to each of the n processes mapping it, so the PSS of every process of the tree,
summed *at the same instant*, is the memory the build holds, each page counted once.
The peak of that sum over the build is the figure to compare with a sequential build
(one process, whose PSS sum is its own PSS). Pss_Anon (heap and stacks, not files) is
kept apart: libraries mapped by other programs on the machine lower a process's file
PSS, anonymous pages are shared only inside the tree.

The sampler runs in the parent (benchmarks.run), not in the measured build, and sleeps
between samples at least 50× as long as the last sample took, so it uses at most ~2%
of one core; its own CPU time is reported with the figures.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ("Rss", "Pss", "Pss_Anon", "Private_Clean", "Private_Dirty")
MIN_INTERVAL_S = 0.05
COST_FACTOR = 50  # sleep ≥ 50 × the last sample's cost: ≤ 2% of one core


def descendants(root: int) -> list[int]:
    """Return ``root`` and every living descendant of it (scans /proc for parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the process ended while we looked
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, ()))
    return found


def rollup_kb(pid: int) -> dict[str, int] | None:
    """Return the FIELDS of /proc/PID/smaps_rollup in KiB, or None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8")
    except OSError:
        return None
    figures = dict.fromkeys(FIELDS, 0)
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in figures:
            figures[name] = int(value.split()[0])
    if not figures["Rss"]:
        return None  # a zombie, or a kernel thread: nothing mapped
    return figures


def _uss_kb(figures: dict[str, int]) -> int:
    """Return a process's private pages (USS) in KiB."""
    return figures["Private_Clean"] + figures["Private_Dirty"]


@dataclass
class TreeSample:
    """One instant: each living process of the tree and its figures in KiB."""

    at_s: float
    processes: dict[int, dict[str, int]]

    def total_mb(self, name: str) -> float:
        """Return the sum of one figure (or 'Private' = USS) over the processes, in MB."""
        if name == "Private":
            kb = sum(_uss_kb(p) for p in self.processes.values())
        else:
            kb = sum(p[name] for p in self.processes.values())
        return kb / 1024


@dataclass
class TreeMemory:
    """Peaks over a run: each sum's highest value, and the sample at the PSS peak."""

    samples: int = 0
    sampler_cpu_s: float = 0.0
    peak_pss_mb: float = 0.0
    peak_pss_anon_mb: float = 0.0
    peak_uss_mb: float = 0.0
    peak_rss_sum_mb: float = 0.0
    largest_process_rss_mb: float = 0.0
    most_processes: int = 0
    at_pss_peak: dict[str, object] = field(default_factory=dict)

    def add(self, sample: TreeSample, root: int) -> None:
        """Fold one sample into the peaks."""
        if not sample.processes:
            return
        self.samples += 1
        pss = sample.total_mb("Pss")
        if pss > self.peak_pss_mb:
            self.peak_pss_mb = pss
            others = [pid for pid in sample.processes if pid != root]
            self.at_pss_peak = {
                "seconds": round(sample.at_s, 2),
                "root_pss_mb": round(sample.processes.get(root, {}).get("Pss", 0) / 1024, 1),
                # Each child's own pages: what one more section process would add.
                "children_uss_mb": [
                    round(_uss_kb(sample.processes[pid]) / 1024, 1) for pid in others
                ],
            }
        self.peak_pss_anon_mb = max(self.peak_pss_anon_mb, sample.total_mb("Pss_Anon"))
        self.peak_uss_mb = max(self.peak_uss_mb, sample.total_mb("Private"))
        self.peak_rss_sum_mb = max(self.peak_rss_sum_mb, sample.total_mb("Rss"))
        largest = max(p["Rss"] for p in sample.processes.values()) / 1024
        self.largest_process_rss_mb = max(self.largest_process_rss_mb, largest)
        self.most_processes = max(self.most_processes, len(sample.processes))

    def report(self) -> dict[str, object]:
        """Return the figures as JSON-ready numbers (MB, rounded)."""
        return {
            "peak_pss_mb": round(self.peak_pss_mb, 1),
            "peak_pss_anon_mb": round(self.peak_pss_anon_mb, 1),
            "peak_uss_mb": round(self.peak_uss_mb, 1),
            "peak_rss_sum_mb": round(self.peak_rss_sum_mb, 1),
            "largest_process_rss_mb": round(self.largest_process_rss_mb, 1),
            "most_processes": self.most_processes,
            "at_pss_peak": self.at_pss_peak,
            "samples": self.samples,
            "sampler_cpu_s": round(self.sampler_cpu_s, 3),
        }


def sample_tree(root: int, started: float) -> TreeSample:
    """Read the figures of ``root`` and its descendants now."""
    processes = {}
    for pid in descendants(root):
        figures = rollup_kb(pid)
        if figures is not None:
            processes[pid] = figures
    return TreeSample(time.perf_counter() - started, processes)


class TreeSampler:
    """Sample a process tree in a background thread until ``stop()``; then read ``memory``."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.memory = TreeMemory()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sampler-{root}", daemon=True)

    def start(self) -> TreeSampler:
        """Start sampling; return self."""
        self._thread.start()
        return self

    def stop(self) -> TreeMemory:
        """Stop sampling and return the peaks."""
        self._stop.set()
        self._thread.join()
        return self.memory

    def _run(self) -> None:
        started = time.perf_counter()
        while not self._stop.is_set():
            cpu = time.thread_time()
            self.memory.add(sample_tree(self.root, started), self.root)
            cost = time.thread_time() - cpu
            self.memory.sampler_cpu_s += cost
            self._stop.wait(max(MIN_INTERVAL_S, COST_FACTOR * cost))
