"""Files the build leaves out, each named: links out of the project, unknown Lang: (issue 19)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autotranslate.exclusions import (
    links_outside,
    project_root,
    section_language,
    unknown_languages,
)
from autotranslate.pipeline import TranslationFailed
from tests.support.builds import copy_site

SECRET = "runner-secret-7f3a9c"  # what a file outside the project holds


def _article(slug: str, lang: str, title: str, body: str = "") -> str:
    lang_line = f"Lang: {lang}\n" if lang else ""
    return (
        f"Title: {title}\nDate: 2026-03-01 10:00\nCategory: Presse\nSlug: {slug}\n"
        f"{lang_line}\n{body or title}\n"
    )


def _output_bytes(output: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file())


# --- item 8: Lang: values ---------------------------------------------------------


def test_a_lang_value_names_its_section_whatever_its_case_or_region():
    sections = ("ar", "en", "fr")
    assert [section_language(v, sections) for v in ("FR", "Fr", "fr-MA", "EN_us", "AR")] == [
        "fr",
        "fr",
        "fr",
        "en",
        "ar",
    ]
    assert [section_language(v, sections) for v in ("de", "frr", "", "f")] == [None] * 4
    left = unknown_languages([("a.md", "de"), ("b.md", "FR"), ("c.md", "")], sections)
    assert set(left) == {"a.md", "c.md"}
    assert left["a.md"].startswith("a.md: Lang: de is not a language of this site (ar, en, fr)")


@pytest.mark.slow
def test_lang_in_capitals_is_published_and_an_unknown_lang_is_named_and_left_out(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article("press.md", _article("communique-fr", "FR", "Communiqué de la commune"))
    site.add_article("regional.md", _article("communique-ma", "fr-MA", "Avis aux riverains"))
    site.add_article("german.md", _article("mitteilung", "de", "Pressemitteilung der Stadt"))
    site.add_article("arabic.md", _article("bayan", "AR", "بيان البلدية"))
    (site.content / "pages").mkdir()
    (site.content / "pages" / "impressum.md").write_text(
        "Title: Impressum\nSlug: impressum\nLang: de\n\nImpressum der Stadt\n", "utf-8"
    )
    (site.content / "pages" / "contact.md").write_text(
        "Title: اتصل بنا\nSlug: contact\nLang: Ar\n\nعنوان البلدية\n", "utf-8"
    )
    site.build()

    # FR is French: published as written in the French section, and in its sitemap.
    assert "Communiqué de la commune" in site.page("fr", "communique-fr", "2026")
    assert "Avis aux riverains" in site.page("fr", "communique-ma", "2026")
    assert not (site.output / "2026" / "communique-fr.html").exists()
    assert "/fr/2026/communique-fr.html" in (site.output / "sitemap.xml").read_text("utf-8")
    # AR is Arabic: the original, translated into both other sections.
    assert site.page("ar", "bayan", "2026") and site.page("en", "bayan", "2026")
    for section in ("", "fr/", "en/"):
        assert (site.output / f"{section}contact.html").exists()
    # de is no section: named with its file, and nowhere in the output.
    for name, value in (("german.md", "de"), ("impressum.md", "de")):
        [message] = [m for m in caplog.messages if f"{name}: Lang: {value} is not" in m]
        assert "left out of the site" in message and "(ar, en, fr)" in message
    everything = _output_bytes(site.output)
    assert b"Pressemitteilung" not in everything and b"Impressum der Stadt" not in everything


@pytest.mark.slow
def test_an_unknown_lang_fails_a_strict_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article("german.md", _article("mitteilung", "de", "Pressemitteilung"))
    with pytest.raises(TranslationFailed, match="left out of the site"):
        site.build()
    assert any("german.md: Lang: de is not a language" in m for m in caplog.messages)


# --- item 7: symbolic links out of the project ------------------------------------


def test_project_root_is_the_settings_folder_unless_the_content_lives_elsewhere(tmp_path):
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert project_root(repo / "content", repo) == repo.resolve()
    assert project_root(elsewhere, repo) == elsewhere.resolve()
    assert project_root(repo / "content") == (repo / "content").resolve()
    # A content folder that is itself a link out of the project moves nothing:
    # everything under it is outside.
    (repo / "linked").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "a.md").write_text("x", "utf-8")
    assert project_root(repo / "linked", repo) == repo.resolve()
    [(path, message)] = links_outside(["a.md"], repo / "linked", repo.resolve()).items()
    assert path == "a.md" and message.startswith(f"{repo / 'linked'}: a symbolic link to ")


def test_links_outside_names_the_link_and_keeps_links_inside(tmp_path):
    root = tmp_path / "repo"
    images = root / "content" / "images"
    images.mkdir(parents=True)
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    (outside / "dir" / "a.png").write_text(SECRET, "utf-8")
    (outside / "dir" / "b.png").write_text(SECRET, "utf-8")
    (root / "README.md").write_text("inside", "utf-8")
    (images / "logo.txt").symlink_to(outside / "secret.txt")
    (images / "shared").symlink_to(outside / "dir", target_is_directory=True)
    (images / "readme.md").symlink_to(root / "README.md")  # inside the project: fine
    (images / "plain.png").write_text("plain", "utf-8")
    paths = ["images/logo.txt", "images/shared/a.png", "images/shared/b.png",
             "images/readme.md", "images/plain.png"]  # fmt: skip
    left = links_outside(paths, root / "content", root)
    assert set(left) == {"images/logo.txt", "images/shared/a.png", "images/shared/b.png"}
    assert left["images/logo.txt"].startswith(
        f"{images / 'logo.txt'}: a symbolic link to {outside / 'secret.txt'}, outside the project"
    )
    assert "it is left out of the site" in left["images/logo.txt"]
    # One message for the linked folder, naming the folder, for every file under it.
    assert left["images/shared/a.png"] == left["images/shared/b.png"]
    assert left["images/shared/a.png"].startswith(f"{images / 'shared'}: a symbolic link to ")
    assert "the files under it are left out" in left["images/shared/a.png"]


def _links_out(tmp_path: Path, site) -> None:
    """Commit-style symlinks in the site's content that lead out of it."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    (outside / "folder" / "key.txt").write_text(SECRET + "-folder", "utf-8")
    (outside / "file.md").write_text(_article("outside-article", "", "مقال من الخارج", SECRET))
    (outside / "page.md").write_text(f"Title: خارج\nSlug: outside-page\n\n{SECRET}-page\n")
    images = site.content / "images"
    images.mkdir(exist_ok=True)
    (images / "logo.txt").symlink_to(outside / "secret.txt")
    (images / "shared").symlink_to(outside / "folder", target_is_directory=True)
    (site.content / "articles" / "linked.md").symlink_to(outside / "file.md")
    (site.content / "pages").mkdir(exist_ok=True)
    (site.content / "pages" / "linked.md").symlink_to(outside / "page.md")
    site.add_article(
        "kept.md", _article("kept", "ar", "مقال سليم", "![شعار]({static}/images/x.svg)")
    )
    (images / "x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")


@pytest.mark.slow
def test_symbolic_links_out_of_the_project_are_named_and_nothing_of_them_is_published(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    _links_out(tmp_path, site)
    site.build()

    assert SECRET.encode() not in _output_bytes(site.output)
    assert not list(site.output.rglob("logo.txt")) and not list(site.output.rglob("key.txt"))
    assert not list(site.output.rglob("outside-*"))
    # The rest of the site is there, its own picture included.
    assert site.page("ar", "kept", "2026") and (site.output / "images" / "x.svg").exists()
    content = site.content
    for link in (
        content / "images" / "logo.txt",
        content / "images" / "shared",
        content / "articles" / "linked.md",
        content / "pages" / "linked.md",
    ):
        named = [m for m in caplog.messages if m.startswith(f"{link}: a symbolic link to ")]
        assert len(named) == 1, (link, caplog.messages)
        assert "outside the project" in named[0] and "left out of the site" in named[0]
    # Nothing from outside reached the catalogs either (they are committed back).
    catalogs = site.pseudo_catalogs
    assert not catalogs.exists() or all(
        SECRET not in p.read_text("utf-8") for p in catalogs.rglob("*.po")
    )
    assert not re.search("outside-(article|page)", " ".join(p.name for p in catalogs.rglob("*")))


@pytest.mark.slow
def test_a_static_link_out_of_the_project_fails_a_strict_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    (site.content / "images").mkdir()
    (site.content / "images" / "logo.txt").symlink_to(outside / "secret.txt")
    site.add_article("kept.md", _article("kept", "ar", "مقال سليم"))
    with pytest.raises(TranslationFailed, match="left out of the site"):
        site.build()
    assert any("logo.txt: a symbolic link to" in m for m in caplog.messages)
    assert not site.output.exists() or SECRET.encode() not in _output_bytes(site.output)


@pytest.mark.slow
def test_an_article_linked_out_of_the_project_fails_a_strict_build(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    monkeypatch.setenv("AUTOTRANSLATE_STRICT", "1")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file.md").write_text(_article("outside-article", "", "مقال", SECRET), "utf-8")
    (site.content / "articles" / "linked.md").symlink_to(outside / "file.md")
    with pytest.raises(TranslationFailed, match="left out of the site"):
        site.build()


def test_invoke_translate_reads_neither_linked_files_nor_unknown_languages(tmp_path):
    from pelican.settings import read_settings

    from autotranslate.config import load_config
    from autotranslate.sources import read_site
    from tests.conftest import ROOT

    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    _links_out(tmp_path, site)
    site.add_article("german.md", _article("mitteilung", "de", "Pressemitteilung"))
    site.add_article("capital.md", _article("bayan", "AR", "بيان"))
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(site.content)})
    sources = read_site(settings, load_config(settings))
    assert sorted(sources.keys) == ["bayan", "kept"]
    named = " ".join(sources.left_out)
    assert f"{site.content / 'articles' / 'linked.md'}: a symbolic link to" in named
    assert f"{site.content / 'pages' / 'linked.md'}: a symbolic link to" in named
    assert "german.md: Lang: de is not a language of this site" in named
