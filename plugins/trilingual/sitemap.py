"""Write sitemap.xml (with hreflang alternates) and robots.txt from the built pages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import quoteattr

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass
class PageLinks:
    """What a built page says about itself: canonical URL, alternates, indexability."""

    canonical: str | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)
    noindex: bool = False


class _HeadLinkParser(HTMLParser):
    """Collect ``<link rel=canonical|alternate hreflang>`` and robots meta from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "").split()
        if tag == "link" and "canonical" in rel:
            self.links.canonical = values.get("href")
        elif tag == "link" and "alternate" in rel and "hreflang" in values:
            self.links.alternates.append((values["hreflang"], values.get("href", "")))
        elif tag == "meta" and values.get("name", "").lower() == "robots":
            self.links.noindex = "noindex" in values.get("content", "").lower()


def read_page_links(path: Path) -> PageLinks:
    """Parse one HTML file's head links."""
    parser = _HeadLinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def collect_pages(output: Path, since: float | None = None) -> dict[Path, PageLinks]:
    """Return the head links of every HTML page under ``output``, sorted by path.

    With ``since`` (a time.time() value), only pages written from then on count:
    a development build keeps its output folder, and pages left over from an
    older build (a renamed article) must not be advertised.
    """
    paths = sorted(Path(output).rglob("*.html"))
    if since is not None:
        paths = [p for p in paths if p.stat().st_mtime >= since]
    return {path: read_page_links(path) for path in paths}


def render_sitemap(pages: dict[Path, PageLinks]) -> str:
    """Return sitemap XML for the indexable pages: one <url> each, with all alternates."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for links in pages.values():
        if links.noindex or not links.canonical:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{_escape(links.canonical)}</loc>")
        for hreflang, href in links.alternates:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)}'
                f" href={quoteattr(href)}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(output: Path, root: str, since: float | None = None) -> Path:
    """Write ``sitemap.xml`` at the output root (pages written since ``since``)."""
    if not root.startswith(("http://", "https://")):
        # Search engines need absolute URLs; a development build keeps the
        # root-relative ones its pages use.
        logger.debug("trilingual: SITEURL is not absolute; sitemap URLs are root-relative")
    target = Path(output) / "sitemap.xml"
    target.write_text(render_sitemap(collect_pages(output, since)), encoding="utf-8")
    return target


def write_robots(output: Path, root: str, sitemap: Path) -> Path:
    """Write ``robots.txt`` allowing everything and pointing to the sitemap."""
    target = Path(output) / "robots.txt"
    target.write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {root}/{sitemap.name}\n", encoding="utf-8"
    )
    return target


def _escape(text: str) -> str:
    """Escape text for an XML element body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
