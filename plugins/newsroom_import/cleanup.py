"""Tidy WordPress HTML: block comments dropped, [caption] made a figure, paragraphs made.

What the author embedded (an iframe) stays as written; what would run code on the new
site (script, on* attributes, javascript: URLs) is taken out and reported.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, Comment

# <!-- wp:paragraph -->, <!-- /wp:image --> and <!-- wp:image {"id":12} /-->.
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_ATTRIBUTE = re.compile(r'caption\s*=\s*"([^"]*)"', re.IGNORECASE)
# The image (possibly inside its link) that opens a caption shortcode's body.
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)(?:\s[^\]]*)?\]")
# Elements that run code or restyle the page; an author's iframe is not among them.
_REMOVED_ELEMENTS = ("script", "style", "object", "embed", "applet", "base", "form")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "srcdoc")


def drop_block_comments(text: str) -> tuple[str, bool]:
    """Remove Gutenberg's block comments; return the text and whether it had any.

    >>> drop_block_comments('<!-- wp:paragraph --><p>نص</p><!-- /wp:paragraph -->')
    ('<p>نص</p>', True)
    """
    cleaned, count = _BLOCK_COMMENT.subn("", text)
    return cleaned, bool(count)


def captions_to_figures(text: str) -> str:
    """Turn each ``[caption]<img> text[/caption]`` into ``<figure>`` with ``<figcaption>``.

    >>> captions_to_figures('[caption id="a" width="300"]<img src="x.jpg"> سوق فاس[/caption]')
    '<figure><img src="x.jpg"><figcaption>سوق فاس</figcaption></figure>'
    """

    def figure(match: re.Match) -> str:
        attributes, body = match.group(1), match.group(2)
        image = _CAPTION_IMAGE.match(body)
        if not image:
            return body  # no picture: keep the words, drop the shortcode
        caption = image.group(2).strip()
        named = _CAPTION_ATTRIBUTE.search(attributes)
        if not caption and named:
            caption = html.escape(html.unescape(named.group(1)), quote=False)
        caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{image.group(1).strip()}{caption_html}</figure>"

    return _CAPTION.sub(figure, text)


def leftover_shortcodes(text: str) -> list[str]:
    """Return the names of shortcodes left in ``text`` ([gallery], [embed]...), once each.

    >>> leftover_shortcodes('<p>[gallery ids="1,2"] نص [embed]x[/embed]</p>')
    ['gallery', 'embed']
    """
    return list(dict.fromkeys(match.group(2) for match in _SHORTCODE.finditer(text)))


def clean_wordpress_html(text: str) -> tuple[str, list[str]]:
    """Return a WordPress post body as plain HTML, and notes on what was taken out."""
    from pelican.tools.pelican_import import decode_wp_content

    text, had_blocks = drop_block_comments(text)
    text = captions_to_figures(text)
    if not had_blocks:
        # Classic-editor posts are stored without <p>: WordPress adds them on display
        # (wpautop), and so does Pelican's importer function. Block posts have theirs.
        text = decode_wp_content(text)
    cleaned, notes = remove_live_markup(text)
    notes += [f"shortcode [{name}] left as text" for name in leftover_shortcodes(cleaned)]
    return cleaned, notes


def remove_live_markup(text: str) -> tuple[str, list[str]]:
    """Take out scripts, on* attributes and javascript: URLs; return HTML and what went."""
    soup = BeautifulSoup(text, "html.parser")
    notes = []
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for element in soup.find_all(_REMOVED_ELEMENTS):
        notes.append(f"<{element.name}> removed")
        element.decompose()
    for element in soup.find_all(True):
        for name in list(element.attrs):
            value = element.attrs[name]
            value = " ".join(value) if isinstance(value, list) else str(value)
            url = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name.lower().startswith("on") or (
                name.lower() in _URL_ATTRIBUTES
                and url.startswith(("javascript:", "vbscript:", "data:text"))
            ):
                notes.append(f"<{element.name} {name}=…> removed")
                del element.attrs[name]
    for line_break in soup.select("figure > br"):  # wpautop's, between picture and caption
        line_break.decompose()
    return str(soup), list(dict.fromkeys(notes))
