"""Pytest fixtures for tests that need real (tiny, random-weight) Argos packages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.tiny_argos import build_tiny_package

TINY_DIRECTIONS = (("ar", "en"), ("en", "fr"))


@pytest.fixture(scope="session")
def tiny_argos_packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Build the ar→en and en→fr tiny ``.argosmodel`` files once per test session."""
    folder = tmp_path_factory.mktemp("tiny-argos")
    return {(s, t): build_tiny_package(folder, s, t) for s, t in TINY_DIRECTIONS}


@pytest.fixture
def installed_tiny_argos(tiny_argos_packages, isolated_home) -> Path:
    """Install both tiny packages into this test's ARGOS_PACKAGES_DIR and return that folder.

    Uses our installer, not argostranslate.package.install_from_path: that one imports
    argostranslate.translate (stanza, not installed) and a packages folder frozen at import.
    """
    from autotranslate.packages import install_archive

    packages_dir = Path(os.environ["ARGOS_PACKAGES_DIR"])
    for archive in tiny_argos_packages.values():
        install_archive(archive, packages_dir)
    return packages_dir
