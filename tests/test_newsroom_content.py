"""Real newsroom content in every section: language of each file, drafts, hidden, images."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autotranslate.report import untranslated_articles
from tests.support.builds import SiteCopy, copy_site
from tests.support.newsroom import BUDGET, COMMUNIQUE, DRAFT, HIDDEN, IMAGE, write_newsroom
from tests.support.site import broken_links, read_page

pytestmark = pytest.mark.slow

ARTICLES = (
    ("budget.md", BUDGET),
    ("communique.md", COMMUNIQUE),
    ("tramway.md", DRAFT),
    ("delegation.md", HIDDEN),
)


def _newsroom(root: Path) -> SiteCopy:
    site = copy_site(root, with_demo=False, with_memory=False)
    write_newsroom(site.content, *ARTICLES)
    return site


@pytest.fixture(scope="module")
def dev(tmp_path_factory) -> SiteCopy:
    """The newsroom content built for development (pseudo engine, no model)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
        site = _newsroom(tmp_path_factory.mktemp("dev"))
        site.build()
    return site


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> SiteCopy:
    """The same content built with publishconf.py for https://example.org/archive."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
        patch.setenv("SITEURL", "https://example.org/archive")
        site = _newsroom(tmp_path_factory.mktemp("published"))
        site.build("publishconf.py")
    return site


def _files(output: Path) -> dict[str, str]:
    """Return every text file of the output, by path relative to it."""
    return {
        str(path.relative_to(output)): path.read_text(encoding="utf-8")
        for path in sorted(output.rglob("*"))
        if path.suffix in (".html", ".xml", ".txt")
    }


def _mentioning(output: Path, *needles: str) -> list[str]:
    """Return the output files that mention any of ``needles``."""
    return sorted(name for name, text in _files(output).items() if any(n in text for n in needles))


# -- 1. the language of a file --------------------------------------------------------


def test_an_article_without_lang_is_arabic_and_translated(dev):
    arabic = read_page(dev.output / "2026" / "marrakech-budget-2027.html")
    assert (arabic.lang, arabic.dir) == ("ar", "rtl")
    for lang in ("fr", "en"):
        page = read_page(dev.output / lang / "2026" / "marrakech-budget-2027.html")
        html = page.path.read_text(encoding="utf-8")
        assert (page.lang, page.dir) == (lang, "ltr")
        assert f"[{lang}]" in page.h1, "the title went through translation"
        assert "مجلس جماعة مراكش" not in page.h1
        # The notice leads to the Arabic article, not to the Arabic home page.
        assert 'href="/2026/marrakech-budget-2027.html" lang="ar"' in html
        assert page.alternates["ar"] == "/2026/marrakech-budget-2027.html"
        # Categories are the translated ones, not the Arabic name transliterated.
        categories = _files(dev.output / lang)["categories.html"]
        assert "الشأن المحلي" not in categories and "lshn-lmhly" not in categories


def test_a_french_press_release_is_a_french_original_in_the_french_section_only(dev):
    page = read_page(dev.output / "fr" / "2026" / "communique-avenue-mohammed-v.html")
    html = page.path.read_text(encoding="utf-8")
    assert (page.lang, page.h1) == (
        "fr",
        "Communiqué : fermeture temporaire de l'avenue Mohammed V",
    )
    assert 'class="notice' not in html, "an original is not labeled as a translation"
    assert "parallel-link" not in html, "there is no parallel view of a French original"
    assert page.alternates == {"fr": page.canonical}
    assert "Communiqués" in _files(dev.output / "fr")["index.html"]
    # Never listed (nor written) in the Arabic or English sections, whose pages would
    # carry French text under lang="ar" and link to a page that does not exist.
    assert not (dev.output / "2026" / "communique-avenue-mohammed-v.html").exists()
    assert not (dev.output / "en" / "2026" / "communique-avenue-mohammed-v.html").exists()
    others = [
        n for n in _mentioning(dev.output, "communique-avenue", "Communiqué") if n[:3] != "fr/"
    ]
    assert others == ["sitemap.xml"]
    assert (
        "<loc>/fr/2026/communique-avenue-mohammed-v.html</loc>" in _files(dev.output)["sitemap.xml"]
    )


def test_the_site_built_from_newsroom_content_has_no_broken_link(dev, published):
    broken, checked = broken_links(dev.output)
    assert broken == [] and checked > 100


# -- 3. drafts and hidden articles ----------------------------------------------------


def test_a_draft_is_previewed_in_development_and_listed_nowhere(dev):
    preview = dev.output / "drafts" / "rabat-tramway-line-3-draft.html"
    page = read_page(preview)
    assert page.lang == "ar" and page.noindex
    # Not in the sitemap, feeds, indexes, archives, category or tag pages of any language.
    assert _mentioning(dev.output, "rabat-tramway-line-3", "الترامواي", "tramway") == [
        "drafts/rabat-tramway-line-3-draft.html"
    ]
    assert not (dev.content / "translations" / "fr" / "rabat-tramway-line-3-draft.po").exists()


def test_a_hidden_article_is_reachable_in_every_language_but_listed_nowhere(dev):
    slug = "fes-african-delegation-programme"
    pages = [f"2026/{slug}.html", f"fr/2026/{slug}.html", f"en/2026/{slug}.html"]
    for name in pages:
        assert read_page(dev.output / name).noindex, name
    assert _mentioning(dev.output, slug, "الوفد الإفريقي", "wfd_khas") == sorted(pages)


def test_publish_does_not_publish_a_draft_at_all(published):
    assert not list(published.output.rglob("drafts"))
    assert _mentioning(published.output, "rabat-tramway-line-3", "الترامواي", "tramway") == []
    assert (published.output / "fr" / "2026" / "marrakech-budget-2027.html").exists()


def test_the_translation_report_does_not_ask_for_drafts(dev):
    # The catalogs this (pseudo) build wrote: every published Arabic article has them.
    unbuilt = untranslated_articles(dev.content / "articles", dev.pseudo_catalogs, ("en", "fr"))
    assert unbuilt == []
    (dev.content / "articles" / "new.md").write_text(
        BUDGET.replace("marrakech-budget-2027", "marrakech-budget-2028"), encoding="utf-8"
    )
    try:
        assert untranslated_articles(
            dev.content / "articles", dev.pseudo_catalogs, ("en", "fr")
        ) == ["marrakech-budget-2028"]
    finally:
        (dev.content / "articles" / "new.md").unlink()


# -- 9. static files ------------------------------------------------------------------


def test_an_image_is_stored_once_and_every_section_points_to_it(dev, published):
    for site, root in ((dev, ""), (published, "https://example.org/archive")):
        copies = sorted(str(p.relative_to(site.output)) for p in site.output.rglob("*.jpg"))
        assert copies == [IMAGE]
        for prefix in ("", "fr/", "en/"):
            html = (site.output / f"{prefix}2026/marrakech-budget-2027.html").read_text("utf-8")
            sources = re.findall(r'<img[^>]* src="([^"]+)"', html)
            assert sources == [f"{root}/{IMAGE}"], prefix
