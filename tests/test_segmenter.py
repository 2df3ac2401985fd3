"""Segmenting article HTML and putting translations back with the markup intact."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from autotranslate.engines.base import Translation
from autotranslate.engines.pseudo import PseudoEngine
from autotranslate.markup import sanitize_fragment, transfer_markup
from autotranslate.segmenter import segment_html

ARTICLE = """<h2>عنوان <em>مهم</em></h2>
<p>انطلقت <a href="https://rabat.ma/?a=1&amp;b=2" title="x">أشغال المؤتمر</a> اليوم. هل حضر <strong>الوزير</strong>؟ نعم <code>x&lt;y</code> بالتأكيد.</p>
<pre><code>print("مرحبا")</code></pre>
<ul>
<li>بند أول مع UNESCO و 2016</li>
<li>بند <img src="a.png" alt="صورة المدينة"> ثان</li>
</ul>
<table><tr><th>المدينة</th><td>فاس</td></tr></table>
<p translate="no">لا تترجم هذا</p>
<p>123</p>"""


def pseudo(doc, target="fr"):
    engine = PseudoEngine()

    def translate(sentence):
        return transfer_markup(
            sentence, engine.translate([sentence.source_text()], "ar", target)[0]
        )

    return doc.render(translate)


def start_tags(html: str) -> list[str]:
    return re.findall(r"<[a-zA-Z][^>]*>", html)


def test_sentences_are_cut_inside_blocks_and_skip_code_and_translate_no():
    doc = segment_html(ARTICLE)
    texts = [s.source_text() for s in doc.sentences()]
    assert texts == [
        "عنوان مهم",
        "انطلقت أشغال المؤتمر اليوم.",
        "هل حضر الوزير؟",
        "نعم ⟦1⟧ بالتأكيد.",
        "بند أول مع ⟦1⟧ و 2016",  # Latin words are kept as written (issue 12)
        "بند",
        "صورة المدينة",
        "ثان",
        "المدينة",
        "فاس",
    ]


def test_identity_translation_round_trips_the_document_exactly():
    doc = segment_html(ARTICLE)
    assert doc.render(lambda s: s.html()) == ARTICLE


def test_pseudo_translation_keeps_every_tag_and_attribute_byte_identical():
    out = pseudo(segment_html(ARTICLE))
    assert start_tags(out) == [
        t if "alt=" not in t else t.replace("صورة المدينة", "[fr] soura almdyna")
        for t in start_tags(ARTICLE)
    ]
    assert '<a href="https://rabat.ma/?a=1&amp;b=2" title="x">achghal almu\'tmr</a>' in out
    assert "<code>x&lt;y</code>" in out
    assert '<pre><code>print("مرحبا")</code></pre>' in out
    assert '<p translate="no">لا تترجم هذا</p>' in out
    assert "<p>123</p>" in out
    assert "UNESCO" in out and "2016" in out


def test_links_follow_the_aligned_words_when_word_order_changes():
    sentence = next(segment_html('<p>زار <a href="/fes">فاس</a> اليوم</p>').sentences())
    # "Today he visited Fez": target word 3 ("Fez") comes from source word 1 ("فاس").
    translation = Translation(
        "Today he visited Fez", ((0, 5, 9, 14), (6, 8, 0, 3), (9, 16, 0, 3), (17, 20, 4, 7))
    )
    assert transfer_markup(sentence, translation) == 'Today he visited <a href="/fes">Fez</a>'


def test_a_link_survives_even_without_any_alignment():
    sentence = next(segment_html('<p>زار <a href="/fes">فاس</a> اليوم</p>').sentences())
    out = transfer_markup(sentence, Translation("He visited Fez today"))
    assert out.count('<a href="/fes">') == 1 and out.count("</a>") == 1


def test_placeholders_the_engine_drops_are_put_back():
    sentence = next(segment_html("<p>اكتب <code>ls -l</code> الآن</p>").sentences())
    out = transfer_markup(sentence, Translation("Type it now"))
    assert out.count("<code>ls -l</code>") == 1


def test_hostile_engine_output_is_escaped_text():
    doc = segment_html('<p>نص <a href="/x">رابط</a></p>')
    evil = "</p><script>alert(1)</script><img src=x onerror=alert(1)> &amp;"
    out = doc.render(lambda s: transfer_markup(s, Translation(evil)))
    assert "<script" not in out and "<img" not in out
    assert start_tags(out) == ["<p>", '<a href="/x">']


def test_stored_translation_may_only_reuse_source_tags():
    sentence = next(segment_html('<p>زار <a href="/fes">فاس</a></p>').sentences())
    clean, removed = sanitize_fragment(
        'Visited <a href="/fes">Fez</a> <a href="javascript:x">!</a><b>bold', sentence
    )
    assert (
        clean
        == 'Visited <a href="/fes">Fez</a> &lt;a href="javascript:x"&gt;!&lt;/a&gt;&lt;b&gt;bold'
    )
    assert removed == ['<a href="javascript:x">', "</a>", "<b>"]


def test_img_alt_is_translated_but_other_attributes_kept():
    out = pseudo(segment_html('<p><img src="/a.png" alt="مدينة فاس" class="wide"></p>'))
    assert out == '<p><img src="/a.png" alt="[fr] mdyna fas" class="wide"></p>'


# Random documents: blocks of Arabic/Latin words with nested inline markup.
_words = st.sampled_from(["فاس", "الرباط", "UNESCO", "2016", "مدينة", "x<y", "a&b", "؟", "."])
_inline = st.sampled_from(
    [('<a href="/p?a=1&amp;b=2">', "</a>"), ("<strong>", "</strong>"), ("<em>", "</em>"),
     ("<code>", "</code>"), ('<span translate="no">', "</span>")]
)  # fmt: skip


@st.composite
def _fragments(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            start, end = draw(_inline)
            parts.append(start + draw(_fragments(depth + 1)) + end)
        else:
            parts.append(draw(_words).replace("&", "&amp;").replace("<", "&lt;"))
        parts.append(draw(st.sampled_from([" ", " ", "\n", ""])))
    return "".join(parts)


_documents = st.lists(
    st.tuples(st.sampled_from(["p", "li", "h2", "td", "blockquote"]), _fragments()),
    min_size=1,
    max_size=4,
).map(lambda blocks: "\n".join(f"<{tag}>{body}</{tag}>" for tag, body in blocks))


@settings(max_examples=150, deadline=None)
@given(_documents)
def test_identity_engine_round_trips_any_document(document):
    doc = segment_html(document)
    identity = lambda s: transfer_markup(s, Translation(s.source_text()))  # noqa: E731
    assert doc.render(identity) == document


@settings(max_examples=150, deadline=None)
@given(_documents, st.text(max_size=30))
def test_any_engine_output_keeps_the_markup_of_the_original(document, garbage):
    doc = segment_html(document)
    out = doc.render(
        lambda s: transfer_markup(s, Translation(garbage + " ⟦1⟧ " + s.source_text()[::-1]))
    )
    # Never an element or attribute the original does not have...
    assert set(start_tags(out)) <= set(start_tags(document))
    # ...and the result is well-formed: every tag closed in order.
    stack = []
    for match in re.finditer(r"<(/?)([a-zA-Z]+)[^>]*>", out):
        if match.group(1):
            assert stack and stack.pop() == match.group(2)
        else:
            stack.append(match.group(2))
    assert stack == []
    # Protected code is carried over verbatim.
    for code in re.findall(r"<code>.*?</code>", document):
        assert code in out
