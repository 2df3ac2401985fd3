"""``invoke translate``: fill the catalogs for every article, page and term, build no site.

The same plan, memory and checkpoints as the build's translation; only the engine
differs: in this process (default), or spread over Ray workers (``--cluster``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from typing import Any

from .config import AutotranslateConfig, ConfigError, load_config
from .engines import create_engine
from .pipeline import TranslationFailed
from .progress import EngineProgress
from .sources import read_site
from .translations import translate_sources

log = logging.getLogger(__name__)
CLUSTER_ADDRESSES = "local, auto or ray://HOST:PORT"


@dataclass(frozen=True)
class StageReport:
    """What one ``invoke translate`` did: the numbers its last line prints."""

    contents: int  # articles and pages read in the source language
    segments: int  # segments shown after the run, in all target languages
    missing: int  # segments still without a translation
    sent: int  # segments sent to the engine
    problems: tuple[str, ...]

    def line(self) -> str:
        """Return the one-line summary printed at the end."""
        return (
            f"translate: {self.contents} articles and pages, {self.segments} segments in the "
            f"catalogs; {self.sent} sent to the engine, {self.missing} still missing"
        )


def _check_cluster(address: str, engine: str) -> None:
    """Refuse a cluster address Ray cannot join, or an engine the workers do not run."""
    if address in ("local", "auto") or address.startswith("ray://"):
        if engine != "argos":
            raise ConfigError(
                f"--cluster {address}: the cluster runs the argos engine only, "
                f"not {engine!r}; drop --cluster or use --engine argos."
            )
        return
    raise ConfigError(f"--cluster: {address!r} is not a Ray address; use {CLUSTER_ADDRESSES}.")


def stage_config(
    settings: dict[str, Any], *, engine: str = "", device: str = "", workers: int = 1,
    cluster: str = "",
) -> AutotranslateConfig:  # fmt: skip
    """Return the checked config of a translate run with the command line's flags applied."""
    if workers < 1:
        raise ConfigError(f"--workers: must be at least 1, not {workers}")
    # On a cluster the workers' GPUs count, not this machine's: checked once it is joined.
    config = load_config(
        settings, engine=engine, device=device, **({"cuda_devices": None} if cluster else {})
    )
    if cluster:
        _check_cluster(cluster, config.engine)
    elif workers > 1:
        # In process, N workers are N CTranslate2 translators sharing the cores.
        threads = config.argos.intra_threads or max(1, (os.cpu_count() or 1) // workers)
        argos = replace(config.argos, inter_threads=workers, intra_threads=threads)
        config = replace(config, argos=argos)
    return config


def translate_site(
    settings: dict[str, Any],
    *,
    engine: str = "",
    workers: int = 1,
    cluster: str = "",
    device: str = "",
) -> StageReport:
    """Translate every missing segment of the site into the catalogs; write no page."""
    config = stage_config(settings, engine=engine, device=device, workers=workers,
                          cluster=cluster)  # fmt: skip
    sources = read_site(settings, config)
    for problem in sources.problems:
        log.error("translate: %s", problem)
    for message in sources.left_out:
        log.warning("translate: %s", message)
    if config.strict and sources.problems:
        raise TranslationFailed(
            f"strict mode: {len(sources.problems)} article(s) or page(s) could not be read"
        )
    if config.strict and sources.left_out:
        raise TranslationFailed(
            f"strict mode: {len(sources.left_out)} file(s) or link(s) were left out (above)"
        )
    engines: list[Any] = []

    def make_engine():
        if cluster:
            from .engines.cluster import ClusterEngine

            origin = "--device" if device else "AUTOTRANSLATE['argos']['device']"
            engines.append(ClusterEngine(config.argos, cluster, workers, device_origin=origin))
        else:
            engines.append(create_engine(config))
        return engines[-1]

    progress = EngineProgress(enabled=config.progress)
    try:
        translations = translate_sources(config, sources.texts(), make_engine, progress)
    finally:
        progress.close()
        for made in engines:
            if hasattr(made, "close"):
                made.close()
    problems = [f"no engine for {reason}" for reason in translations.unavailable]
    problems += [*translations.problems, *translations.unreadable]
    for problem in problems:
        log.warning("translate: %s", problem)
    problems += [*sources.problems, *sources.left_out]
    report = StageReport(
        contents=len(sources.contents),
        segments=sum(translations.totals.values()),
        missing=translations.missing,
        sent=translations.sent,
        problems=tuple(problems),
    )
    if config.strict and (report.missing or translations.problems or translations.unavailable):
        raise TranslationFailed(
            "translate: strict mode: segments are missing or there were problems (above)."
        )
    return report
