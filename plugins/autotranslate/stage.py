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
from .contract_file import contract_path
from .engines import create_engine
from .translation_stage import run_translation_stage

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
    """Run the build's translation stage alone: fill the catalogs, write no page.

    ``settings`` are the original language's section settings (or the site's own).
    """
    config = stage_config(settings, engine=engine, device=device, workers=workers,
                          cluster=cluster)  # fmt: skip

    def make_engine():
        if cluster:
            from .engines.cluster import ClusterEngine

            origin = "--device" if device else "AUTOTRANSLATE['argos']['device']"
            return ClusterEngine(config.argos, cluster, workers, device_origin=origin)
        return create_engine(config)

    translations, _ = run_translation_stage(
        settings, contract_path(settings["CACHE_PATH"]), config=config, engine_factory=make_engine
    )
    problems = [f"no engine for {reason}" for reason in translations.unavailable]
    problems += [*translations.problems, *translations.unreadable]
    return StageReport(
        contents=len(translations.items),
        segments=sum(translations.totals.values()),
        missing=translations.missing,
        sent=translations.sent,
        problems=tuple([*problems, *dict.fromkeys(translations.left_out.values())]),
    )
