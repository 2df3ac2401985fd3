"""The interface every translation engine implements, and its value types."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import StopBuild

# (target_start, target_end, source_start, source_end): character offsets of one
# target word and of the source word it was aligned to.
WordAlignment = tuple[int, int, int, int]


@dataclass(frozen=True)
class Translation:
    """One translated sentence: plain text plus an optional word alignment."""

    text: str
    alignment: tuple[WordAlignment, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Which engine and model produced a machine translation."""

    engine: str
    package: str
    version: str

    def label(self) -> str:
        """Return the form stored in catalogs, e.g. ``argos translate-ar_en 1.0``."""
        return f"{self.engine} {self.package} {self.version}"


class EngineError(StopBuild):
    """An engine cannot run; the message says what is wrong and how to fix it."""


class EngineUnavailable(EngineError):
    """A needed language direction has no installed model."""


ProgressCallback = Callable[[int], None]


class Engine(Protocol):
    """Translates plain-text sentences for one direction at a time.

    Engines know nothing of HTML or Pelican: they receive sentences without
    markup and return plain text. Pivoting (ar→en→fr) is the caller's job.
    """

    name: str

    def check(self, source: str, target: str) -> None:
        """Raise EngineUnavailable, naming the fix, if source→target cannot run."""

    def provenance(self, source: str, target: str) -> Provenance:
        """Return the provenance recorded for source→target translations."""

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        careful: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Translation]:
        """Translate every text, in order; ``careful`` asks for safer decoding.

        ``on_progress(n)`` is called after each chunk of ``n`` texts is done.
        """
