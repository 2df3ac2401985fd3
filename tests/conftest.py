"""Shared pytest setup: keep every test away from the user's home and real models."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.support.fixtures", "tests.support.browser"]

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "plugins"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Point HOME, XDG folders and Argos's packages folder at a temp dir.

    Importing argostranslate creates folders under the XDG directories, and a
    developer's installed models must never leak into a test's result.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
    monkeypatch.delenv("AUTOTRANSLATE_ENGINE", raising=False)
    monkeypatch.delenv("AUTOTRANSLATE_PSEUDO_DELAY", raising=False)
    return home
