"""Publishing guards: no public build without a real SITEURL, a busy port is a plain message."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _invoke(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("task", ["publish", "gh-pages"])
@pytest.mark.parametrize("siteurl", [None, "", "news.example.ma", "https://"])
def test_publishing_refuses_without_an_absolute_siteurl(task, siteurl, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    if siteurl is not None:
        env["SITEURL"] = siteurl
    # A copy of tasks.py in an empty folder: if the guard failed, the build itself
    # would fail for lack of content, not print the SITEURL message.
    (tmp_path / "tasks.py").write_text((ROOT / "tasks.py").read_text(encoding="utf-8"))
    # The plugins hold the one SITEURL check (trilingual/siteurl.py).
    (tmp_path / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    result = _invoke(task, env=env, cwd=tmp_path)
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert "SITEURL" in message
    assert "SITEURL=https://" in message  # says how to set it
    assert "--siteurl" in message
    assert "Traceback" not in message
    assert not (tmp_path / "output").exists()


def test_publish_settings_have_no_placeholder_address(monkeypatch):
    """publishconf.py itself refuses to run without SITEURL (for `pelican -s publishconf.py`)."""
    monkeypatch.delenv("SITEURL", raising=False)
    result = subprocess.run(
        [sys.executable, "-c", "import runpy; runpy.run_path('publishconf.py')"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SITEURL" in result.stderr and "Traceback" not in result.stderr
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "grep", "-n", "-e", "example.github.io", "-e", "example.org",
         "--", ".", ":!tests", ":!benchmarks"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert tracked == ""


def test_serve_on_a_busy_port_says_to_choose_another(tmp_path):
    site = tmp_path / "output"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
        result = subprocess.run(
            [sys.executable, "-m", "trilingual", "serve", "-o", str(site), "-p", str(port)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port}" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def _copy_project(target: Path) -> Path:
    """Copy the project's files (tracked and new) to ``target`` for a build of its own."""
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    for name in names:
        if (ROOT / name).is_file() and not name.startswith(("docs/", "benchmarks/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.mark.slow
def test_a_warm_build_log_is_short_and_verbose_shows_every_file(tmp_path):
    project = _copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    assert _invoke("build", env=env, cwd=project).returncode == 0  # cold: fills the caches
    warm = _invoke("build", env=env, cwd=project)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    lines = (warm.stdout + warm.stderr).splitlines()
    assert len(lines) <= 25, "\n".join(lines)
    assert not [line for line in lines if "Writing" in line]
    for section, folder in (("ar", "output"), ("fr", "output/fr"), ("en", "output/en")):
        (line,) = [line for line in lines if f"section '{section}'" in line]
        assert line.endswith(" s") and "articles" in line
        assert str(project / folder) in line  # a path stands whole on the line
    assert sum(line.startswith("autotranslate: ") for line in lines) == 1  # the summary

    verbose = _invoke("build", "--verbose", env=env, cwd=project)
    assert verbose.returncode == 0
    written = [line for line in verbose.stdout.splitlines() if "Writing" in line]
    assert any(line.endswith(f'{project}/output/fr/index.html"') for line in written), written


def test_doctests_of_the_publishing_modules():
    import doctest

    from autotranslate import save_translations
    from trilingual import sections

    for module in (sections, save_translations):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__


@pytest.mark.parametrize(
    ("port", "built", "expected"),
    [("70000", True, "port 70000 does not exist"), ("0", False, "run `invoke build` first")],
)
def test_serve_refuses_a_bad_port_or_an_empty_output_with_a_message(
    tmp_path, port, built, expected
):
    site = tmp_path / "output"
    site.mkdir()
    if built:
        (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "trilingual", "serve", "-o", str(site), "-p", port],
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
