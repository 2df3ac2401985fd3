"""Tiny genuine Argos packages for tests: the builder lives in devkit (benchmarks use it too)."""

from devkit.tiny_argos import (
    ARTICLES,
    LATIN_TEXT,
    build_tiny_package,
    copy_package,
    pack_random_package,
    seed_sentences,
)

__all__ = [
    "ARTICLES",
    "LATIN_TEXT",
    "build_tiny_package",
    "copy_package",
    "pack_random_package",
    "seed_sentences",
]
