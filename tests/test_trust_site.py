"""End to end: no built file (pages, parallel view, feeds, sitemap) carries live markup
that the Arabic source does not have, whatever the metadata and the catalogs say."""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po, write_po

from autotranslate.memory import checksum
from tests.support.builds import copy_site
from tests.support.markup_scan import live_markup, scan_file

pytestmark = pytest.mark.slow

MARK = "zzq"  # in every hostile payload; the pseudo engine keeps it as it is
HOSTILE_ARTICLE = f"""Title: عنوان &lt;/title&gt;&lt;script&gt;alert("{MARK}")&lt;/script&gt;
Date: 2026-01-01 10:00
Category: &lt;script&gt;alert("{MARK}")&lt;/script&gt;
Tags: &lt;img src=x onerror=alert("{MARK}")&gt;, وسم" onmouseover="alert('{MARK}'), ؟!
Author: &lt;script&gt;{MARK}&lt;/script&gt;
Slug: hostile
Lang: ar
Summary: ملخص &lt;script&gt;alert("{MARK}")&lt;/script&gt;

انطلقت [أشغال المؤتمر](/rabat) اليوم بالرباط.

وحضر الوزير الجلسة.

![صورة المدينة](/images/city.png "عنوان الصورة") و[رابط](/rabat "عنوان الرابط") هنا.
"""
# Raw quotes and angle brackets where templates put text into attributes (meta, title=).
QUOTES_ARTICLE = f"""Title: عنوان " onmouseover="alert('{MARK}') ' onfocus='{MARK}
Date: 2026-01-02 10:00
Category: فئة " onclick="{MARK}
Tags: وسم ' onload='{MARK}
Slug: quotes
Lang: ar
Summary: ملخص " onfocus="alert('{MARK}')

نص عادي هنا.
"""
PAYLOAD = (
    f'<script>alert("{MARK}")</script><a href="javascript:alert({MARK})">{MARK}</a>'
    f"<img src=x onerror=alert({MARK})><iframe src=//{MARK}.example></iframe>"
    f'<object data="{MARK}"></object><style>body{{color:red}}</style>'
    f'<a href="data:text/html,{MARK}">x</a>'
)


def _theme_script(attrs: dict, body: str) -> bool:
    """Tell whether a script is the theme's own (structured data, or not from our payloads)."""
    if attrs.get("type") == "application/ld+json":
        try:
            json.loads(body)
            return True
        except ValueError:
            return False
    return MARK not in repr(attrs) + body


def _edit(path, change) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            change(message)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_the_scanner_sees_what_a_browser_would_run():
    assert live_markup(PAYLOAD)  # a scan that cannot fail proves nothing
    for sample in ('<p onclick="x">', '<a href=" JaVa\tScript:x">', "<iframe>", "<style>"):
        assert live_markup(sample), sample
    assert live_markup('<p title="a &lt;script&gt;">a &lt;script&gt;</p>') == []


def test_no_built_file_carries_markup_the_arabic_source_lacks(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False)
    site.add_article("hostile.md", HOSTILE_ARTICLE)
    site.add_article("quotes.md", QUOTES_ARTICLE)
    (site.content / "pages").mkdir()
    (site.content / "pages" / "about.md").write_text(
        f"Title: من نحن &lt;script&gt;alert('{MARK}')&lt;/script&gt;\nSlug: about\nLang: ar\n\n"
        "صفحة تعريفية قصيرة.\n",
        encoding="utf-8",
    )
    site.build()
    # A pseudo build's own catalogs (it never writes the memory) are edited below.

    def reviewed(message):  # a person's English, pasted from anywhere
        if "الوزير" in message.id:
            message.string = f"The minister {PAYLOAD} attended."

    def forged(message):  # a machine entry whose checksum was written by hand
        if "أشغال" in message.id:
            message.string = PAYLOAD
            message.auto_comments = [
                f"autotranslate: engine = <img src=x onerror=alert({MARK})>",
                f"autotranslate: checksum = {checksum(PAYLOAD)}",
            ]

    _edit(site.catalog("en", "hostile", pseudo=True), reviewed)

    def attribute_breakout(message):  # alt and title texts are entries of their own
        if "صورة" in message.id or "الرابط" in message.id:
            message.string = f'x" onerror="alert({MARK})" title=\'{MARK}'

    _edit(site.catalog("en", "hostile", pseudo=True), attribute_breakout)
    _edit(site.catalog("en", "hostile", pseudo=True), forged)
    _edit(
        site.catalog("en", "_terms", pseudo=True),
        lambda m: setattr(m, "string", f"{PAYLOAD} {m.string}"),
    )
    _edit(
        site.catalog("fr", "_terms", pseudo=True),
        lambda m: setattr(m, "string", f"<svg onload={MARK}>"),
    )
    site.build()

    # Pages are at the section root since issue 12, and translated (their title too).
    for prefix in ("", "fr/", "en/"):
        assert (site.output / prefix / "about.html").exists()
    built = sorted(p for p in site.output.rglob("*") if p.suffix in (".html", ".xml"))
    assert any("parallel" in p.parts for p in built) and any("feeds" in p.parts for p in built)
    assert (site.output / "sitemap.xml") in built
    findings = {
        str(path.relative_to(site.output)): found
        for path in built
        if (found := scan_file(path, _theme_script))
    }
    assert findings == {}
    # The payloads are there, as text: the check looked at the right pages.
    english = site.page("en", "hostile", "2026")
    assert f"alert({MARK})" in english and "&lt;script&gt;" in english
    assert f"&lt;img src=x onerror=alert({MARK})&gt;</code>" in english  # the forged engine label
    arabic = site.page("ar", "hostile", "2026")
    assert re.search(r"<title>عنوان &lt;/title&gt;&lt;script&gt;", arabic)
    # A name that slugifies to nothing gets a page name of its own, and a warning.
    assert not [p for p in site.output.rglob(".*") if p.suffix in (".html", ".xml")]
    assert "gives no page name" in caplog.text
