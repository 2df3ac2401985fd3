"""One import: read a source, decide every file to write, then write them (or nothing).

Each post is matched by its id (``WordPress-Id:``/``Feed-Id:``) to a file an earlier
import wrote: an untouched file is updated when the post changed, a file a person
edited is kept unless ``force``, and an unchanged post writes nothing.
"""

from __future__ import annotations

import html as html_module
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from autotranslate.storage import atomic_write
from trilingual.redirects import MAP_NAME, Redirect, merge_redirect_map

from .articles import Rendered, format_time, imported_files, one_line, render
from .cleanup import (
    captions_to_figures,
    clean_wordpress_html,
    drop_block_comments,
    remove_live_markup,
)
from .feeds import read_feed
from .images import LocalFiles, localize, localize_one
from .language import choose_language
from .markdown import to_markdown
from .posts import ImportRefused, Post
from .slugs import SlugBook, slug_for
from .wxr import Export, read_wxr

SOURCES = ("wordpress", "feed")
FOLDERS = {"article": "articles", "page": "pages"}
STATUSES = {"publish": "published", "draft": "draft", "pending": "draft", "future": "draft",
            "private": "draft"}  # fmt: skip
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class ImportReport:
    """What one import did, and everything it has to tell."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # edited by a person: not overwritten
    refused: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)
    kept_back: Counter = field(default_factory=Counter)  # private, draft... → Status: draft
    notes: list[str] = field(default_factory=list)  # slugs made distinct, languages, cleanup
    images_copied: int = 0
    redirects_added: int = 0
    skipped: Counter = field(default_factory=Counter)

    def counts(self) -> str:
        """Return the one line of counts."""
        return (
            f"import: {len(self.imported)} imported, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.kept)} kept (edited by hand), "
            f"{len(self.refused)} refused, {len(self.missing_images)} images missing"
        )

    def lines(self) -> list[str]:
        """Return every message of the report, the counts line last."""
        out = [*self.notes]
        out += [f"refused: {message}" for message in self.refused]
        out += [f"image missing: {message}" for message in self.missing_images]
        out += self.kept
        if self.kept_back:
            parts = ", ".join(
                f"{count} {status}" for status, count in sorted(self.kept_back.items())
            )
            out.append(
                f"import: kept back as Status: draft, never published: {parts}"
                + (
                    " (private posts were visible only to editors)"
                    if self.kept_back["private"]
                    else ""
                )
            )
        if self.skipped:
            parts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.skipped.items()))
            out.append(f"import: not contents, left out: {parts}")
        out.append(
            f"import: {self.images_copied} images copied, {self.redirects_added} old addresses "
            f"added to {MAP_NAME}"
        )
        out.append(self.counts())
        return out


@dataclass(frozen=True)
class Planned:
    """One file the import would write, and what for."""

    path: Path
    rendered: Rendered
    post: Post
    action: str  # "new", "update", "unchanged", "kept"


def import_archive(
    source_kind: str,
    source: str,
    content: Path,
    timezone: str,
    *,
    uploads: Path | None = None,
    force: bool = False,
    languages: tuple[str, ...] = ("ar", "fr", "en"),
) -> ImportReport:
    """Import a WordPress export or a feed into ``content`` (ImportRefused: a bad source)."""
    if source_kind not in SOURCES:
        raise ImportRefused(f"import: unknown source {source_kind!r}; give wordpress or feed")
    if uploads is not None and not Path(uploads).is_dir():
        raise ImportRefused(
            f"--uploads {uploads}: no such folder (give a copy of wp-content/uploads)"
        )
    export = (
        read_wxr(Path(source), timezone)
        if source_kind == "wordpress"
        else read_feed(source, timezone)
    )
    report = ImportReport(refused=list(export.refused), skipped=Counter(export.skipped))
    posts = _distinct_ids(export.posts, report)
    hosts = _old_hosts(export)
    plans, files_needed, redirects = [], LocalFiles(), []
    for kind in ("article", "page"):
        folder = Path(content) / FOLDERS[kind]
        on_disk, slugs = imported_files(folder, source_kind)
        book = SlugBook(slugs.values())
        owners = {slug.casefold(): str(path) for path, slug in slugs.items()}
        chosen = sorted((p for p in posts if p.kind == kind), key=lambda p: (p.date, p.source_id))
        for post in chosen:
            existing = on_disk.get(post.source_id)
            slug = existing.slug if existing else _new_slug(post, book, owners, report)
            files = LocalFiles()
            rendered = _render(
                post, slug, source_kind, export, uploads, hosts, files, languages, report
            )
            path = existing.path if existing else _new_path(folder, post, slug)
            if existing is None:
                action = "new"
            elif existing.text == rendered.text:
                action = "unchanged"
            elif existing.edited and not force:
                action = "kept"
            else:
                action = "update"
            if action in ("new", "update"):
                files_needed.copies.update(files.copies)
            report.missing_images += [f"{post.where}: {name}" for name in files.missing]
            plans.append(Planned(path, rendered, post, action))
            if rendered.status == "published":
                redirects += _old_paths(post, rendered)
            else:
                report.kept_back[post.status] += 1
    _write(plans, files_needed, redirects, Path(content), source, source_kind, report)
    return report


def _distinct_ids(posts: list[Post], report: ImportReport) -> list[Post]:
    """Return the posts whose id no earlier item has; refuse the others, naming both."""
    first: dict[tuple[str, str], Post] = {}
    kept = []
    for post in posts:
        key = (post.kind, post.source_id)
        if key in first:
            report.refused.append(
                f"{post.where}: the same id as {first[key].where}; a later import could not "
                "tell them apart (give one of them another id in the export)"
            )
            continue
        first[key] = post
        kept.append(post)
    return kept


def _old_hosts(export: Export) -> frozenset[str]:
    """Return the old site's host names (uploads on any other host are not the site's)."""
    host = urlsplit(export.base_url).netloc.lower()
    if not host:
        return frozenset()
    bare = host.removeprefix("www.")
    return frozenset({bare, f"www.{bare}"})


def _new_slug(post: Post, book: SlugBook, owners: dict[str, str], report: ImportReport) -> str:
    """Return a free slug for a new post; report it when its own was taken."""
    wanted = slug_for(post.name, post.title, post.source_id)
    slug = book.claim(wanted)
    if slug != wanted:
        owner = owners.get(wanted.casefold(), "another post")
        report.notes.append(
            f"slug: {post.where} asks for {wanted!r}, which {owner} has; it gets {slug!r}"
        )
    owners.setdefault(slug.casefold(), post.where)
    return slug


def _new_path(folder: Path, post: Post, slug: str) -> Path:
    """Return the file of a new article (date-slug.md, as the project names them) or page."""
    if post.kind == "page":
        return folder / f"{slug}.md"
    return folder / f"{post.date:%Y-%m-%d}-{slug}.md"


def _render(post, slug, source_kind, export, uploads, hosts, files, languages, report) -> Rendered:
    """Return the file of one post: cleaned, images made local, converted, with metadata."""
    if source_kind == "wordpress":
        body_html, notes = clean_wordpress_html(post.html)
    else:
        text, _ = drop_block_comments(post.html)
        body_html, notes = remove_live_markup(captions_to_figures(text))
    report.notes += [f"cleanup: {post.where}: {note}" for note in notes]
    body_html, found = localize(body_html, uploads, hosts)
    files.copies.update(found.copies)
    files.missing += found.missing
    image = ""
    attachment = export.attachments.get(post.thumbnail_id) if source_kind == "wordpress" else None
    if attachment is not None:
        image = localize_one(attachment.url, uploads, files, hosts)
    body = to_markdown(body_html)
    # Metadata is HTML text to Pelican and the theme: a literal "<" is written "&lt;".
    title = _text(post.title)
    if not title:
        words = one_line(_TAGS.sub(" ", body_html)).split()
        title = " ".join(words[:10]) or f"post {post.source_id}"
        report.notes.append(f"title: {post.where} has no title; it is titled {title!r}")
    choice = choose_language(f"{title}\n{_TAGS.sub(' ', body_html)}", post.language)
    lang = choice.code if choice.code in languages else languages[0]
    if lang != "ar":
        report.notes.append(f"language: {post.where} {title!r} is Lang: {lang} ({choice.reason})")
    status = STATUSES[post.status]
    # A comma would split one term into two: the Arabic comma reads the same.
    categories = [_text(name).replace(",", "،") for name in post.categories]
    tags = [_text(name).replace(",", "،") for name in (*categories[1:], *post.tags)]
    excerpt = _text(_TAGS.sub(" ", post.excerpt))
    author = _text(export.authors.get(post.author, post.author))
    fields = [("Title", title)]
    if post.kind == "article":
        fields.append(("Date", format_time(post.date)))
        if post.modified:
            fields.append(("Modified", format_time(post.modified)))
        fields += [
            ("Category", categories[0] if categories else ""),
            ("Tags", ", ".join(dict.fromkeys(tags))),
        ]
    fields += [("Slug", slug), ("Lang", lang), ("Summary", excerpt), ("Author", author),
               ("Image", image), ("Status", "draft" if status == "draft" else "")]  # fmt: skip
    text = render(fields, body, source_kind, post.source_id, post.kind)
    return Rendered(post.kind, slug, lang, status, text)


def _text(value: str) -> str:
    """Return a source's text (entities decoded) as one line of escaped metadata text."""
    return html_module.escape(one_line(html_module.unescape(value)), quote=False)


def _old_paths(post: Post, rendered: Rendered) -> list[Redirect]:
    """Return the old addresses of a published post: its permalink and its short link."""
    paths = []
    link = urlsplit(post.link)
    if link.path and link.path != "/" and not link.query:
        paths.append(link.path)
    elif post.name and post.date:
        paths.append(f"/{post.date:%Y/%m/%d}/{quote(unquote(post.name))}/")
    if post.short_link_id:
        paths.append(f"/?{'page_id' if post.kind == 'page' else 'p'}={post.short_link_id}")
    return [Redirect(path, rendered.slug, rendered.lang, rendered.kind) for path in paths]


def _write(plans, files: LocalFiles, redirects, content: Path, source, source_kind, report) -> None:
    """Write what the plans decided: images first, then contents, then the redirect map."""
    for name, origin in sorted(files.copies.items()):
        target = content / PurePosixPath(name)
        if target.exists():
            if target.read_bytes() != origin.read_bytes():
                report.notes.append(
                    f"image: {target} already exists with other bytes; it is kept as it is"
                )
            continue  # copied once: an earlier import (or a person) put it there
        atomic_write(target, origin.read_bytes())
        report.images_copied += 1
    for plan in plans:
        if plan.action == "unchanged":
            report.unchanged += 1
        elif plan.action == "kept":
            report.kept.append(
                f"kept: {plan.path} was edited since it was imported from {plan.post.where}; "
                f"it is left as it is (to replace it with the export's version: "
                f"invoke import {source_kind} {source} --force)"
            )
        else:
            atomic_write(plan.path, plan.rendered.text.encode("utf-8"))
            (report.imported if plan.action == "new" else report.updated).append(str(plan.path))
    map_path = content / MAP_NAME
    existing = map_path.read_text(encoding="utf-8") if map_path.exists() else ""
    merged, report.redirects_added = merge_redirect_map(existing, redirects)
    if merged != existing:
        atomic_write(map_path, merged.encode("utf-8"))
