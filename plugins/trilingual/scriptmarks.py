"""Mark Arabic left in a title of a left-to-right page, so it is read and laid out as Arabic."""

from __future__ import annotations

import re

# Arabic letters (digits and the percent sign excluded: they read the same either way).
_LETTER = (
    "\u0600-\u065f\u066b-\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
)
# A hashtag, or a run from one Arabic letter to the last one before Latin text or markup.
_RUN = re.compile(
    rf"#[\w\u064b-\u065f\u0670]*[{_LETTER}][\w\u064b-\u065f\u0670]*"
    rf"|[{_LETTER}](?:[^A-Za-z\u00c0-\u024f<>&]*[{_LETTER}])?"
)


def mark_arabic_runs(escaped_text: str, page_direction: str) -> str:
    """Return an escaped title with its Arabic runs in ``<span lang="ar" dir="rtl">``.

    Only on a left-to-right page; titles there are escaped text without markup.

    >>> mark_arabic_runs("Budget &amp; #ميزانية_مراكش", "ltr")
    'Budget &amp; <span lang="ar" dir="rtl">#ميزانية_مراكش</span>'
    >>> mark_arabic_runs("ميزانية", "rtl")
    'ميزانية'
    """
    if page_direction != "ltr" or "<" in escaped_text:
        return escaped_text
    return _RUN.sub(lambda m: f'<span lang="ar" dir="rtl">{m.group()}</span>', escaped_text)
