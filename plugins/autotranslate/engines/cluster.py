"""The Argos engine spread over Ray workers: one actor per worker, each holding its models.

It implements the same Engine protocol as the in-process engines, so the
pipeline's plan, checkpoints and catalogs are the same code: the driver (this
process) stays the only writer. A call's texts are sorted by length and cut into
shards; every idle worker takes the next shard. A worker that dies is restarted
by Ray and its shard is sent again, so a killed worker costs time, never a
segment. Ray is an optional extra: ``uv run --extra cluster``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import ArgosSettings, ConfigError, resolve_device
from .argos import chunk_batches, plan_batches
from .base import EngineError, ProgressCallback, Provenance, Translation

PLUGINS_DIR = Path(__file__).resolve().parents[2]
# Texts per shard: small enough to balance the workers inside one checkpoint, big
# enough to fill CTranslate2's batches (32 by default).
SHARD_SIZE = 64
# How often Ray restarts a dead worker, and resends the shard it held.
RESTARTS = 3
INSTALL_HINT = (
    "Ray is an optional extra: run with `python3 -m uv run --extra cluster invoke translate ...`"
)


class ClusterError(ConfigError):
    """The cluster cannot be reached or started; the message names the --cluster flag."""


def _import_ray():
    """Import Ray or say how to install it."""
    try:
        import ray
    except ImportError as error:
        raise ClusterError(f"--cluster: Ray is not installed. {INSTALL_HINT}") from error
    return ray


def shards_of(batches: list[list[int]], size: int) -> list[list[int]]:
    """Join consecutive whole batches into shards of about ``size`` inputs, in batch order.

    A shard never splits a batch, so a worker re-planning its shard finds the same
    batches the in-process engine plans for the whole call.

    >>> shards_of([[1, 4], [2, 0], [3]], 3)
    [[1, 4, 2, 0], [3]]
    """
    return [[i for batch in chunk for i in batch] for chunk in chunk_batches(batches, size)]


class TranslationWorker:
    """One Ray actor: an ArgosEngine whose models (one per direction) stay loaded."""

    def __init__(self, settings: ArgosSettings) -> None:
        from .argos import ArgosEngine

        self.engine = ArgosEngine(settings)

    def pid(self) -> int:
        """Return the worker's process id (tests kill it)."""
        return os.getpid()

    def check(self, source: str, target: str) -> str:
        """Return '' when source→target can run here, else the reason."""
        try:
            self.engine.check(source, target)
        except EngineError as error:
            return str(error)
        return ""

    def provenance(self, source: str, target: str) -> Provenance:
        """Return the provenance of the package this worker uses."""
        return self.engine.provenance(source, target)

    def piece_lengths(self, texts: list[str], source: str, target: str) -> list[int]:
        """Return each text's length in SentencePiece pieces (the batches are planned on it)."""
        return self.engine.piece_lengths(texts, source, target)

    def translate(
        self, texts: list[str], source: str, target: str, careful: bool
    ) -> list[Translation]:
        """Translate one shard."""
        return self.engine.translate(texts, source, target, careful=careful)


class ClusterEngine:
    """Translate on Ray worker actors; the caller sees an ordinary engine."""

    name = "argos"

    def __init__(
        self,
        settings: ArgosSettings,
        address: str,
        workers: int,
        *,
        shard_size: int = SHARD_SIZE,
        device_origin: str = "AUTOTRANSLATE['argos']['device']",
    ) -> None:
        if workers < 1:
            raise ClusterError(f"--workers: must be at least 1, not {workers}")
        self.ray = _import_ray()
        self.address = address
        self.shard_size = shard_size
        self._started_here = False
        self._connect(address, workers)
        try:
            self._start_workers(settings, address, workers, device_origin)
        except BaseException:
            if self._started_here:
                self.ray.shutdown()
            raise

    def _start_workers(
        self, settings: ArgosSettings, address: str, workers: int, device_origin: str
    ) -> None:
        """Check the device against the cluster's GPUs and start one actor per worker."""
        gpus = self._cluster_gpus()
        # The cluster's GPUs count, not the driver's: a laptop can drive a GPU cluster.
        settings = resolve_device(settings, lambda: gpus, device_origin)
        if settings.packages_dir or address == "local":
            # A local cluster shares this machine's folders; a remote one uses its own default.
            from ..packages import default_packages_dir

            folder = settings.packages_dir or default_packages_dir()
            settings = replace(settings, packages_dir=str(folder))
        if settings.intra_threads == 0:
            # Each worker asks Ray for one CPU; auto threads would take every core each.
            settings = replace(settings, intra_threads=1)
        self.settings = settings
        actor = self.ray.remote(
            num_cpus=1,
            num_gpus=1 if settings.device == "cuda" else 0,
            max_restarts=RESTARTS,
            max_task_retries=RESTARTS,
        )(TranslationWorker)
        self.workers = [actor.remote(settings) for _ in range(workers)]
        self._provenance: dict[tuple[str, str], Provenance] = {}

    def _connect(self, address: str, workers: int) -> None:
        """Start a local cluster or join a running one."""
        ray = self.ray
        if ray.is_initialized():
            return  # already connected (e.g. a test's cluster): use it
        path = [str(PLUGINS_DIR), os.environ.get("PYTHONPATH", "")]
        env = {"PYTHONPATH": os.pathsep.join(p for p in path if p)}
        try:
            if address == "local":
                # "local" starts a new cluster even when `ray start` left one running here.
                ray.init(
                    address="local",
                    num_cpus=workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    runtime_env={"env_vars": env},
                )
            else:
                # A remote cluster gets the plugin's code shipped with the job.
                ray.init(
                    address=address,
                    log_to_driver=False,
                    runtime_env={"py_modules": [str(PLUGINS_DIR / "autotranslate")]},
                )
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ClusterError(
                f"--cluster {address}: cannot start or join a Ray cluster: {error}. "
                "For a running cluster use 'auto' on one of its machines or "
                "ray://HOST:10001 (see README, 'Translating a back catalogue')."
            ) from error
        self._started_here = True

    def _cluster_gpus(self) -> int:
        return int(self.ray.cluster_resources().get("GPU", 0))

    def worker_pids(self) -> list[int]:
        """Return the process id of every worker."""
        return self.ray.get([worker.pid.remote() for worker in self.workers])

    def check(self, source: str, target: str) -> None:
        """Raise EngineError if the workers cannot translate source→target."""
        from .base import EngineUnavailable

        reasons = self.ray.get([worker.check.remote(source, target) for worker in self.workers])
        problem = next((reason for reason in reasons if reason), "")
        if problem:
            raise EngineUnavailable(f"on the cluster's workers: {problem}")

    def provenance(self, source: str, target: str) -> Provenance:
        """Return the provenance the workers record for source→target."""
        key = (source, target)
        if key not in self._provenance:
            self._provenance[key] = self.ray.get(self.workers[0].provenance.remote(*key))
        return self._provenance[key]

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        careful: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Translation]:
        """Translate every text, in order, spreading length-sorted shards over the workers."""
        ray = self.ray
        results = [Translation("")] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if on_progress is not None and len(todo) < len(texts):
            on_progress(len(texts) - len(todo))
        if not todo:
            return results
        inputs = [texts[i] for i in todo]
        # The batches the in-process engine would make: same plan, same outputs.
        lengths = self._get(self.workers[0].piece_lengths.remote(inputs, source, target))
        settings = self.settings
        batches = plan_batches(lengths, settings.max_batch_size, settings.batch_type)
        shards = shards_of(batches, self.shard_size)
        idle = list(self.workers)
        running: dict[Any, tuple[Any, list[int]]] = {}
        next_shard = 0
        while next_shard < len(shards) or running:
            while idle and next_shard < len(shards):
                worker, shard = idle.pop(), shards[next_shard]
                next_shard += 1
                ref = worker.translate.remote([inputs[i] for i in shard], source, target, careful)
                running[ref] = (worker, shard)
            (done,), _ = ray.wait(list(running), num_returns=1)
            worker, shard = running.pop(done)
            for i, translation in zip(shard, self._get(done), strict=True):
                results[todo[i]] = translation
            idle.append(worker)
            if on_progress is not None:
                on_progress(len(shard))
        return results

    def _get(self, ref: Any) -> Any:
        """Wait for one result; a worker that failed past Ray's retries is an EngineError."""
        try:
            return self.ray.get(ref)
        except self.ray.exceptions.RayError as error:
            raise EngineError(f"a cluster worker failed: {error}") from error

    def close(self) -> None:
        """Stop the workers, and the local cluster if this engine started it."""
        for worker in self.workers:
            self.ray.kill(worker)
        self.workers = []
        if self._started_here:
            self.ray.shutdown()
