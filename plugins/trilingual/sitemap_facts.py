"""What the sitemaps say of one page, from its Pelican content and its template's choices.

The section's writer asks this when it renders a page, and keeps the answer in the
page's record: the sitemaps are then made from the records, never by reading the
written pages back. Everything here is what the page itself shows: its canonical
URL (``lang_url(LANG, output_file)``), the ``hreflang`` alternates of the versions
its template chose (``page_versions``), its ``noindex``, an article's or page's own
date (``article:modified_time``) and an article's news fields (its NewsArticle
JSON-LD), and the articles a listing lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pelican.contents import Article, Content

from .manifest import NewsFacts, SitemapFacts
from .sharing import plain_text
from .templating import root_url, site_languages
from .versions import hreflang_links


class PageFacts:
    """Make the sitemap facts of the pages of one section run."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.languages = site_languages(dict(settings))
        self.root = root_url(dict(settings))
        self.current = settings["DEFAULT_LANG"]
        # The publisher's name in the NewsArticle JSON-LD (PageSharing.sitename).
        self.publication = plain_text(settings.get("SITENAME", ""))

    def of(self, context: Mapping[str, Any], chosen: Mapping[str, Any]) -> SitemapFacts | None:
        """Return the facts of the page rendered from ``context``; None if it has none.

        ``chosen`` holds the template's own top-level variables once it rendered
        (``page_versions``, ``noindex``): a page without versions has no canonical
        link and no place in a sitemap.
        """
        versions = chosen.get("page_versions")
        output_file = context.get("output_file")
        if versions is None or not output_file:
            return None
        url = self.languages.url(self.root, self.current, output_file)
        alternates = tuple(hreflang_links(versions, self.languages.default))
        noindex = bool(chosen.get("noindex", False))
        content = _content_at(context, output_file)
        if content is None:
            page = context.get("articles_page")
            shown = getattr(page, "object_list", None) or ()
            shows = tuple(self.languages.url(self.root, a.lang, a.url) for a in shown)
            return SitemapFacts(url, alternates, noindex, shows=shows)
        date = getattr(content, "date", None)
        modified = None
        news = None
        if date is not None:
            modified = (getattr(content, "modified", None) or date).isoformat()
        is_article = isinstance(content, Article)
        title = plain_text(getattr(content, "title", ""))
        if is_article and date is not None and title:
            news = NewsFacts(title, date.isoformat(), self.publication, str(content.lang))
        return SitemapFacts(url, alternates, noindex, modified, is_article, (), news)


def _content_at(context: Mapping[str, Any], output_file: str) -> Content | None:
    """Return the article or page written at ``output_file`` (not a view of it)."""
    for name in ("article", "page"):
        content = context.get(name)
        if isinstance(content, Content) and content.save_as == output_file:
            return content
    return None
