"""Which source files the build leaves out, and the message that says why.

Two reasons, each decided by a pure function (paths or metadata in, ``{source path:
message}`` out; no Pelican), so that whatever reads the sources (the Pelican hooks,
``invoke translate``, a driver) leaves out the same files with the same words:

- a symbolic link that leads outside the project: the build runs in CI beside the
  runner's own files, and nothing from there may be published;
- a ``Lang:`` that names no language of the site: such a file would be published in
  no section at all, silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# The setting naming the project folder (pelicanconf.py sets it to its own folder).
PROJECT_ROOT_SETTING = "PROJECT_ROOT"


def project_root(content_root: str | Path, declared: str | Path | None = None) -> Path:
    """Return the folder no published file may come from outside of (links resolved).

    That is ``declared`` (the folder holding the settings file) when the content
    folder lies in it, and otherwise (no setting, or content kept elsewhere on
    purpose) the content folder itself. The choice is made on the paths as written,
    so a content folder that is itself a link out of the project does not carry the
    root away with it.

    >>> str(project_root("/repo/content", "/repo")), str(project_root("/tmp/c", "/repo"))
    ('/repo', '/tmp/c')
    """
    content = Path(os.path.abspath(content_root))
    if declared:
        root = Path(os.path.abspath(declared))
        if content == root or root in content.parents:
            return Path(os.path.realpath(root))
    return Path(os.path.realpath(content))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def links_outside(
    paths: Iterable[str | Path], content_root: str | Path, root: Path
) -> dict[str, str]:
    """Return path → message for each file that a symbolic link leads outside ``root``.

    ``paths`` are relative to ``content_root`` (as Pelican lists them) or absolute;
    the keys are the paths as given. Every file under one linked folder gets the
    same message, which names the link.
    """
    root = Path(os.path.realpath(root))
    left_out: dict[str, str] = {}
    for path in paths:
        full = Path(os.path.abspath(os.path.join(content_root, path)))
        if _inside(Path(os.path.realpath(full)), root):
            continue
        # Name the outermost link that leaves the project: the one a person committed.
        link = next(
            (
                step
                for step in [*reversed(full.parents), full]
                if step.is_symlink() and not _inside(Path(os.path.realpath(step)), root)
            ),
            full,
        )
        what = "it is" if link == full else "the files under it are"
        left_out[str(path)] = (
            f"{link}: a symbolic link to {os.path.realpath(link)}, outside the project "
            f"({root}); {what} left out of the site. Put the file itself in the "
            "repository, or remove the link."
        )
    return left_out


def section_language(value: object, languages: Iterable[str]) -> str | None:
    """Return the site language a ``Lang:`` value names, or None if it names none.

    Case does not matter, and a regional tag (``fr-MA``, ``fr_MA``) names its
    language's section when the site has no section for that exact tag.

    >>> [section_language(v, ("ar", "en", "fr")) for v in ("FR", " fr-MA", "ar_ma", "de", "")]
    ['fr', 'fr', 'ar', None, None]
    """
    codes = {code.lower(): code for code in languages}
    tag = str(value).strip().lower().replace("_", "-")
    if tag in codes:
        return codes[tag]
    return codes.get(tag.split("-", 1)[0]) if tag else None


def unknown_languages(
    contents: Iterable[tuple[str, object]], languages: Iterable[str]
) -> dict[str, str]:
    """Return source path → message for each (path, Lang:) pair naming no language of the site."""
    languages = tuple(languages)
    return {
        str(path): (
            f"{path}: Lang: {lang} is not a language of this site ({', '.join(languages)}); "
            f"the file is left out of the site. Write one of those codes (Lang: fr for French), "
            "or add the language to the site (docs/architecture.md, 'Adding a target language')."
        )
        for path, lang in contents
        if section_language(lang, languages) is None
    }
