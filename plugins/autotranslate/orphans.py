"""Catalogs no article uses any more: name them, and move them to a renamed article.

An article's catalogs are named after its slug. When the slug changes, the build
starts new catalogs and the old ones, with every correction people made in them,
are no longer read: the build says so by name and gives the command that moves
them (``invoke translations --rename OLD --to NEW``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .memory import CatalogError, TranslationCatalog
from .pipeline import TERMS_CATALOG
from .sources import is_safe_slug


class RenameError(Exception):
    """Catalogs cannot be moved; the message says why and nothing was changed."""


@dataclass(frozen=True)
class Orphan:
    """The catalogs of a slug no article has, with what people wrote in them."""

    slug: str
    paths: tuple[Path, ...]
    people: int  # reviewed, stale and obsolete entries: a person's work
    successor: str | None  # the article that now has most of its sentences

    def message(self) -> str:
        """Return the build's warning about this orphan."""
        files = ", ".join(str(path) for path in self.paths)
        new = self.successor or "NEW-SLUG"
        renamed = (
            f"the article now named {self.successor!r}" if self.successor else "a renamed article"
        )
        return (
            f"{files}: no article has the slug {self.slug!r}; its {self.people} translation(s) "
            f"by a person are not used. If they belong to {renamed}, move them with "
            f"`invoke translations --rename {self.slug} --to {new}`; if the article is gone, "
            "delete the file(s)."
        )


def _catalog_paths(catalog_dir: Path) -> dict[str, list[Path]]:
    """Return slug → its catalog files, over every language folder."""
    found: dict[str, list[Path]] = {}
    for path in sorted(Path(catalog_dir).glob("*/*.po")):
        found.setdefault(path.stem, []).append(path)
    return found


def orphaned_catalogs(
    catalog_dir: Path, known: Iterable[str], segments: Mapping[str, set[str]], source: str = "ar"
) -> list[Orphan]:
    """Return the catalogs whose slug no article has; ``segments`` is key → source sentences."""
    known = set(known) | {TERMS_CATALOG}
    orphans = []
    for slug, paths in _catalog_paths(catalog_dir).items():
        if slug in known:
            continue
        people = 0
        sentences: set[str] = set()
        for path in paths:
            try:
                catalog = TranslationCatalog(path, source, path.parent.name)
            except CatalogError:
                continue  # unreadable: still an orphan, listed without counts
            people += catalog.people_count()
            sentences |= catalog.sources()
        overlap = {key: len(sentences & found) for key, found in segments.items()}
        best = max(overlap, key=lambda key: overlap[key], default=None)
        successor = best if best is not None and overlap[best] else None
        orphans.append(Orphan(slug, tuple(paths), people, successor))
    return orphans


def rename_catalogs(
    catalog_dir: Path, old: str, new: str, source: str = "ar", *, live: Mapping[str, Path | str]
) -> list[str]:
    """Move the catalogs of slug ``old`` to ``new`` (merging into existing ones); say what moved.

    ``live`` maps the slug of every article there is to its file. Raises RenameError,
    with nothing changed, when ``old`` and ``new`` are one slug, when an article still
    has the slug ``old`` (its catalogs are in use), when ``old`` has no catalog, when a
    catalog cannot be read, or when a person translated a sentence differently in both.
    """
    catalog_dir = Path(catalog_dir)
    if not (is_safe_slug(old) and is_safe_slug(new)):
        raise RenameError(
            f"cannot rename {old!r} to {new!r}: not an article's slug (letters, digits and "
            "hyphens, starting with a letter or digit)"
        )
    if old == new:
        # Merging a catalog into itself and removing "the old one" would delete it.
        raise RenameError(
            f"--rename {old} --to {new}: that is one slug, so there is nothing to move; give "
            "the slug the article had before as --rename and its new one as --to. "
            "Nothing was renamed."
        )
    if old in live:
        onto = f", and {new!r} is the slug of {live[new]}" if new in live else ""
        raise RenameError(
            f"{live[old]} still has the slug {old!r}{onto}: the catalogs of {old!r} are in use, "
            f"and moving them would take its translations away from that article. Only the "
            "catalogs of a slug no article has any more can be moved (change that article's "
            "Slug: first, if that is what you meant). Nothing was renamed."
        )
    pairs = [(path, path.with_name(f"{new}.po")) for path in catalog_dir.glob(f"*/{old}.po")]
    if not pairs:
        raise RenameError(f"{catalog_dir}: no catalog named {old}.po in any language folder")
    try:
        with FileLock(str(catalog_dir / ".lock"), timeout=10):
            return _rename_locked(pairs, source)
    except Timeout as error:
        raise RenameError(f"{catalog_dir}: a build is writing translations; try again") from error


def _rename_locked(pairs: list[tuple[Path, Path]], source: str) -> list[str]:
    merges = []
    for old_path, new_path in pairs:
        if not new_path.exists() or new_path.samefile(old_path):
            continue  # nothing there yet, or the same file (a change of case on some disks)
        lang = old_path.parent.name
        try:
            old_catalog = TranslationCatalog(old_path, source, lang)
            new_catalog = TranslationCatalog(new_path, source, lang)
        except CatalogError as error:
            raise RenameError(f"{error} Nothing was renamed.") from error
        conflicts = new_catalog.adopt(old_catalog)
        if conflicts:
            raise RenameError(
                f"{old_path} and {new_path}: a person translated {len(conflicts)} sentence(s) "
                f"differently in each (first: {conflicts[0][:60]!r}); keep one version by hand. "
                "Nothing was renamed."
            )
        merges.append((old_path, new_path, new_catalog))
    done = []
    for old_path, new_path, catalog in merges:
        catalog.save()
        old_path.unlink()  # everything in it is in the saved catalog now (adopt)
        done.append(f"{old_path} merged into {new_path}")
    for old_path, new_path in pairs:
        if old_path.exists():
            old_path.rename(new_path)
            done.append(f"{old_path} → {new_path}")
    return done
