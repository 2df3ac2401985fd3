"""What a reader meets is translated; what must stay as written never reaches the engine."""

from __future__ import annotations

import doctest

import pytest

import autotranslate.scripts
import autotranslate.segmenter
import autotranslate.verbatim
import trilingual.scriptmarks
from autotranslate.engines.base import Translation
from autotranslate.engines.pseudo import PseudoEngine
from autotranslate.markup import transfer_markup
from autotranslate.scripts import for_latin_page, mark_arabic, western_digits
from autotranslate.segmenter import protect_kept, segment_html
from autotranslate.verbatim import verbatim_spans


@pytest.mark.parametrize(
    "module",
    [
        autotranslate.verbatim,
        autotranslate.scripts,
        autotranslate.segmenter,
        trilingual.scriptmarks,
    ],
)
def test_doctests(module):
    failures, tried = doctest.testmod(module)
    assert tried and not failures


def _kept(text: str, **kwargs) -> list[str]:
    return [text[start:end] for start, end in verbatim_spans(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("تابعوا النقاش عبر #ميزانية_مراكش_2027.", ["#ميزانية_مراكش_2027"]),
        ("راسلونا على citoyens@marrakech.ma أو https://www.marrakech.ma/budget.", [
            "citoyens@marrakech.ma", "https://www.marrakech.ma/budget"]),
        ("الرقم الأخضر 0800 00 27 27 والفاكس +212 5 24 43 00 00", [
            "0800 00 27 27", "+212 5 24 43 00 00"]),
        ("الرقم ٠٥٢٤٤٣٠٠٠٠ مفتوح", ["٠٥٢٤٤٣٠٠٠٠"]),
        ("شاركت المدينة في COP22 مع ONU و Maroc Telecom.", ["COP22", "ONU", "Maroc Telecom"]),
        ("صودق على 1 200 000 درهم سنة 2027 يوم 29-11-2026", []),
        ("تصنيف Culture", ["Culture"]),
    ],
)  # fmt: skip
def test_hashtags_addresses_phones_and_latin_words_are_kept(text, kept):
    assert _kept(text) == kept


def test_latin_words_are_ordinary_text_in_a_latin_script_source():
    assert _kept("The COP22 summit, see www.cop22.ma", latin_words=False) == ["www.cop22.ma"]


def test_kept_text_reaches_the_engine_as_placeholders_and_comes_back_verbatim():
    doc = segment_html("<p>ناقش المجلس ميزانية COP22 عبر #ميزانية_مراكش_2027 و info@rabat.ma</p>")
    (sentence,) = doc.sentences()
    assert sentence.source_text() == "ناقش المجلس ميزانية ⟦1⟧ عبر ⟦2⟧ و ⟦3⟧"
    # The catalog's msgid is the sentence as written: older catalogs still match.
    assert sentence.html() == "ناقش المجلس ميزانية COP22 عبر #ميزانية_مراكش_2027 و info@rabat.ma"
    engine = PseudoEngine()
    out = transfer_markup(sentence, engine.translate([sentence.source_text()], "ar", "en")[0])
    for kept in ("COP22", "#ميزانية_مراكش_2027", "info@rabat.ma"):
        assert kept in out
    assert "⟦" not in out


def test_a_sentence_of_kept_text_only_is_not_a_translation_unit():
    doc = segment_html("<p>#ميزانية_مراكش_2027 #الرباط</p><h2>COP22</h2><p>نص عربي.</p>")
    assert [s.source_text() for s in doc.sentences()] == ["نص عربي."]
    assert segment_html("Culture").blocks()[0].sentences[0].needs_translation is False


def test_link_and_image_titles_are_entries_of_their_own_and_come_back_translated():
    source = (
        '<p>اطلعوا على <a href="/budget.pdf" title="وثيقة الميزانية">الميزانية</a> اليوم.</p>'
        '<figure><img src="/images/a.png" alt="ساحة جامع الفنا" title="الساحة ليلا">'
        "<figcaption>ساحة جامع الفنا</figcaption></figure>"
        '<p><abbr title="الأمم المتحدة">ONU</abbr></p>'
    )
    doc = segment_html(source)
    units = [s.html() for s in doc.sentences()]
    # The link's msgid holds it bare: translators no longer see an Arabic title to keep.
    assert 'اطلعوا على <a href="/budget.pdf">الميزانية</a> اليوم.' in units
    for text in ("وثيقة الميزانية", "ساحة جامع الفنا", "الساحة ليلا", "الأمم المتحدة"):
        assert text in units
    assert all("title=" not in unit for unit in units)

    translated = doc.render(lambda s: f"T({s.html()})")
    assert 'title="T(وثيقة الميزانية)"' in translated
    assert '<a href="/budget.pdf" title="T(وثيقة الميزانية)">' in translated
    assert 'alt="T(ساحة جامع الفنا)"' in translated and 'title="T(الساحة ليلا)"' in translated
    assert '<abbr title="T(الأمم المتحدة)">' in translated
    assert "<figcaption>T(ساحة جامع الفنا)</figcaption>" in translated
    # Rendering with the identity gives the document back, attributes included.
    assert doc.render(lambda s: s.html()).count('title="وثيقة الميزانية"') == 1


def test_an_attribute_with_only_kept_text_is_left_alone():
    doc = segment_html('<p>موقع <a href="https://cop22.ma" title="COP22">القمة</a>.</p>')
    assert [s.html() for s in doc.sentences()] == [
        'موقع <a href="https://cop22.ma" title="COP22">القمة</a>.'
    ]


def test_table_cells_headings_and_list_items_are_translation_units():
    doc = segment_html(
        "<h2>الميزانية</h2><ul><li>الطرق</li></ul>"
        "<table><thead><tr><th>القطاع</th></tr></thead><tbody><tr><td>النقل</td></tr></tbody></table>"
    )
    assert [s.html() for s in doc.sentences()] == ["الميزانية", "الطرق", "القطاع", "النقل"]


def test_pivot_text_keeps_what_the_source_kept():
    (arabic,) = segment_html("<p>شاركت مراكش في COP22 بحضور ONU.</p>").sentences()
    english = segment_html("<p>Marrakech took part in COP22 with the ONU.</p>", keep_latin=False)
    (pivot,) = english.sentences()
    assert pivot.source_text() == "Marrakech took part in COP22 with the ONU."
    protected = protect_kept(pivot, arabic.kept_texts())
    assert protected.source_text() == "Marrakech took part in ⟦1⟧ with the ⟦2⟧."
    assert protected.html() == pivot.html()


def test_digits_and_leftover_arabic_on_a_latin_page():
    assert western_digits("٢٠٢٧ و ۱۲") == "2027 و 12"
    page = for_latin_page('Le budget <a href="/b">٢٠٢٧</a> : voir #ميزانية_مراكش_٢٠٢٧.')
    assert page == (
        'Le budget <a href="/b">2027</a> : voir '
        '<span lang="ar" dir="rtl">#ميزانية_مراكش_٢٠٢٧</span>.'
    )
    assert for_latin_page("<code>x = ٣</code> et ٣") == "<code>x = ٣</code> et 3"
    assert mark_arabic("Budget") == "Budget"
    assert mark_arabic("نص") == '<span lang="ar" dir="rtl">نص</span>'


def test_the_engine_gets_western_digits_for_a_latin_target(tmp_path):
    from autotranslate.config import load_config
    from autotranslate.pipeline import TranslationRun, source_text_for

    seen: list[str] = []

    class Recorder(PseudoEngine):
        def translate(self, texts, source, target, **kwargs):
            seen.extend(texts)
            return super().translate(texts, source, target, **kwargs)

    config = load_config(
        {"AUTOTRANSLATE": {"catalog_dir": str(tmp_path / "tr"), "engine": "pseudo"},
         "PATH": str(tmp_path)}
    )  # fmt: skip
    run = TranslationRun(config, Recorder)
    text = source_text_for(
        "d", "عنوان", "<p>صودق على ١٢ مشروعا سنة ٢٠٢٧. تابعوا #ميزانية_٢٠٢٧</p>", None, []
    )
    result = run.translate_all([text])
    assert "صودق على 12 مشروعا سنة 2027." in seen
    assert not any("ميزانية" in t for t in seen)  # the hashtag never reached the engine
    french = result["d"]["fr"].content
    assert "12" in french and "2027" in french and "١" not in french.replace("#ميزانية_٢٠٢٧", "")
    assert '<span lang="ar" dir="rtl">#ميزانية_٢٠٢٧</span>' in french


def test_a_missing_translation_is_marked_as_arabic_on_a_latin_page(tmp_path):
    from autotranslate.config import load_config
    from autotranslate.engines.base import EngineError
    from autotranslate.pipeline import TranslationRun, source_text_for

    class NoModel(PseudoEngine):
        def check(self, source, target):
            raise EngineError("no model")

    config = load_config(
        {"AUTOTRANSLATE": {"catalog_dir": str(tmp_path / "tr"), "engine": "pseudo"},
         "PATH": str(tmp_path)}
    )  # fmt: skip
    run = TranslationRun(config, NoModel)
    text = source_text_for("m", "عنوان", "<p>جملة أولى.</p>", None, [])
    result = run.translate_all([text])
    assert result["m"]["en"].content == '<p><span lang="ar" dir="rtl">جملة أولى.</span></p>'
    assert result["m"]["en"].title == "عنوان"


def test_transfer_keeps_kept_text_when_the_engine_drops_a_placeholder():
    (sentence,) = segment_html("<p>قمة COP22 بمراكش</p>").sentences()
    out = transfer_markup(sentence, Translation("Summit in Marrakech"))
    assert "COP22" in out


def test_an_untranslated_title_and_body_are_marked_arabic_on_french_pages(tmp_path):
    """No model and no memory: the French page shows Arabic, and says it is Arabic."""
    import re

    from tests.support.builds import copy_site

    site = copy_site(tmp_path, with_demo=False)
    site.add_article(
        "m.md",
        "Title: ميزانية مراكش\nDate: 2026-11-18\nCategory: أخبار\nSlug: m\nLang: ar\n\n"
        "صودق على الميزانية يوم ١٨ نونبر. #ميزانية_مراكش_2027\n",
    )
    site.build()
    page = site.page("fr", "m", "2026")
    assert '<h1 class="article-title"><span lang="ar" dir="rtl">ميزانية مراكش</span></h1>' in page
    body = re.search(r'<div class="article-body">(.*?)</div>', page, re.S).group(1)
    assert '<span lang="ar" dir="rtl">صودق على الميزانية يوم ١٨ نونبر.</span>' in body
    assert '<span lang="ar" dir="rtl">#ميزانية_مراكش_2027</span>' in body
    index = (site.output / "fr" / "index.html").read_text("utf-8")
    assert '<span lang="ar" dir="rtl">ميزانية مراكش</span></a>' in index
    # The Arabic page itself is left as it is.
    assert '<h1 class="article-title">ميزانية مراكش</h1>' in site.page("ar", "m", "2026")
