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
    assert "uv sync --locked --no-dev" in runs  # the runtime only, no development tools
    assert workflow["jobs"]["build"]["env"]["UV_NO_DEV"] == "1"  # and `uv run` keeps it so
    assert "invoke publish" in runs


def _index_of(workflow: dict, text: str) -> int:
    steps = _steps(workflow)
    return next(i for i, step in enumerate(steps) if text in step.get("run", step.get("uses", "")))


def test_workflow_saves_the_new_translations_after_the_build(workflow):
    assert workflow["permissions"]["contents"] == "write"
    save = _index_of(workflow, "invoke save-translations ${REVIEW_BRANCH")
    assert _index_of(workflow, "invoke publish") < save
    assert save < _index_of(workflow, "actions/upload-pages-artifact")
    text = WORKFLOW.read_text(encoding="utf-8")
    # Why the bot's own push does not start another run is written next to the step.
    comment = text[: text.index("name: Save the new translations")].rsplit("- name:", 1)[1]
    assert "GITHUB_TOKEN" in comment and "trigger" in comment


def test_workflow_review_mode_merges_before_and_opens_a_pull_request(workflow):
    env = workflow["jobs"]["build"]["env"]["REVIEW_BRANCH"]
    assert "vars.TRANSLATIONS_REVIEW" in env and "translations/" in env
    before = _index_of(workflow, "--before-build")
    assert before < _index_of(workflow, "invoke publish")
    assert _steps(workflow)[before]["if"] == "env.REVIEW_BRANCH != ''"
    pull_request = _steps(workflow)[_index_of(workflow, "gh pr create")]
    assert pull_request["if"] == "env.REVIEW_BRANCH != ''"
    assert workflow["permissions"]["pull-requests"] == "write"


def test_workflow_model_cache_key_names_the_package_versions(workflow):
    steps = _steps(workflow)
    lookup = steps[_index_of(workflow, "invoke models --index-versions")]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert f"steps.{lookup['id']}.outputs.versions" in cache["with"]["key"]
    install = next(i for i, s in enumerate(steps) if s.get("run") == "uv run invoke models")
    assert steps.index(lookup) < steps.index(cache) < install


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
