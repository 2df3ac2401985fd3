"""The engine of a build from the committed memory alone: it translates nothing."""

from __future__ import annotations

from .base import EngineUnavailable

REASON = (
    "the build uses the committed translation memory alone (--offline-memory) and loads "
    "no engine; what the catalogs lack is shown in the source language"
)


class MemoryOnlyEngine:
    """Says every direction is unavailable, so no engine is ever loaded or asked."""

    name = "offline-memory"

    def check(self, source: str, target: str) -> None:
        """Refuse every direction, saying why."""
        raise EngineUnavailable(REASON)

    def provenance(self, source: str, target: str):
        """Never asked: no direction is usable."""
        raise EngineUnavailable(REASON)

    def translate(self, texts, source, target, *, careful=False, on_progress=None):
        """Never asked: no direction is usable."""
        raise EngineUnavailable(REASON)
