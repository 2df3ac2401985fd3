"""Bad articles, killed builds and concurrent builds: clear errors, nothing lost."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from filelock import FileLock

from autotranslate.memory import Status, TranslationCatalog
from autotranslate.pipeline import TranslationFailed
from autotranslate.report import catalog_coverage, format_report
from tests.conftest import ROOT
from tests.support.builds import copy_site
from tests.support.site import broken_links

GOOD = """Title: مقال سليم
Date: 2026-11-22 09:00
Slug: good-article
Lang: ar

نص سليم يبنى في كل الأحوال.
"""
LONG = "Title: مقال طويل\nDate: 2026-11-22 09:00\nSlug: long-article\nLang: ar\n\n" + "\n\n".join(
    f"هذه الجملة رقم {i} من المقال الطويل." for i in range(60)
)


def test_bad_articles_are_named_and_the_rest_still_builds(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("good.md", GOOD)
    site.add_article(
        "bad-date.md", "Title: تاريخ\nDate: 2026-13-45\nSlug: bad-date\nLang: ar\n\nنص.\n"
    )
    (site.content / "articles" / "bad-utf8.md").write_bytes(
        "Title: نص\nDate: 2026-01-01\nSlug: bad-utf8\nLang: ar\n\n".encode() + b"\xff oops\n"
    )
    site.add_article("no-title.md", "Date: 2026-01-01\nSlug: no-title\nLang: ar\n\nنص بلا عنوان.\n")
    site.add_article(
        "escape.md",
        "Title: هروب\nDate: 2026-01-01\nSlug: escape\nSave_as: ../../x.html\nLang: ar\n\nنص.\n",
    )
    site.add_article(
        "dots.md", "Title: هروب\nDate: 2026-01-01\nSlug: ../../evil\nLang: ar\n\nنص.\n"
    )
    site.build()

    assert re.search(r"bad-date\.md:2: Date '2026-13-45' is not a date", caplog.text)
    assert re.search(r"bad-utf8\.md:6: not valid UTF-8", caplog.text)
    assert "no-title.md" in caplog.text and "escape.md" in caplog.text and "dots.md" in caplog.text
    for lang in ("ar", "fr", "en"):
        assert "[" in site.page(lang, "good-article", "2026") or lang == "ar"
    # Nothing outside output/ or the catalogs folders.
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    allowed = (site.output, site.content, tmp_path / "site" / "cache", site.pseudo_catalogs)
    assert all(any(p.is_relative_to(a) for a in allowed) for p in written)
    assert not list(tmp_path.rglob("evil*")) and not (tmp_path / "x.html").exists()


def test_strict_mode_fails_on_an_unreadable_article(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("good.md", GOOD)
    site.add_article(
        "bad-date.md", "Title: تاريخ\nDate: 2026-13-45\nSlug: bad-date\nLang: ar\n\nنص.\n"
    )
    with pytest.raises(TranslationFailed, match="could not be read"):
        site.build()


def test_hostile_markup_in_an_article_is_not_amplified(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article(
        "xss.md",
        "Title: عنوان <script>alert(1)</script>\nDate: 2026-01-01\nSlug: xss\nLang: ar\n\n"
        "نص <img src=x onerror=alert(1)> و [رابط](javascript:alert(1)) <script>alert(2)</script>.\n",
    )
    site.build()
    arabic = site.page("ar", "xss", "2026")
    for lang in ("fr", "en"):
        page = site.page(lang, "xss", "2026")
        for needle in ("<script", "onerror", "javascript:"):
            assert page.count(needle) <= arabic.count(needle), (lang, needle)


def _corrupt_french_catalog(site) -> tuple[Path, bytes]:
    catalog = site.catalog("fr", "rabat-oicc-14th-general-conference")
    broken = catalog.read_bytes().replace(b'msgstr "', b'msgstr "unterminated\n', 1)
    catalog.write_bytes(broken)
    return catalog, broken


def test_corrupt_catalog_stops_a_strict_build_and_is_left_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path)
    catalog, broken = _corrupt_french_catalog(site)
    with pytest.raises(Exception, match=r"rabat-oicc-14th-general-conference\.po:\d+"):
        site.build()
    assert catalog.read_bytes() == broken


def test_corrupt_catalog_skips_only_that_language_version(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path)
    catalog, broken = _corrupt_french_catalog(site)
    site.build()

    assert re.search(r"fr/rabat-oicc-14th-general-conference\.po:\d+: ", caplog.text)
    assert "not built" in caplog.text
    assert catalog.read_bytes() == broken  # never rewritten, not even by a later build
    slug = "rabat-oicc-14th-general-conference"
    assert not (site.output / "fr" / "2016" / f"{slug}.html").exists()
    assert "المؤتمر" in site.page("ar", slug, "2016")
    assert 'lang="en"' in site.page("en", slug, "2016")
    # The other article keeps its French, and the Arabic page links no missing page.
    assert site.page("fr", "fes-twinned-cities-forum-2014", "2014")
    assert f"/fr/2016/{slug}.html" not in site.page("ar", slug, "2016")
    assert broken_links(site.output)[0] == []
    site.build()
    assert catalog.read_bytes() == broken


def test_coverage_report_names_an_unreadable_catalog(tmp_path):
    site = copy_site(tmp_path)
    catalog, broken = _corrupt_french_catalog(site)
    rows = catalog_coverage(site.content / "translations")
    bad = [row for row in rows if row.error]
    assert [(row.lang, row.article) for row in bad] == [("fr", catalog.stem)]
    assert bad[0].needs_work  # so `invoke translations --strict` fails
    report = format_report(rows, [])
    assert f"unreadable: {catalog}:" in report and "UNREADABLE" in report
    assert catalog.read_bytes() == broken


_BUILD_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {plugins!r}]
    from tests.support.builds import SiteCopy
    from pathlib import Path
    SiteCopy(Path({site!r})).build(AUTOTRANSLATE={{
        "targets": ["en", "fr"], "pivot": "en", "engine": "pseudo",
        "catalog_dir": "translations", "checkpoint_segments": 4, "lock_timeout": {timeout}, "progress": False,
    }})
    """
)


def _start_build(site, delay: str, timeout: float = 120) -> subprocess.Popen:
    script = _BUILD_SCRIPT.format(
        root=str(ROOT), plugins=str(ROOT / "plugins"), site=str(site.root), timeout=timeout
    )
    env = {**os.environ, "AUTOTRANSLATE_ENGINE": "pseudo", "AUTOTRANSLATE_PSEUDO_DELAY": delay}
    return subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _machine_entries(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(
        e.status is Status.MACHINE
        for e in TranslationCatalog(path, "ar", path.parent.name, accept_pseudo=True).entries()
    )


def test_kill_9_mid_translation_loses_no_finished_segment(tmp_path, monkeypatch):
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("long.md", LONG)
    english = site.catalog("en", "long-article", pseudo=True)
    process = _start_build(site, delay="0.05")
    deadline = time.monotonic() + 60
    while _machine_entries(english) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done_en = _machine_entries(english)
    done_fr = _machine_entries(site.catalog("fr", "long-article", pseudo=True))
    assert 8 <= done_en < 61, "the kill came too late to test anything"

    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    built = site.build()
    total = len(TranslationCatalog(english, "ar", "en").entries())
    terms = len(TranslationCatalog(site.catalog("en", "_terms", pseudo=True), "ar", "en").entries())
    assert built.translations.sent == (total - done_en) + (total - done_fr) + 2 * terms
    assert (
        _machine_entries(english)
        == total
        == _machine_entries(site.catalog("fr", "long-article", pseudo=True))
    )


def test_second_build_waits_for_the_lock_or_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("good.md", GOOD)
    lock = site.content / "translations" / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock)):
        process = _start_build(site, delay="0", timeout=0.5)
        _, stderr = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "another build is writing translations in this repository" in stderr
    assert not site.catalog("fr", "good-article", pseudo=True).exists()


def test_two_concurrent_builds_keep_every_segment(tmp_path):
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("long.md", LONG)
    first = _start_build(site, delay="0.01")
    second = _start_build(site, delay="0.01")
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-2000:]
    english = TranslationCatalog(
        site.catalog("en", "long-article", pseudo=True), "ar", "en", accept_pseudo=True
    ).entries()
    assert len(english) == 61 and all(e.status is Status.MACHINE for e in english)


class _FailsOnOneSegment:
    """An engine that raises on one segment and translates the others."""

    name = "flaky"

    def check(self, source, target):
        pass

    def provenance(self, source, target):
        from autotranslate.engines.base import Provenance

        return Provenance("flaky", "flaky", "0")

    def translate(self, texts, source, target, *, careful=False, on_progress=None):
        from autotranslate.engines.base import Translation

        if any("رقم 7 " in text for text in texts):
            raise RuntimeError("CUDA out of memory (simulated)")
        return [Translation(f"Sentence translated {len(t)}.") for t in texts]


def test_an_engine_failing_on_one_segment_loses_only_that_segment(tmp_path):
    from autotranslate.config import load_config
    from autotranslate.pipeline import TranslationRun, source_text_for

    config = load_config(
        {"PATH": str(tmp_path), "AUTOTRANSLATE": {"targets": ["en"], "pivot": None}}
    )
    run = TranslationRun(config, _FailsOnOneSegment)
    body = "".join(f"<p>هذه الجملة رقم {i} من المقال.</p>" for i in range(12))
    result = run.translate_all([source_text_for("flaky", "عنوان", body, None, [])])["flaky"]["en"]
    assert result.counts[Status.MACHINE] == 12 and result.counts[Status.MISSING] == 1
    assert any("CUDA out of memory" in p and "رقم 7 " in p for p in run.problems)
    entries = TranslationCatalog(
        tmp_path / "translations" / "en" / "flaky.po", "ar", "en"
    ).entries()
    assert sum(e.status is Status.MISSING for e in entries) == 1


def test_unknown_language_code_is_named(tmp_path):
    from autotranslate.config import ConfigError, load_config

    with pytest.raises(
        ConfigError, match=r"AUTOTRANSLATE\['targets'\]: unknown language code 'frr'"
    ):
        load_config({"PATH": str(tmp_path), "AUTOTRANSLATE": {"targets": ["en", "frr"]}})
    with pytest.raises(ConfigError, match=r"AUTOTRANSLATE\['term_slugs_from'\]: must be one"):
        load_config({"PATH": str(tmp_path), "AUTOTRANSLATE": {"term_slugs_from": "de"}})


def test_empty_body_and_a_1_mb_article_build(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article(
        "empty.md", "Title: مقال فارغ\nDate: 2026-11-22 09:00\nSlug: empty-body\nLang: ar\n\n"
    )
    paragraph = "انطلقت أشغال المؤتمر العام بمشاركة 800 مشارك من UNESCO و OICC. " * 8
    body = "\n\n".join(f"{paragraph} ({i})" for i in range(1_250))
    assert len(body.encode("utf-8")) > 1_000_000
    site.add_article(
        "huge.md", f"Title: مقال ضخم\nDate: 2026-11-22 10:00\nSlug: huge\nLang: ar\n\n{body}\n"
    )
    site.build()
    for lang in ("fr", "en"):
        assert "[" + lang + "]" in site.page(lang, "empty-body", "2026")  # the title
        huge = site.page(lang, "huge", "2026")
        assert huge.count("<p>") >= 1_250 and "UNESCO" in huge and "(1249)" in huge
