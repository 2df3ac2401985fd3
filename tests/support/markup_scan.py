"""Find live markup in built files: what a browser or feed reader would run or load."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

# Elements that run code, load other documents or restyle the page.
DANGEROUS_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "style", "frame", "base"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "srcdoc", "poster", "xlink:href", "background"}
)
_CONTROL = re.compile(r"[\x00-\x20]+")
# The one tag the pipeline writes itself, not taken from any text: Arabic left on a
# French or English page is marked as Arabic (issue 12, item 5).
LANGUAGE_MARK = ("span", (("dir", "rtl"), ("lang", "ar")))


def start_tags(fragment: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """Return every (element, sorted attributes) an HTML parser sees in ``fragment``.

    The pipeline's own LANGUAGE_MARK is left out: it carries no text from a catalog.
    """
    found: set[tuple[str, tuple[tuple[str, str], ...]]] = set()

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.add((tag, tuple(sorted((k, v or "") for k, v in attrs))))

        handle_startendtag = handle_starttag

    parser = Collector(convert_charrefs=True)
    parser.feed(fragment)
    parser.close()
    return found - {LANGUAGE_MARK}


def live_markup(text: str, allowed_scripts=lambda attrs, body: False) -> list[str]:
    """Return descriptions of dangerous elements, on* attributes and script URLs in ``text``."""
    findings: list[str] = []

    class Scanner(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.open_script: tuple[dict, list[str]] | None = None

        def handle_starttag(self, tag, attrs):
            values = {k: v or "" for k, v in attrs}
            for name, value in values.items():
                if name.startswith("on"):
                    findings.append(f"<{tag} {name}={value!r}>")
                url = _CONTROL.sub("", value).lower()
                if name in URL_ATTRIBUTES and url.startswith(("javascript:", "data:", "vbscript:")):
                    findings.append(f"<{tag} {name}={value!r}>")
            if tag == "script":
                self.open_script = (values, [])
            elif tag in DANGEROUS_ELEMENTS:
                findings.append(f"<{tag}> element")

        handle_startendtag = handle_starttag

        def handle_data(self, data):
            if self.open_script is not None:
                self.open_script[1].append(data)

        def handle_endtag(self, tag):
            if tag == "script" and self.open_script is not None:
                attrs, body = self.open_script
                if not allowed_scripts(attrs, "".join(body)):
                    findings.append(f"<script {attrs}>{''.join(body)[:60]}")
                self.open_script = None

    scanner = Scanner()
    scanner.feed(text)
    scanner.close()
    if scanner.open_script is not None:
        findings.append(f"unclosed <script {scanner.open_script[0]}>")
    return findings


# Feed elements whose text is HTML that a feed reader renders (Atom type="html", RSS).
HTML_FEED_ELEMENTS = frozenset({"summary", "content", "description", "encoded"})


def scan_file(path: Path, allowed_scripts=lambda attrs, body: False) -> list[str]:
    """Return live markup in a built HTML page, or in the HTML a feed or sitemap carries.

    Feed readers render the HTML held (escaped) in a feed's summaries and content,
    so those texts are scanned as HTML too; titles and terms are plain text there.
    """
    text = path.read_text(encoding="utf-8")
    findings = live_markup(text, allowed_scripts)
    if path.suffix != ".xml":
        return findings
    for element in ET.fromstring(text).iter():
        name = element.tag.rsplit("}", 1)[-1]
        kind = element.attrib.get("type", "html")
        if name in HTML_FEED_ELEMENTS and kind in ("html", "xhtml", "text/html"):
            findings += live_markup(element.text or "", allowed_scripts)
    return findings
