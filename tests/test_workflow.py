"""The GitHub Pages workflow: valid against the published schema, and wired as intended."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    """The parsed workflow (YAML 1.2, so the key ``on`` stays a string)."""
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in _steps(workflow) if "uses" in step]


def test_workflow_matches_the_github_workflow_schema():
    beside = Path(sys.executable).with_name("check-jsonschema")
    tool = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    assert tool, "check-jsonschema is not installed (uv sync --group dev)"
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_builds_with_uv_and_deploys_with_the_pages_actions(workflow):
    uses = _uses(workflow)
    for action in (
        "actions/checkout",
        "astral-sh/setup-uv",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, f"{action} missing"
    # Order matters: build and upload before deploying.
    assert uses.index("astral-sh/setup-uv") < uses.index("actions/upload-pages-artifact")
    assert uses.index("actions/upload-pages-artifact") < uses.index("actions/deploy-pages")
    runs = " ".join(step.get("run", "") for step in _steps(workflow))
    assert "uv sync --locked" in runs
    assert "invoke publish" in runs


def test_workflow_has_pages_permissions_and_uploads_the_output(workflow):
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    upload = next(
        s for s in _steps(workflow) if s.get("uses", "").startswith("actions/upload-pages")
    )
    assert upload["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    build_env = next(s for s in _steps(workflow) if "invoke publish" in s.get("run", ""))["env"]
    # The public URL comes from configure-pages, so project sites get their /repo/ prefix.
    assert "steps.pages.outputs.base_url" in build_env["SITEURL"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def test_gh_pages_task_commits_the_public_site_with_nojekyll_and_cname(tmp_path, monkeypatch):
    """`invoke gh-pages` (without --push) on a throw-away copy of the repository."""
    repo = tmp_path / "repo"
    for name in _git(ROOT, "ls-files").splitlines():
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    for var, value in (("NAME", "Test"), ("EMAIL", "test@example.org")):
        monkeypatch.setenv(f"GIT_AUTHOR_{var}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{var}", value)
    monkeypatch.setenv("SITEURL", "https://news.example.ma")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "copy")

    result = subprocess.run(
        [sys.executable, "-m", "invoke", "gh-pages", "--cname", "news.example.ma"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr

    published = set(_git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert {".nojekyll", "CNAME", "index.html", "fr/index.html", "en/index.html"} <= published
    assert {
        "sitemap.xml",
        "robots.txt",
        "en/2016/rabat-oicc-14th-general-conference.html",
    } <= published
    assert _git(repo, "show", "gh-pages:CNAME").strip() == "news.example.ma"
    sitemap = _git(repo, "show", "gh-pages:sitemap.xml")
    assert "<loc>https://news.example.ma/fr/2016/rabat-oicc-14th-general-conference.html" in sitemap
    assert _git(repo, "branch", "--show-current").strip() == "main"  # the work tree is untouched
