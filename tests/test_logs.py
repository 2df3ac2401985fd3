"""Log lines in CI and pipes: one record per line, file names never cut."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.support.site import isolated_env, write_settings
from trilingual.logs import log_handler

LONG_PATH = "/srv/archive/content/translations/fr/" + "a-very-long-article-slug-" * 4 + "end.po"


def test_a_long_message_stays_on_one_line_outside_a_terminal():
    stream = io.StringIO()
    logger = logging.getLogger("test_logs.plain")
    logger.propagate = False
    logger.addHandler(log_handler(stream))
    try:
        logger.error(
            "%s:12: not a PO line (unterminated string). The file was left untouched "
            "and this language version is not built until you fix it.",
            LONG_PATH,
        )
    finally:
        logger.handlers.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and len(lines[0]) > 200
    assert lines[0].startswith("ERROR: ") and f"{LONG_PATH}:12:" in lines[0]


@pytest.mark.slow
def test_the_build_driver_prints_a_catalog_path_whole(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    slug = "municipal-council-of-rabat-approves-the-budget-" * 2 + "x"
    (content / "articles" / "a.md").write_text(
        f"Title: عنوان\nDate: 2026-01-01\nSlug: {slug}\nLang: ar\n\nنص قصير.\n", "utf-8"
    )
    catalog = content / "translations" / "fr" / f"{slug}.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "x\nmsgstr ""\n', "utf-8")
    settings = write_settings(tmp_path, content)
    result = subprocess.run(
        [sys.executable, "-m", "trilingual", "build", "-s", str(settings),
         "-o", str(tmp_path / "output")],
        cwd=ROOT, env={**isolated_env(tmp_path / "home"), "COLUMNS": "80"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stdout.splitlines() if f"{slug}.po" in line]
    assert lines, result.stdout[-2000:]
    assert any(f"{catalog}:1:" in line and "not built" in line for line in lines), lines
