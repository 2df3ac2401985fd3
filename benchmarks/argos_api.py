"""Import argostranslate's own translate API offline, for the benchmark only.

``argostranslate.translate`` imports stanza and minisbd at import time; they are kept
out of this environment on purpose (they download models at run time). Stub modules
satisfy the imports, and its sentence splitter is replaced by ours, so argostranslate
runs its own code path everywhere else.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class OfflineSentencizer:
    """argostranslate's sentencizer interface backed by our offline splitter."""

    def __init__(self, pkg: Any) -> None:
        self.pkg = pkg

    def split_sentences(self, text: str) -> list[str]:
        """Return the sentences of ``text``."""
        from autotranslate.sentences import split_sentences

        return [text[start:end] for start, end in split_sentences(text)]


def load_translate_module() -> Any:
    """Return ``argostranslate.translate`` with stub splitter modules and our splitter.

    Set ARGOS_* and XDG_* variables first: argostranslate reads them at import time.
    """
    for name in ("stanza", "minisbd", "minisbd.models"):
        sys.modules.setdefault(name, types.ModuleType(name))
    minisbd = sys.modules["minisbd"]
    minisbd.SBDetect = None  # type: ignore[attr-defined]
    minisbd.models = sys.modules["minisbd.models"]  # type: ignore[attr-defined]
    import argostranslate.translate as translate

    # PackageTranslation picks one of these classes by name when it is created.
    translate.MiniSBDSentencizer = OfflineSentencizer
    translate.StanzaSentencizer = OfflineSentencizer
    translate.SpacySentencizerSmall = OfflineSentencizer
    return translate
