"""Translation engines: the real Argos one and a deterministic pseudo one."""

from __future__ import annotations

from ..config import AutotranslateConfig
from .base import Engine


def create_engine(config: AutotranslateConfig) -> Engine:
    """Return the engine the configuration asks for (imports Argos only when needed)."""
    if config.engine == "pseudo":
        from .pseudo import PseudoEngine

        return PseudoEngine()
    from .argos import ArgosEngine

    return ArgosEngine(config.argos)
