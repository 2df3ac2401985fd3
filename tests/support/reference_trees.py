"""The built trees of the demo and the newsroom fixtures, as digests of every file.

A change to how the site is built (not to what it shows) must leave these trees as
they are: tests/test_two_stages.py builds both and compares them with the digests
committed in tests/fixtures/reference-trees.json. When a change is meant to alter
what a reader sees, write the digests again from the code before the change:

    python3 -m uv run python -m tests.support.reference_trees --write

(run it on the parent commit, then commit the file with the change).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from tests.support.site import ROOT, build, build_demo_site

REFERENCE = ROOT / "tests" / "fixtures" / "reference-trees.json"
NEWSROOM = ROOT / "tests" / "fixtures" / "newsroom"
# Written by Pagefind with its languages in hash-map order, which changes from run to
# run: digested as JSON with sorted keys.
UNORDERED_JSON = {"pagefind/pagefind-entry.json"}


def tree_digests(output: Path) -> dict[str, str]:
    """Return relative path → SHA-256 of every file under ``output``."""
    digests = {}
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        name = path.relative_to(output).as_posix()
        data = path.read_bytes()
        if name in UNORDERED_JSON:
            data = json.dumps(json.loads(data), sort_keys=True).encode("utf-8")
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def build_newsroom(work: Path) -> Path:
    """Build the newsroom fixture articles with the pseudo engine; return the output."""
    content = work / "content"
    (content / "articles").mkdir(parents=True)
    for article in NEWSROOM.glob("*.md"):
        shutil.copy(article, content / "articles" / article.name)
    shutil.copytree(NEWSROOM / "images", content / "images")
    shutil.copy(ROOT / "content" / "glossary.tsv", content / "glossary.tsv")
    return build(work, content)


def built_trees(work: Path) -> dict[str, dict[str, str]]:
    """Build the demo and the newsroom fixtures under ``work``; return their digests."""
    (work / "demo").mkdir()
    (work / "newsroom").mkdir()
    return {
        "demo": tree_digests(build_demo_site(work / "demo")),
        "newsroom": tree_digests(build_newsroom(work / "newsroom")),
    }


def main(argv: list[str]) -> None:
    """Print the digests of both trees; with --write, store them as the reference."""
    with tempfile.TemporaryDirectory() as folder:
        trees = built_trees(Path(folder))
    text = json.dumps(trees, indent=1, sort_keys=True) + "\n"
    if "--write" in argv:
        REFERENCE.write_text(text, encoding="utf-8")
        print(f"wrote {REFERENCE} ({sum(len(t) for t in trees.values())} files)")
    else:
        print(text, end="")


if __name__ == "__main__":
    main(sys.argv[1:])
