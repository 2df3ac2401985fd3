"""Make translated HTML right for a page in a Latin-script language.

Arabic-Indic digits become 0–9, and Arabic that stays on a French or English
page (a kept hashtag, a quoted name, an untranslated sentence) is marked
``lang="ar" dir="rtl"`` so that browsers, screen readers and the bidi algorithm
treat it as Arabic instead of scrambling its punctuation and numbers.
"""

from __future__ import annotations

import html
import re

from .htmltokens import tokenize

_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
# The same without digits: a run of Arabic starts and ends with one of these.
_ARABIC_LETTER = (
    "\u0600-\u065f\u066b-\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
)
# Arabic-Indic and Persian digits, and the Arabic percent sign.
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٪", "01234567890123456789%")
# A hashtag, or a run from one Arabic character to the last one before Latin text.
_ARABIC_RUN_RE = re.compile(
    rf"#[\w\u064b-\u065f\u0670]*[{_ARABIC_LETTER}][\w\u064b-\u065f\u0670]*"
    rf"|[{_ARABIC_LETTER}](?:[^A-Za-z\u00c0-\u024f<>]*[{_ARABIC_LETTER}])?"
)
_HASHTAG_RE = re.compile(r"#[\w\u064b-\u065f\u0670]+")
# Content that is never rewritten: code and what an author marked translate="no".
_UNTOUCHED = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea"})
ARABIC_SPAN = '<span lang="ar" dir="rtl">'


def western_digits(text: str) -> str:
    """Return ``text`` with Arabic-Indic and Persian digits written 0–9 (and ٪ as %).

    >>> western_digits("من ٢٩ نونبر إلى ۱ دجنبر، ٢٤٪")
    'من 29 نونبر إلى 1 دجنبر، 24%'
    """
    return text.translate(_ARABIC_DIGITS)


def has_arabic(text: str) -> bool:
    """Tell whether ``text`` holds a character of the Arabic script."""
    return re.search(f"[{_ARABIC}]", text) is not None


def _fix_text(text: str) -> str:
    """Return escaped HTML for one text node: digits converted, Arabic runs marked."""
    out: list[str] = []
    cursor = 0
    for match in _ARABIC_RUN_RE.finditer(text):
        out.append(html.escape(_digits_outside_hashtags(text[cursor : match.start()]), False))
        out.append(f"{ARABIC_SPAN}{html.escape(match.group(), quote=False)}</span>")
        cursor = match.end()
    out.append(html.escape(_digits_outside_hashtags(text[cursor:]), quote=False))
    return "".join(out)


def _digits_outside_hashtags(text: str) -> str:
    """Convert digits, except inside a hashtag (a search key must stay as typed)."""
    parts = _HASHTAG_RE.split(text)
    tags = _HASHTAG_RE.findall(text)
    out = [western_digits(parts[0])]
    for tag, part in zip(tags, parts[1:], strict=True):
        out.extend((tag, western_digits(part)))
    return "".join(out)


def for_latin_page(fragment: str) -> str:
    """Return a translated HTML fragment fit for a Latin-script page.

    >>> for_latin_page('Budget <a href="/b">2027</a> : ٣ projets #ميزانية_الرباط')
    'Budget <a href="/b">2027</a> : 3 projets <span lang="ar" dir="rtl">#ميزانية_الرباط</span>'
    >>> for_latin_page("le quartier حي الرياض (٢٠٢٦)")
    'le quartier <span lang="ar" dir="rtl">حي الرياض</span> (2026)'
    """
    if not has_arabic(fragment):
        return fragment
    out: list[str] = []
    untouched: list[str] = []  # open elements whose content is kept as it is
    for token in tokenize(fragment):
        if token.kind == "start" and not token.is_void and not untouched:
            if token.name in _UNTOUCHED or token.attrs.get("translate", "").lower() == "no":
                untouched.append(token.name)
        elif token.kind == "start" and untouched and token.name == untouched[0]:
            untouched.append(token.name)
        elif token.kind == "end" and untouched and token.name == untouched[0]:
            untouched.pop()
        if token.kind == "text" and not untouched:
            out.append(_fix_text(token.text))
        else:
            out.append(token.raw)
    return "".join(out)


def mark_arabic(fragment: str) -> str:
    """Return a source fragment shown untranslated on a Latin-script page, marked as Arabic.

    >>> mark_arabic("نص <em>مهم</em>")
    '<span lang="ar" dir="rtl">نص <em>مهم</em></span>'
    """
    return f"{ARABIC_SPAN}{fragment}</span>" if has_arabic(fragment) else fragment
