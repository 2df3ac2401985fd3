"""Run the Pelican run of every language section, side by side in processes.

The translation stage has already run and saved its contract: the sections share
nothing else, so all of them, the original language's included, are built at once
in forked processes. What they log and print is sent back and re-emitted here, in
section order, so the build's log reads as if the sections had run one after
another; what each one made comes back with it.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from pelican import Pelican
from pelican import log as pelican_log

from .languages import ConfigError
from .writer import SectionOutputs, take_section_outputs

# 0 (default): one process per section, up to two per CPU; 1: one section after another
# in this process; N: at most N processes.
PROCESSES_SETTING = "TRILINGUAL_SECTION_PROCESSES"


class SectionFailed(Exception):
    """A section's process failed in a way that cannot be passed back as it was raised."""


@dataclass
class SectionOutcome:
    """What one section's run left: Pelican's summary line, its log records and output."""

    summary: str = ""
    records: list[logging.LogRecord] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    error: BaseException | None = None
    # The files the section made, and what it rendered, wrote and kept.
    made: SectionOutputs | None = None


@dataclass(frozen=True)
class SectionResult:
    """One section's build: Pelican's summary line and what it made."""

    summary: str
    made: SectionOutputs | None


# The settings of the sections being built; forked workers inherit them instead of
# receiving them through a pipe.
_SECTIONS: Sequence[dict[str, Any]] = ()


def section_processes(settings: dict[str, Any], sections: int) -> int:
    """Return how many processes build ``sections`` sections (1: in this process)."""
    wanted = settings.get(PROCESSES_SETTING, 0)
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 0:
        raise ConfigError(
            f"{PROCESSES_SETTING} = {wanted!r}: give a whole number of processes "
            "(0: one per section, 1: build the sections one after another)."
        )
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # workers must inherit the shared work; without fork, build in turn
    # Three sections on two cores: three processes share the cores and finish in 1.5
    # sections' time, where two would leave the third to run alone afterwards.
    return max(1, min(sections, wanted or 2 * (os.cpu_count() or 1)))


def run_section(settings: dict[str, Any]) -> SectionResult:
    """Run Pelican for one section; return its "Done: Processed …" line and what it made."""
    pelican = Pelican(settings)
    # Pelican prints its summary itself; the driver logs it shortened, naming the section.
    with pelican_log.console.capture() as capture:
        pelican.run()
    return SectionResult(capture.get(), take_section_outputs(settings["DEFAULT_LANG"]))


def build_sections(sections: Sequence[dict[str, Any]]) -> list[SectionResult]:
    """Build every section; return their results in order. A failure stops the build."""
    if not sections:
        return []
    processes = section_processes(sections[0], len(sections))
    if processes == 1 or len(sections) == 1:
        return [run_section(settings) for settings in sections]
    return _build_in_workers(sections, processes)


def _build_in_workers(sections: Sequence[dict[str, Any]], processes: int) -> list[SectionResult]:
    """Build the sections in forked worker processes; return their results in order."""
    global _SECTIONS
    _SECTIONS = sections
    # Anything buffered now would be written again by every forked copy of the buffer.
    sys.stdout.flush()
    sys.stderr.flush()
    # Objects that exist now are left out of the workers' garbage collection, which
    # would otherwise write to (and so copy) every inherited page holding one.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            futures = [pool.submit(_run_in_worker, index) for index in range(len(sections))]
            outcomes, unfinished = [], []
            for settings, future in zip(sections, futures, strict=True):
                try:
                    outcomes.append(future.result())
                except BrokenProcessPool:
                    unfinished.append(repr(settings["DEFAULT_LANG"]))
            if unfinished:
                # A worker that dies takes the whole pool down: which one died is unknown.
                raise SectionFailed(
                    f"section {', '.join(unfinished)}: a section process ended abruptly (it "
                    "exited, crashed or ran out of memory) before finishing; build with "
                    f"{PROCESSES_SETTING} = 1 to see where."
                )
    finally:
        _SECTIONS = ()
        gc.unfreeze()
    results = []
    for outcome in outcomes:
        _replay(outcome)
        if outcome.error is not None:
            raise outcome.error
        results.append(SectionResult(outcome.summary, outcome.made))
    return results


def _replay(outcome: SectionOutcome) -> None:
    """Emit a worker's log records and output here, as if the section had run here."""
    for record in outcome.records:
        # Pelican's filter raises on a record an earlier section already logged.
        with contextlib.suppress(pelican_log.FilteredMessage):
            logging.getLogger(record.name).handle(record)
    sys.stdout.write(outcome.stdout)
    sys.stderr.write(outcome.stderr)


class _Collector(logging.Handler):
    """Keeps a worker's log records, made picklable, for the driver to emit."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _run_in_worker(index: int) -> SectionOutcome:
    """In a forked worker: run one section, keeping its logs, output and any error."""
    settings = _SECTIONS[index]
    root = logging.getLogger()
    collector = _Collector()
    handlers = root.handlers[:]
    root.handlers = [collector]
    outcome = SectionOutcome()
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            result = run_section(settings)
        outcome.summary, outcome.made = result.summary, result.made
    except Exception as error:  # passed back to the driver, which raises it there
        outcome.error = _portable(error, settings["DEFAULT_LANG"])
    finally:
        root.handlers = handlers
    outcome.records = collector.records
    outcome.stdout, outcome.stderr = stdout.getvalue(), stderr.getvalue()
    return outcome


def _portable(error: Exception, language: str) -> BaseException:
    """Return ``error`` if it survives the trip to the driver, else a SectionFailed naming it."""
    where = f"raised in the section {language!r} (worker process):\n" + "".join(
        traceback.format_exception(error)
    )
    try:
        copy = pickle.loads(pickle.dumps(error))
        same = type(copy) is type(error) and str(copy) == str(error)
    except Exception:  # an exception class that does not pickle: keep its message
        same = False
    if not same:
        copy = SectionFailed(f"section {language!r}: {type(error).__name__}: {error}")
    copy.add_note(where.rstrip())
    return copy
