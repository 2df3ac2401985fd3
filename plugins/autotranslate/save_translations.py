"""Commit the catalogs a build wrote and push them, so that no translation is made twice.

Used by ``invoke save-translations`` in CI after the build: only files under the
catalog folder are committed, with a message naming the articles and counts, and
pushed to the branch's upstream (or to a review branch for a pull request). When
the remote moved meanwhile the commit is rebased and pushed again; when a
catalog conflicts (a person edited the same lines) nothing is pushed and the
message names the file, so that a person's edit is never overwritten.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .pofile import PoSyntaxError, check_po

# The identity GitHub shows as "github-actions[bot]", used when git has none.
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
# How many times a push is retried after the remote moved (rebased each time).
PUSH_ATTEMPTS = 3
# Articles named in the subject line; the body lists every file.
SUBJECT_ARTICLES = 3
# The catalog of category and tag names, beside the articles' catalogs.
TERMS_CATALOG = "_terms"


class SaveError(Exception):
    """Saving the catalogs failed; the message says why and what to do."""


@dataclass(frozen=True)
class CatalogChange:
    """What changed in one catalog file compared with the last commit."""

    path: str  # relative to the repository, with forward slashes
    added: int
    updated: int
    removed: int

    @property
    def is_catalog(self) -> bool:
        """Tell whether the file is a PO catalog (other files carry no counts)."""
        return self.path.endswith(".po")

    @property
    def article(self) -> str:
        """Return the article slug the catalog belongs to (``_terms`` for term names)."""
        return PurePosixPath(self.path).stem

    @property
    def language(self) -> str:
        """Return the target language of the catalog (its folder name)."""
        return PurePosixPath(self.path).parent.name


@dataclass(frozen=True)
class SaveResult:
    """The outcome of one save: the commit made (if any) and where it went."""

    changes: tuple[CatalogChange, ...] = ()
    commit: str = ""
    pushed_to: str = ""
    rebased: int = 0


def _entries(data: bytes) -> dict[str, str] | None:
    """Return msgid → msgstr of a PO file's live entries (None if it cannot be read)."""
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except Exception:  # counting is informative only; the commit goes on
        return None
    entries = {}
    for message in catalog:
        if message.id and isinstance(message.id, str):
            entries[message.id] = f"{message.string}\0{sorted(message.flags)}"
    return entries


def count_changes(path: str, before: bytes | None, after: bytes) -> CatalogChange:
    """Count the entries added, updated and removed between two versions of a catalog."""
    old = _entries(before) if before is not None else {}
    new = _entries(after)
    if old is None or new is None:
        return CatalogChange(path, added=0, updated=0, removed=0)
    added = sum(1 for key in new if key not in old)
    updated = sum(1 for key in new if key in old and old[key] != new[key])
    removed = sum(1 for key in old if key not in new)
    return CatalogChange(path, added, updated, removed)


def _counts(change: CatalogChange) -> str:
    if not change.is_catalog:
        return "changed"
    parts = [f"{change.added} new"]
    if change.updated:
        parts.append(f"{change.updated} updated")
    if change.removed:
        parts.append(f"{change.removed} retired")
    return ", ".join(parts)


def commit_message(changes: list[CatalogChange]) -> str:
    """Return a commit message naming the articles and the counts of new entries.

    >>> print(commit_message([CatalogChange("t/fr/a.po", 3, 1, 0),
    ...                       CatalogChange("t/en/_terms.po", 2, 0, 0),
    ...                       CatalogChange("t/glossary-applied.tsv", 0, 0, 0)]))
    Translations: a, category and tag names (5 new, 1 updated sentences)
    <BLANKLINE>
    - t/en/_terms.po: 2 new
    - t/fr/a.po: 3 new, 1 updated
    - t/glossary-applied.tsv: changed
    <BLANKLINE>
    Machine translations written by the build; correct them in the PO files.
    """
    catalogs = [change for change in changes if change.is_catalog]
    articles = sorted({c.article for c in catalogs if c.article != TERMS_CATALOG})
    named = ", ".join(articles[:SUBJECT_ARTICLES])
    if len(articles) > SUBJECT_ARTICLES:
        named += f" and {len(articles) - SUBJECT_ARTICLES} more"
    if any(c.article == TERMS_CATALOG for c in catalogs):
        named = ", ".join(filter(None, [named, "category and tag names"]))
    added = sum(change.added for change in catalogs)
    updated = sum(change.updated for change in catalogs)
    total = f"{added} new" + (f", {updated} updated" if updated else "")
    subject = f"Translations: {named} ({total} sentences)" if catalogs else "Translations: updated"
    lines = [subject, ""]
    lines += [f"- {c.path}: {_counts(c)}" for c in sorted(changes, key=lambda c: c.path)]
    lines += ["", "Machine translations written by the build; correct them in the PO files."]
    return "\n".join(lines)


class Git:
    """Runs git in one repository, with the bot identity when git has none."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.identity: list[str] = []
        if not self._has_identity():
            self.identity = ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]

    def run(self, *args: str, check: bool = True, input: bytes | None = None) -> str:
        """Run ``git ARGS`` and return its output; raise SaveError when it fails."""
        result = self.raw(*args, input=input)
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            raise SaveError(f"git {' '.join(args)} failed: {detail}")
        return result.stdout.decode("utf-8", "surrogateescape")

    def raw(self, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
        """Run ``git ARGS`` and return the completed process, whatever its exit code."""
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            return subprocess.run(
                ["git", "-C", str(self.repo), *self.identity, *args],
                input=input, capture_output=True, env=env, check=False,
            )  # fmt: skip
        except FileNotFoundError as error:
            raise SaveError("git is not installed (or not on PATH)") from error

    def ok(self, *args: str) -> bool:
        """Tell whether ``git ARGS`` succeeds."""
        return self.raw(*args).returncode == 0

    def _has_identity(self) -> bool:
        # With useConfigOnly, git refuses to guess a name from the host: exactly
        # the case where a commit would otherwise fail or carry a made-up identity.
        return all(
            self.ok("-c", "user.useConfigOnly=true", "var", ident)
            for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
        )


def changed_catalogs(git: Git, folder: str) -> list[str]:
    """Return the files under ``folder`` that are new or modified (not deleted, not ignored)."""
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder)
    paths = []
    records = iter(out.split("\0"))
    for record in records:
        if not record:
            continue
        status, path = record[:2], record[3:]
        if "R" in status or "C" in status:
            next(records, None)  # a rename or copy is followed by its source path
        # A deleted file is a person's decision to make by hand, never the build's.
        if "D" not in status:
            paths.append(path)
    return sorted(paths)


def _unmerged(git: Git) -> list[str]:
    return sorted(filter(None, git.run("diff", "--name-only", "--diff-filter=U").splitlines()))


def _conflict_message(files: list[str], target: str) -> str:
    names = ", ".join(files) or "(unknown file)"
    return (
        f"{names}: changed on {target} since this build started and by this build in the "
        f"same lines (a person's correction?). Nothing was pushed and {target} is "
        "untouched; run the build again from the new commit: sentences still missing "
        "are translated again, and the person's text is kept."
    )


def _upstream(git: Git) -> tuple[str, str]:
    """Return (remote, branch) the current branch pushes to."""
    branch = git.run("rev-parse", "--abbrev-ref", "HEAD").strip()
    if branch == "HEAD":
        raise SaveError(
            "not on a branch (detached HEAD): check out the branch to save the "
            "translations to, e.g. git checkout main"
        )
    remote = git.run("config", "--get", f"branch.{branch}.remote", check=False).strip()
    merge = git.run("config", "--get", f"branch.{branch}.merge", check=False).strip()
    if remote and merge:
        return remote, merge.removeprefix("refs/heads/")
    remotes = git.run("remote").split()
    if "origin" in remotes:
        return "origin", branch
    raise SaveError(
        f"branch {branch!r} has no upstream and there is no 'origin' remote: "
        f"git push -u REMOTE {branch} once, then run this again"
    )


def _remote_head(git: Git, remote: str, branch: str) -> str | None:
    """Fetch ``remote/branch`` and return its commit (None if the branch does not exist)."""
    result = git.raw(
        "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    )
    if result.returncode != 0:
        if not git.ok("ls-remote", "--exit-code", "--heads", remote, branch):
            return None
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise SaveError(f"cannot fetch {remote}/{branch}: {detail}")
    return git.run("rev-parse", f"refs/remotes/{remote}/{branch}").strip()


def _integrate(git: Git, remote_ref: str, target: str, merge: bool) -> None:
    """Put the local commits on top of ``remote_ref`` (rebase, or merge for a review branch)."""
    if merge:
        result = git.raw("merge", "--no-edit", "--no-ff", remote_ref)
        abort = ("merge", "--abort")
    else:
        result = git.raw("rebase", "--autostash", remote_ref)
        abort = ("rebase", "--abort")
    if result.returncode == 0:
        return
    conflicts = _unmerged(git)
    git.raw(*abort)
    if conflicts:
        raise SaveError(_conflict_message(conflicts, target))
    detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
    raise SaveError(f"cannot bring in the new commits of {target}: {detail}")


def _check_catalogs(git: Git, paths: list[str], before: str, target: str) -> None:
    """Undo the rebase or merge if git joined two edits of a catalog into an unreadable one.

    Lines added on both sides can merge without a conflict and still give, say,
    the same msgid twice: the build would then refuse the whole file.
    """
    for path in paths:
        shown = git.raw("show", f"HEAD:{path}")
        if shown.returncode != 0 or not path.endswith(".po"):
            continue
        try:
            check_po(shown.stdout.decode("utf-8-sig"))
        except (PoSyntaxError, UnicodeDecodeError) as error:
            line = getattr(error, "line", 0)
            undone = git.ok("reset", "--quiet", "--keep", before)
            raise SaveError(
                f"{path}:{line}: joined with the new commits of {target}, this catalog is "
                f"no longer valid ({error}). Nothing was pushed and {target} is untouched"
                + ("; the local commit is back as it was." if undone else ".")
                + " Run the build again from the new commit."
            ) from error


def merge_review_branch(repo: Path, branch: str, remote: str = "origin") -> bool:
    """Merge the open review branch into HEAD before a build (False if there is none).

    The build then sees the translations awaiting review (and the reviewers'
    corrections) and does not translate those sentences again.
    """
    git = Git(repo)
    if _remote_head(git, remote, branch) is None:
        return False
    _integrate(git, f"refs/remotes/{remote}/{branch}", f"{remote}/{branch}", merge=True)
    return True


def save_translations(
    repo: Path,
    folder: Path,
    *,
    review_branch: str = "",
    push: bool = True,
    say: Callable[[str], None] = print,
) -> SaveResult:
    """Commit the changed catalogs under ``folder`` and push them (see the module docstring)."""
    git = Git(repo)
    top = git.raw("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SaveError(f"{repo} is not in a git repository: nothing to commit the catalogs to")
    # Work from the top of the repository: git reports paths relative to it.
    git = Git(Path(top.stdout.decode("utf-8", "surrogateescape").strip()))
    try:
        folder = (repo / folder).resolve().relative_to(git.repo.resolve()).as_posix()
    except ValueError as error:
        raise SaveError(f"{folder} is outside the repository {git.repo}") from error
    repo = git.repo
    paths = changed_catalogs(git, folder)
    if not paths:
        say(f"save-translations: nothing new under {folder}/; no commit")
        return SaveResult()
    changes = []
    for path in paths:
        if not path.endswith(".po"):
            changes.append(CatalogChange(path, added=0, updated=0, removed=0))
            continue
        before = git.raw("show", f"HEAD:{path}")
        old = before.stdout if before.returncode == 0 else None
        changes.append(count_changes(path, old, (repo / path).read_bytes()))
    git.run("add", "--", *paths)
    # --only: whatever else was staged by hand stays out of this commit.
    git.run("commit", "--quiet", "--only", "-F", "-", "--", *paths,
            input=commit_message(changes).encode("utf-8"))  # fmt: skip
    commit = git.run("rev-parse", "HEAD").strip()
    say(f"save-translations: committed {len(paths)} file(s) as {commit[:12]}")
    if not push:
        return SaveResult(tuple(changes), commit)

    if review_branch:
        remote, branch = _upstream(git)[0], review_branch
    else:
        remote, branch = _upstream(git)
    target = f"{remote}/{branch}"
    for rebased in range(PUSH_ATTEMPTS):
        pushed = git.raw("push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
        if pushed.returncode == 0:
            say(f"save-translations: pushed to {target}")
            return SaveResult(tuple(changes), git.run("rev-parse", "HEAD").strip(), target, rebased)
        remote_head = _remote_head(git, remote, branch)
        if remote_head is None or git.ok("merge-base", "--is-ancestor", remote_head, "HEAD"):
            # The remote did not move: the push failed for another reason (rights, network).
            detail = pushed.stderr.decode("utf-8", "replace").strip()
            raise SaveError(
                f"cannot push to {target}: {detail}; the commit {commit[:12]} is kept locally"
            )
        say(f"save-translations: {target} moved meanwhile; bringing in its new commits")
        before = git.run("rev-parse", "HEAD").strip()
        _integrate(git, f"refs/remotes/{remote}/{branch}", target, merge=bool(review_branch))
        _check_catalogs(git, paths, before, target)
    raise SaveError(
        f"{target} kept moving: gave up after {PUSH_ATTEMPTS} attempts; the commit "
        f"{commit[:12]} is kept locally, run save-translations again"
    )
