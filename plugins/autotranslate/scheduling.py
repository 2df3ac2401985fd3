"""Engine scheduling: send segments to an engine in checkpoints, retry what comes back bad.

Knows nothing of catalogs or HTML: it takes plain texts for one direction and
yields their results one checkpoint at a time, so the caller can store and save
each checkpoint before the next one starts (a killed run loses at most one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .engines.base import Engine, EngineError, Provenance, Translation
from .quality import quality_problem

Progress = Callable[[int, str], Callable[[int], None]]
# One checkpoint: indexes into the texts, their results (None when the engine failed
# on that text), and per text a quality problem ("" when fine) or the failure.
Checkpoint = tuple[list[int], list[Translation | None], list[str]]


class EngineScheduler:
    """Create the engine on first use, check directions, run checkpoints with retries."""

    def __init__(
        self,
        engine_factory: Callable[[], Engine],
        checkpoint_segments: int,
        progress: Progress | None = None,
    ) -> None:
        self._engine_factory = engine_factory
        self._engine: Engine | None = None
        self.checkpoint_segments = checkpoint_segments
        self._progress = progress
        # (source, target) → why the engine cannot run that direction.
        self.unavailable: dict[tuple[str, str], str] = {}

    @property
    def engine(self) -> Engine:
        """Create the engine on first use, so a build with a full memory never loads it."""
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    def usable(self, source: str, target: str) -> bool:
        """Tell whether the engine can translate source→target, remembering why not."""
        if (source, target) in self.unavailable:
            return False
        try:
            self.engine.check(source, target)
        except EngineError as error:
            self.unavailable[(source, target)] = str(error)
            return False
        return True

    def provenance(self, source: str, target: str) -> Provenance:
        """Return the engine's provenance for a direction."""
        return self.engine.provenance(source, target)

    def checkpoints(self, texts: Sequence[str], source: str, target: str) -> Iterator[Checkpoint]:
        """Translate texts shortest first, yielding each checkpoint's results."""
        # Similar lengths batch well; shortest first also gives early checkpoints.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        advance = self._progress(len(order), f"{source}→{target}") if self._progress else None
        step = self.checkpoint_segments
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            batch = [texts[i] for i in chunk]
            try:
                results, problems = self._checked(batch, source, target, advance)
            except Exception:  # one bad segment must not cost the rest of the chunk
                results, problems = self._one_by_one(batch, source, target, advance)
            yield chunk, results, problems

    def _one_by_one(self, texts: list[str], source: str, target: str, advance):
        """Translate texts singly after a chunk failed; a failing text gets result None."""
        results: list[Translation | None] = []
        problems: list[str] = []
        for text in texts:
            try:
                (result,), (problem,) = self._checked([text], source, target, advance)
            except Exception as error:
                result, problem = None, f"{type(error).__name__}: {error}"
            results.append(result)
            problems.append(problem)
        return results, problems

    def _checked(self, texts: list[str], source: str, target: str, advance):
        """Translate, retry bad outputs once with careful decoding, and name what stays bad."""
        results: list[Translation | None] = list(
            self.engine.translate(texts, source, target, on_progress=advance)
        )
        problems = [
            quality_problem(t, r.text if r else "", target)
            for t, r in zip(texts, results, strict=True)
        ]
        retry = [i for i, problem in enumerate(problems) if problem]
        if retry:
            again = self.engine.translate([texts[i] for i in retry], source, target, careful=True)
            for i, result in zip(retry, again, strict=True):
                problem = quality_problem(texts[i], result.text, target)
                if not problem or (len(result.text) > 0 and problems[i] == "empty output"):
                    results[i] = result
                problems[i] = problem
        return results, problems
