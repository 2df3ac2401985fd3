"""Project tasks (invoke): the single entry point for building, testing and publishing."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
PY = shlex.quote(sys.executable)
DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"


def _pelican(c, settings_file: str, command: str = "build", extra: str = "") -> None:
    """Run the section driver: one Pelican run per language, then sitemap.xml."""
    # plugins/ holds the driver (python -m trilingual); Pelican finds it there too.
    pythonpath = os.pathsep.join(
        p for p in (str(ROOT / "plugins"), os.environ.get("PYTHONPATH")) if p
    )
    c.run(
        f"{PY} -m trilingual {command} -s {settings_file} -o {OUTPUT} {extra}".strip(),
        pty=False,
        env={"PYTHONPATH": pythonpath},
    )


@task
def clean(c):
    """Remove the generated site and Pelican's content cache."""
    for path in (OUTPUT, ROOT / ".cache" / "pelican"):
        if path.is_dir():
            shutil.rmtree(path)


@task(
    help={
        "verbose": "also show Pelican's line for every file written",
        "full": "make every page again (by default only what changed since the last build)",
        "offline-memory": "load no engine: build from the committed translation memory alone",
    }
)
def build(c, verbose=False, full=False, offline_memory=False):
    """Build the development site (Arabic at /, French at /fr/, English at /en/) into output/."""
    wanted = (("--verbose", verbose), ("--full", full), ("--offline-memory", offline_memory))
    flags = [flag for flag, chosen in wanted if chosen]
    _pelican(c, DEV_SETTINGS, extra=" ".join(flags))


@task(clean)
def rebuild(c):
    """Build the development site from scratch."""
    build(c)


@task
def serve(c, port=8000):
    """Serve output/ at http://127.0.0.1:PORT (no rebuild)."""
    _pelican(c, DEV_SETTINGS, "serve", f"--port {int(port)}")


@task
def livereload(c, port=8000):
    """Build, serve output/ at http://127.0.0.1:PORT and rebuild every section on change."""
    _pelican(c, DEV_SETTINGS, "watch", f"--port {int(port)}")


def _require_siteurl(siteurl: str) -> None:
    """Put the public URL in SITEURL for publishconf.py, or stop and say what is wrong with it."""
    from invoke import Exit

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from trilingual.siteurl import SiteUrlError, check_site_url

    try:
        # Publishing with a made-up URL would put wrong links in every feed and sitemap.
        checked = check_site_url(siteurl or os.environ.get("SITEURL", ""), required=True)
    except SiteUrlError as error:
        raise Exit(
            f"publish: {error}. Give the public address of the site, e.g.\n"
            "  SITEURL=https://USER.github.io/REPOSITORY python3 -m uv run invoke publish\n"
            "or --siteurl https://… (GitHub Actions sets it from actions/configure-pages).",
            code=2,
        ) from error
    os.environ["SITEURL"] = checked


@task(
    help={
        "siteurl": "public URL of the site (default: the SITEURL environment variable)",
        "verbose": "also show Pelican's line for every file written",
    }
)
def publish(c, siteurl="", verbose=False):
    """Build the public site with publishconf.py (absolute URLs, every section)."""
    _require_siteurl(siteurl)
    _pelican(c, PUBLISH_SETTINGS, extra="--verbose" if verbose else "")


@task(help={"siteurl": "public URL of the site (default: the SITEURL environment variable)"})
def gh_pages(c, cname="", push=False, siteurl=""):
    """Publish output/ to the gh-pages branch with .nojekyll (and CNAME if given)."""
    publish(c, siteurl)
    flags = "-n" + (" -p" if push else "")
    if cname:
        flags += f" -c {shlex.quote(cname)}"
    c.run(f"{PY} -m ghp_import {flags} -m 'Publish site' -b gh-pages {OUTPUT}")


@task
def test(c, k="", x=False):
    """Run the whole test suite."""
    args = ["-q"]
    if k:
        args += ["-k", shlex.quote(k)]
    if x:
        args.append("-x")
    c.run(f"{PY} -m pytest {' '.join(args)}", pty=False, env={"PYTHONHASHSEED": "0"})


@task
def lint(c, fix=False):
    """Check code style with ruff (``--fix`` rewrites files)."""
    if fix:
        c.run(f"{PY} -m ruff check --fix .")
        c.run(f"{PY} -m ruff format .")
    else:
        c.run(f"{PY} -m ruff check .")
        c.run(f"{PY} -m ruff format --check .")


os.environ.setdefault("PYTHONUTF8", "1")


@task(
    help={
        "from_": "offline: install from this folder of .argosmodel files",
        "index": "package index URL (default: ARGOS_PACKAGE_INDEX, else Argos's index)",
        "packages_dir": "install here (default: ARGOS_PACKAGES_DIR, else Argos's folder)",
        "list_only": "only list installed packages",
        "directions": "comma-separated SOURCE-TARGET pairs (default: what AUTOTRANSLATE needs)",
        "index_versions": "only print the index's newest versions (for CI cache keys)",
    }
)
def models(
    c,
    from_="",
    index="",
    packages_dir="",
    list_only=False,
    directions="",
    index_versions=False,
):
    """Install the Argos models (online, or offline with --from DIR) and list them."""
    from invoke import Exit

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from autotranslate import packages

    if not directions:
        # The settings' source, targets and pivot say which models a build needs.
        from pelican.settings import read_settings

        from autotranslate.config import ConfigError, load_config

        try:
            config = load_config(read_settings(str(ROOT / DEV_SETTINGS)), cuda_devices=None)
        except ConfigError as error:
            raise Exit(f"error: {error}", code=1) from error
        directions = ",".join(f"{s}-{t}" for s, t in config.engine_directions())
    try:
        if index_versions:
            print(packages.index_versions(packages.parse_directions(directions), index))
            return
        print(packages.install_and_list(directions, from_, index, packages_dir, list_only))
    except packages.PackageError as error:
        raise Exit(f"error: {error}", code=1) from error


@task(
    help={
        "engine": "argos or pseudo (default: AUTOTRANSLATE['engine'])",
        "workers": "translators: in this process, or Ray worker actors with --cluster",
        "cluster": "local (start Ray here), auto or ray://HOST:PORT (join a running cluster)",
        "device": "cpu, cuda or auto (default: AUTOTRANSLATE['argos']['device'])",
    }
)
def translate(c, engine="", workers="1", cluster="", device=""):
    """Translate every missing segment of every article, page and term into the catalogs."""
    import logging

    from invoke import Exit

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from pelican.settings import read_settings

    from autotranslate.errors import StopBuild
    from autotranslate.stage import translate_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    # No site is built here: Pelican's advice about feed URLs does not apply.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    if not str(workers).isdigit():
        raise Exit(f"error: --workers: must be a whole number, not {workers!r}", code=1)
    try:
        settings = read_settings(str(ROOT / DEV_SETTINGS))
        report = translate_site(
            settings, engine=engine, workers=int(workers), cluster=cluster, device=device
        )
    except StopBuild as error:
        raise Exit(f"error: {error}", code=1) from error
    print(report.line())
    if cluster and not report.sent:
        print("translate: nothing was missing, so the cluster was not contacted")


@task
def i18n(c, init=""):
    """Extract the theme's interface strings and update its catalogs (--init LANG adds one)."""
    theme = ROOT / "themes" / "atlas"
    pot = theme / "translations" / "messages.pot"
    c.run(
        # in_language(LANG, "…") is gettext for one named language (the 404 page speaks all).
        f"{PY} -m babel.messages.frontend extract -F {theme / 'babel.cfg'} --no-location"
        " -k in_language:2"
        f" --sort-output --project atlas-theme -o {pot} {theme}"
    )
    if init:
        c.run(f"{PY} -m babel.messages.frontend init -i {pot} -d {pot.parent} -l {init}")
    c.run(f"{PY} -m babel.messages.frontend update -i {pot} -d {pot.parent} --width 100")


@task(
    help={
        "strict": "exit non-zero on any stale, flagged, missing, unreadable or orphaned catalog",
        "rename": "move the catalogs of this old slug (an article whose Slug changed) ...",
        "to": "... to this new slug, merging into catalogs the new slug already has",
    }
)
def translations(c, strict=False, rename="", to=""):
    """Report translation coverage per language and article (--strict: fail on any gap)."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from invoke import Exit
    from pelican.settings import read_settings

    from autotranslate.config import load_config
    from autotranslate.report import (
        article_files,
        article_slugs,
        catalog_coverage,
        format_report,
        pelican_title_slug,
        untranslated_articles,
    )

    settings = read_settings(str(ROOT / DEV_SETTINGS))
    config = load_config(settings)
    content = Path(settings["PATH"])
    title_slug = pelican_title_slug(settings)  # a file without Slug: has Pelican's
    if rename or to:
        from autotranslate.orphans import RenameError, rename_catalogs

        if not (rename and to):
            raise Exit("translations: give both --rename OLD and --to NEW", code=2)
        live = article_files(content / "articles", title_slug)
        try:
            done = rename_catalogs(config.catalog_dir, rename, to, config.source, live=live)
        except RenameError as error:
            raise Exit(f"translations: {error}", code=1) from error
        print("\n".join(done))
        return
    rows = catalog_coverage(config.catalog_dir, config.source)
    unbuilt = untranslated_articles(
        content / "articles", config.catalog_dir, config.targets, config.source
    )
    # Pages' catalogs are named pages/<slug> (see autotranslate/sources.py).
    pages = {f"pages/{slug}" for slug in article_slugs(content / "pages", title_slug)}
    slugs = article_slugs(content / "articles", title_slug) | pages
    print(format_report(rows, unbuilt, slugs))
    orphaned = any(row.article not in slugs | {"_terms"} for row in rows)
    if strict and (unbuilt or orphaned or any(row.needs_work for row in rows)):
        raise SystemExit("translations: stale, flagged or missing segments (see above)")


@task(
    help={
        "review": "push to this branch (for a pull request) instead of the upstream branch",
        "before_build": "with --review: merge that branch in first, so the build sees it",
        "no_push": "commit only",
    }
)
def save_translations(c, review="", before_build=False, no_push=False):
    """Commit the catalogs the build wrote (content/translations/ only) and push them."""
    from invoke import Exit

    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican.settings import read_settings

    from autotranslate import save_translations as saving
    from autotranslate.config import load_config

    # Only the catalog folder is needed: the development settings' feed warning is noise here.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    settings = read_settings(str(ROOT / DEV_SETTINGS))
    folder = load_config(settings).catalog_dir
    try:
        if before_build:
            if not review:
                raise saving.SaveError("--before-build goes with --review BRANCH")
            merged = saving.merge_review_branch(ROOT, review)
            print(f"save-translations: {'merged' if merged else 'no branch'} {review}")
        else:
            saving.save_translations(ROOT, folder, review_branch=review, push=not no_push)
    except saving.SaveError as error:
        raise Exit(f"save-translations: {error}", code=1) from error


@task(
    help={
        "quick": "N=100, a 3-article MT sample, 3 interleaved repetitions (~12 min on 2 cores)",
        "memory": "growth and memory run: site builds only at --sizes (default 1000,10000), "
        "peak memory against plain Pelican, an edit's and an added article's rebuild, Hugo "
        "(with --extra bench), projection to N=100,000",
        "json": "also write the JSON report to this file",
        "sizes": "comma-separated archive sizes (default 100,1000,10000; --quick: 100)",
        "reps": "repetitions of each measurement (default 3; --memory: 1)",
    }
)
def bench(c, quick=False, memory=False, json="", sizes="", reps=0):
    """Run the benchmarks (MT, stage, cluster, site builds, memory) and print the JSON report.

    More options (sample sizes, threads, beam): python -m benchmarks.run --help.
    """
    args = ["--quick"] if quick else []
    if memory:
        args.append("--memory")
    if json:
        args += ["--json", shlex.quote(json)]
    if sizes:
        args += ["--sizes", shlex.quote(sizes)]
    if reps:
        args += ["--reps", str(reps), "--build-reps", str(reps)]
    c.run(f"{PY} -m benchmarks.run {' '.join(args)}", pty=False)


@task(
    name="import",
    help={
        "source": "wordpress (a WXR export file) or feed (an RSS/Atom file or URL)",
        "path": "the export file, or the feed's file or URL",
        "uploads": "a copy of the old site's wp-content/uploads (images are copied from it)",
        "force": "replace articles edited by hand since an earlier import with the source's",
    },
)
def import_(c, source, path, uploads="", force=False):
    """Import a WordPress export or a feed into content/ (articles, pages, redirects.tsv)."""
    from invoke import Exit

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from pelican.settings import read_settings

    from newsroom_import.posts import ImportRefused
    from newsroom_import.run import import_archive
    from trilingual.templating import site_languages

    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    settings = read_settings(str(ROOT / DEV_SETTINGS))
    try:
        report = import_archive(
            source,
            path,
            Path(settings["PATH"]),
            settings.get("TIMEZONE") or "UTC",
            uploads=Path(uploads) if uploads else None,
            force=force,
            languages=site_languages(settings).codes,
        )
    except ImportRefused as error:
        raise Exit(f"error: {error}", code=1) from error
    print("\n".join(report.lines()))
    if report.refused:
        raise Exit("import: some items were refused (see above); the others were imported", code=1)
