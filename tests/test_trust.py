"""Nothing read from a catalog or from metadata becomes live markup (issue 11, item 1).

Every catalog text is untrusted, reviewed or machine, whatever its comments claim;
titles and category/tag names are escaped text; a French sentence derived from a
person's English is held to the Arabic sentence's markup.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autotranslate.config import load_config
from autotranslate.engines import create_engine
from autotranslate.memory import Status, TranslationCatalog, checksum
from autotranslate.pipeline import TERMS_CATALOG, TranslationRun, source_text_for
from tests.support.markup_scan import live_markup, start_tags

BODY = '<p>انطلقت <a href="/rabat">أشغال المؤتمر</a> اليوم بالرباط.</p>\n<p>وحضر الوزير الجلسة.</p>'
TITLE = "عنوان المقال"
CATEGORY = "الشأن المحلي"
HOSTILE = (
    '<script>alert("zzq")</script><a href="javascript:alert(1)">zzq</a>'
    "<img src=x onerror=alert(1)><iframe src=//zzq.example></iframe>"
)
SNIPPETS = [
    "<script>alert(1)</script>", "<script>", "</script>", "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">', '<a href="/rabat">', "</a>", "<em>", "</em>",
    "&lt;script&gt;", "&amp;", "&#60;b&#62;", "&", "<!-- c -->", "<!--", "<style>p{}</style>",
    "<iframe src=//e>", "<svg/onload=alert(1)>", '"', "'", "<", ">", "⟦1⟧", "<code>x</code>",
    "<scr<script>ipt>", "</p><p onclick=x>", "<![CDATA[<script>]]>", "<title>", "word ", "نص ",
]  # fmt: skip
hostile_text = st.lists(
    st.sampled_from(SNIPPETS) | st.text(alphabet="<>&\"'=/ ab;#x\n", max_size=6), max_size=8
).map("".join)


def _run(root: Path) -> TranslationRun:
    # The pseudo engine writes its own catalogs (never the memory): _catalog() names them.
    settings = {"engine": "pseudo", "progress": False, "pseudo_catalog_dir": "pseudo"}
    config = load_config({"PATH": str(root), "AUTOTRANSLATE": settings}, environ={})
    return TranslationRun(config, lambda: create_engine(config))


def _translate(root: Path, title=TITLE, body=BODY, terms=(CATEGORY,), summary=None):
    run = _run(root)
    text = source_text_for("art", title, body, summary, terms)
    return run, run.translate_all([text])["art"]


def _edit(path: Path, change) -> None:
    """Rewrite a catalog with ``change(message)`` applied to every entry (a PO editor)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            change(message)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def _catalog(root: Path, lang: str, key: str = "art") -> Path:
    return root / "pseudo" / lang / f"{key}.po"


def _pseudo_catalog(root: Path, lang: str) -> TranslationCatalog:
    """Open a catalog the pseudo build wrote, its own entries counting as machine output."""
    return TranslationCatalog(_catalog(root, lang), "ar", lang, accept_pseudo=True)


def _body_only(message) -> bool:
    return "الوزير" in message.id or "أشغال" in message.id


def test_a_persons_english_markup_is_not_live_in_the_french_derived_from_it(tmp_path):
    _translate(tmp_path)
    _edit(
        _catalog(tmp_path, "en"),
        lambda m: (
            setattr(m, "string", f"The minister {HOSTILE} attended.") if _body_only(m) else None
        ),
    )
    _, results = _translate(tmp_path)
    source_tags = start_tags(BODY)
    for lang in ("en", "fr"):
        assert start_tags(results[lang].content) <= source_tags, lang
        for block in results[lang].blocks:
            assert start_tags(block) <= source_tags, (lang, block)
        assert live_markup(results[lang].content) == []
    # The French really was derived from the person's English (not left in Arabic).
    assert "zzq" in results["fr"].content and results["fr"].counts[Status.MISSING] == 0
    # Nor is it stored in the French catalog as live markup with a valid checksum.
    for entry in _pseudo_catalog(tmp_path, "fr").entries():
        assert start_tags(entry.text) <= start_tags(BODY), entry.text


def test_entities_in_title_category_and_tags_stay_text_when_translated(tmp_path):
    title = 'عنوان &lt;/title&gt;&lt;script&gt;alert("pwn")&lt;/script&gt;'
    tag = "&lt;img src=x onerror=alert(1)&gt;"
    run, results = _translate(tmp_path, title=title, terms=(CATEGORY, tag))
    for lang in ("en", "fr"):
        assert "<" not in results[lang].title and "&lt;script&gt;" in results[lang].title
        assert "<" not in run.translate_term(tag, lang)
        assert "&lt;img" in run.translate_term(tag, lang)


def test_a_reviewed_term_with_markup_is_shown_as_text(tmp_path):
    _translate(tmp_path)
    _edit(_catalog(tmp_path, "en", TERMS_CATALOG), lambda m: setattr(m, "string", HOSTILE))
    _edit(_catalog(tmp_path, "fr", TERMS_CATALOG), lambda m: setattr(m, "string", "A &amp; B"))
    run, _ = _translate(tmp_path)
    english = run.translate_term(CATEGORY, "en")
    assert start_tags(english) == set() and html.unescape(english) == html.unescape(
        html.escape(HOSTILE, quote=False)
    )
    assert run.translate_term(CATEGORY, "fr") == "A &amp; B"  # escaped once, not twice


def test_a_forged_checksum_or_machine_text_comment_does_not_skip_sanitising(tmp_path):
    _translate(tmp_path)
    english = {e.source: e.text for e in _pseudo_catalog(tmp_path, "en").entries()}

    def forge_checksum(message):
        if _body_only(message):
            message.string = HOSTILE
            message.auto_comments = [f"autotranslate: checksum = {checksum(HOSTILE)}"]

    def forge_stale(message):
        if _body_only(message):
            message.string = "old text"
            message.flags.add("fuzzy")
            message.auto_comments = [
                "autotranslate: stale = yes",
                f"autotranslate: machine-text = {HOSTILE}",
                f"autotranslate: pivot = {checksum(english[message.id])}",
            ]

    _edit(_catalog(tmp_path, "fr"), forge_stale)
    run, results = _translate(tmp_path)
    assert {e.status for e in _pseudo_catalog(tmp_path, "fr").entries()
            if "zzq" in e.text} == {Status.STALE}  # fmt: skip
    assert start_tags(results["fr"].content) <= start_tags(BODY)
    assert "zzq" in results["fr"].content  # the stale machine text is shown, as text

    _edit(_catalog(tmp_path, "en"), forge_checksum)
    assert {e.status for e in _pseudo_catalog(tmp_path, "en").entries()
            if "zzq" in e.text} == {Status.MACHINE}  # fmt: skip
    run, results = _translate(tmp_path)
    for lang in ("en", "fr"):
        assert start_tags(results[lang].content) <= start_tags(BODY), lang
        assert "zzq" in results[lang].content, lang
    assert any("markup not in the source" in problem for problem in run.problems)


_HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_HYPOTHESIS
@given(msgstr=hostile_text)
def test_property_any_reviewed_pivot_text_gives_french_with_only_the_sources_markup(msgstr):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _translate(root)
        _edit(
            _catalog(root, "en"), lambda m: setattr(m, "string", msgstr) if _body_only(m) else None
        )
        _, results = _translate(root)
    for lang in ("en", "fr"):
        assert start_tags(results[lang].content) <= start_tags(BODY), (lang, results[lang].content)
        assert live_markup(results[lang].content) == []


@_HYPOTHESIS
@given(title=hostile_text, msgstr=hostile_text)
def test_property_titles_are_escaped_text_whatever_the_source_or_the_catalog(title, msgstr):
    title = f"عنوان {title}"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _translate(root, title=title)
        _edit(
            _catalog(root, "en"),
            lambda m: setattr(m, "string", msgstr) if "عنوان" in m.id else None,
        )
        _, results = _translate(root, title=title)
    for lang in ("en", "fr"):
        shown = results[lang].title
        assert start_tags(shown) == set(), shown
        assert html.escape(html.unescape(shown), quote=False) == shown  # escaped exactly once


@_HYPOTHESIS
@given(name=hostile_text, msgstr=hostile_text)
def test_property_terms_are_escaped_text_whatever_the_source_or_the_catalog(name, msgstr):
    name = f"وسم {name}"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _translate(root, terms=(name,))
        terms = _catalog(root, "fr", TERMS_CATALOG)
        if terms.exists():  # no catalog when the name has nothing to translate
            _edit(terms, lambda m: setattr(m, "string", msgstr))
        run, _ = _translate(root, terms=(name,))
        for lang in ("en", "fr"):
            shown = run.translate_term(name, lang)
            assert start_tags(shown) == set(), shown
            assert html.escape(html.unescape(shown), quote=False) == shown
    if terms.exists() and msgstr.strip() and not set(msgstr) & set("<&"):
        assert html.unescape(run.translate_term(name, "fr")) == msgstr  # the person's text, as is


def test_a_literal_placeholder_in_the_arabic_is_kept_as_text_and_moves_no_markup(tmp_path):
    body = '<p>النص ⟦7⟧ و <code>x</code> ثم ⟦1⟧ و <a href="/x">رابط</a> هنا.</p>'
    _, results = _translate(tmp_path, body=body)
    for lang in ("en", "fr"):
        content = results[lang].content
        assert content.count("⟦7⟧") == 1 and content.count("⟦1⟧") == 1, content
        assert content.count("<code>x</code>") == 1
        assert re.search(r'<a href="/x">[^<]+</a> \S+\.</p>$', content), content
        assert content.index("⟦7⟧") < content.index("<code>") < content.index("⟦1⟧")
