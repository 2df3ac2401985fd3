"""The translation coverage report behind ``invoke translations``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .exclusions import section_language
from .memory import CatalogError, Status, TranslationCatalog

COLUMNS = ("reviewed", "machine", "stale", "flagged", "missing")


@dataclass
class CatalogCoverage:
    """Segment counts of one article's catalog in one language."""

    lang: str
    article: str
    counts: Counter
    error: str = ""  # why the catalog cannot be read ("" when it can)
    # People's translations using a glossary term changed since: "msgid (terms)".
    glossary_changed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return the number of segments (obsolete people's work counted as stale)."""
        return sum(self.counts[c] for c in COLUMNS)

    @property
    def needs_work(self) -> bool:
        """Tell whether the catalog is unreadable or anything in it is stale, flagged or missing."""
        return bool(self.error) or any(self.counts[c] for c in ("stale", "flagged", "missing"))


def catalog_coverage(catalog_dir: Path, source_lang: str = "ar") -> list[CatalogCoverage]:
    """Count each catalog's segments by status, per language and article or page."""
    rows: list[CatalogCoverage] = []
    for lang_dir in sorted(p for p in Path(catalog_dir).iterdir() if p.is_dir()):
        # Pages have their catalogs in a folder of their own (pages/about.po).
        for path in sorted([*lang_dir.glob("*.po"), *lang_dir.glob("pages/*.po")]):
            name = path.relative_to(lang_dir).with_suffix("").as_posix()
            try:
                catalog = TranslationCatalog(path, source_lang, lang_dir.name)
            except CatalogError as error:
                rows.append(CatalogCoverage(lang_dir.name, name, Counter(), str(error)))
                continue
            entries = catalog.entries()
            counts = Counter(entry.status.value for entry in entries)
            counts[Status.STALE.value] += catalog.obsolete_count()
            changed = [
                f"{' '.join(e.source.split())[:70]} ({e.glossary_changed})"
                for e in entries
                if e.glossary_changed
            ]
            rows.append(CatalogCoverage(lang_dir.name, name, counts, "", changed))
    return rows


def front_matter(path: Path) -> dict[str, str]:
    """Return the ``Key: value`` lines at the top of a Markdown file, keys lowercased."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, colon, value = line.partition(":")
        if not line.strip() or not colon or " " in key.strip():
            break  # the metadata block ends at the first line that is not "Key: value"
        fields.setdefault(key.strip().lower(), value.strip())
    return fields


def untranslated_articles(
    articles_dir: Path, catalog_dir: Path, targets: tuple[str, ...], source: str = "ar"
) -> list[str]:
    """Return slugs of articles that have no catalog yet in some target language.

    Drafts are left out (they are translated once published), and so are articles
    written in another language than ``source`` (published as they are).
    """
    missing = []
    for article in sorted(Path(articles_dir).glob("*.md")):
        fields = front_matter(article)
        lang = section_language(fields.get("lang", source), (source,))
        if fields.get("status", "").lower() == "draft" or lang != source:
            continue
        slug = fields.get("slug") or article.stem
        if any(not (Path(catalog_dir) / lang / f"{slug}.po").exists() for lang in targets):
            missing.append(slug)
    return missing


def article_files(
    articles_dir: Path, title_slug: Callable[[str], str] | None = None
) -> dict[str, Path]:
    """Return slug → file for every article file, drafts and other languages included.

    Without a ``Slug:`` line the slug is ``title_slug(title)`` (Pelican's, see
    ``pelican_title_slug``), or the file's name when no ``title_slug`` is given.
    """
    found: dict[str, Path] = {}
    for path in sorted(Path(articles_dir).rglob("*.md")):
        fields = front_matter(path)
        slug = fields.get("slug")
        if not slug:
            title = fields.get("title", "")
            slug = title_slug(title) if title_slug and title else path.stem
        found.setdefault(slug, path)
    return found


def article_slugs(articles_dir: Path, title_slug: Callable[[str], str] | None = None) -> set[str]:
    """Return the slug of every article file, drafts and other languages included."""
    return set(article_files(articles_dir, title_slug))


def pelican_title_slug(settings: Mapping[str, Any]) -> Callable[[str], str] | None:
    """Return how Pelican makes a slug from a title with these settings (None: not from it)."""
    if settings.get("SLUGIFY_SOURCE", "title") != "title":
        return None
    from pelican.utils import slugify

    def title_slug(title: str) -> str:
        return slugify(
            title,
            regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )

    return title_slug


def format_report(
    rows: list[CatalogCoverage], unbuilt: list[str], slugs: set[str] | None = None
) -> str:
    """Return the report as a plain-text table with totals per language and overall.

    With ``slugs`` (every article's slug), a catalog no article has is listed as
    orphaned, outside the totals.
    """
    orphaned = [row for row in rows if slugs is not None and row.article not in slugs | {"_terms"}]
    header = f"{'lang':<5} {'article':<44} {'total':>6} " + " ".join(f"{c:>8}" for c in COLUMNS)
    lines = [header, "-" * len(header)]
    overall: Counter = Counter()
    for lang in sorted({row.lang for row in rows}):
        lang_total: Counter = Counter()
        for row in (r for r in rows if r.lang == lang):
            if row in orphaned:
                lines.append(
                    f"{lang:<5} {row.article[:44]:<44}  ORPHANED: no article has this slug "
                    f"({row.counts['reviewed'] + row.counts['stale']} by a person)"
                )
                continue
            if row.error:
                lines.append(f"{lang:<5} {row.article[:44]:<44}  UNREADABLE (see below)")
                continue
            mark = "  <- needs review" if row.needs_work else ""
            mark = mark or ("  <- glossary changed" if row.glossary_changed else "")
            lines.append(
                f"{lang:<5} {row.article[:44]:<44} {row.total:>6} "
                + " ".join(f"{row.counts[c]:>8}" for c in COLUMNS)
                + mark
            )
            lang_total.update({c: row.counts[c] for c in COLUMNS})
        lines.append(_total_line(lang, "all articles", lang_total))
        overall.update(lang_total)
    lines.append("-" * len(header))
    lines.append(_total_line("all", "all languages", overall))
    total = sum(overall.values())
    done = overall["reviewed"] + overall["machine"]
    coverage = 100.0 * done / total if total else 100.0
    lines.append(
        f"coverage: {coverage:.1f}% translated ({overall['reviewed']} reviewed by a person)"
    )
    lines.extend(f"unreadable: {row.error}" for row in rows if row.error)
    looks = [f"  {r.lang}/{r.article}: {item}" for r in rows for item in r.glossary_changed]
    if looks:
        lines.append(
            "glossary terms changed since these reviewed translations were written; check each,"
            " then delete its '#. autotranslate: glossary-changed' line:"
        )
        lines.extend(looks)
    if unbuilt:
        lines.append(f"not built yet (run `invoke build`): {', '.join(unbuilt)}")
    for slug in sorted({row.article for row in orphaned}):
        lines.append(
            f"orphaned: {slug} (renamed article? `invoke translations --rename {slug} --to NEW`; "
            "gone? delete its catalogs)"
        )
    return "\n".join(lines)


def _total_line(lang: str, label: str, counts: Counter) -> str:
    total = sum(counts.values())
    return f"{lang:<5} {label:<44} {total:>6} " + " ".join(f"{counts[c]:>8}" for c in COLUMNS)
