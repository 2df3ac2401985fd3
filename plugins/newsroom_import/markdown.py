"""Convert a cleaned post body to Markdown with markdownify (figures and iframes kept as HTML).

markdownify (pure Python, on BeautifulSoup, which the cleanup already uses) writes
the Markdown Pelican's reader expects (ATX headings, pipe tables for its ``extra``
extension). Figures and iframes have no Markdown form: they stay HTML blocks,
exactly as the author (or the caption shortcode) made them.
"""

from __future__ import annotations

import re

from markdownify import MarkdownConverter

_BLANK_LINES = re.compile(r"\n\s*\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


class _PostConverter(MarkdownConverter):
    """markdownify's converter, keeping the elements Markdown cannot write as HTML."""

    def _as_html_block(self, element) -> str:
        # A blank line would end the HTML block early: keep the element on its lines.
        markup = _BLANK_LINES.sub("\n", str(element)).strip()
        return f"\n\n{markup}\n\n"

    def convert_figure(self, el, text, parent_tags):
        if el.find(["img", "iframe", "video", "audio"]) is None:
            return f"\n\n{text.strip()}\n\n"  # a block table's figure: the table in Markdown
        return self._as_html_block(el)

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"

    def convert_iframe(self, el, text, parent_tags):
        return self._as_html_block(el)


def to_markdown(html: str) -> str:
    """Return the Markdown of an HTML body, ending with one newline.

    >>> print(to_markdown('<h2>فاس</h2><p>نص <strong>مهم</strong></p>'), end="")
    ## فاس
    <BLANKLINE>
    نص **مهم**
    """
    text = _PostConverter(heading_style="ATX", bullets="-", strip=["span", "font"]).convert(html)
    # Two trailing spaces are a line break (<br>): only blank-looking lines are emptied.
    lines = [line if line.strip() else "" for line in text.strip().splitlines()]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)) + "\n"
