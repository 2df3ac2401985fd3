"""Headless Chromium follows the language switcher and sees the Arabic page laid out RTL."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.browser import needs_chromium
from tests.support.site import SEED_SLUG, build_demo_site

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """Serve a freshly built demo site on 127.0.0.1 (a free port) from a thread."""
    output = build_demo_site(tmp_path_factory.mktemp("browser"))
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_switcher_goes_from_arabic_to_french_and_back(browser, base_url):
    page = browser.new_page()
    arabic_url = f"{base_url}/2016/{SEED_SLUG}.html"
    page.goto(arabic_url)
    assert page.locator("html").get_attribute("lang") == "ar"

    page.click('nav.lang-switch a[hreflang="fr"]')
    page.wait_for_load_state()
    assert page.url == f"{base_url}/fr/2016/{SEED_SLUG}.html"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "29 novembre 2016" in page.locator("article time").first.inner_text()

    page.click('nav.lang-switch a[hreflang="ar"]')
    page.wait_for_load_state()
    assert page.url == arabic_url
    assert "29 نونبر 2016" in page.locator("article time").first.inner_text()
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_arabic_article_lays_out_right_to_left(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base_url}/2016/{SEED_SLUG}.html")
    title = page.locator("h1.article-title")
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert title.evaluate("el => getComputedStyle(el).textAlign") in ("start", "right")

    # A short line (the date) hugs the right edge of the text column and leaves
    # the left side empty. Measure the rendered text (a Range), not the block
    # box, which always spans the whole column.
    column = page.locator("main").evaluate(
        "el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);"
        " return [r.left + parseFloat(s.paddingLeft), r.right - parseFloat(s.paddingRight)]; }"
    )
    line = page.locator("article .meta").evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
    )
    assert abs(line[1] - column[1]) < 2, (line, column)
    assert line[0] - column[0] > 40, (line, column)

    # The site name sits at the right (start) edge and the switcher to its left.
    name_box = page.locator(".site-name").bounding_box()
    switch_box = page.locator("nav.lang-switch").bounding_box()
    assert name_box["x"] + name_box["width"] > switch_box["x"] + switch_box["width"] - 2
    page.close()


def test_french_article_lays_out_left_to_right(browser, base_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/fr/2016/{SEED_SLUG}.html")
    title = page.locator("h1.article-title")
    assert title.evaluate("el => getComputedStyle(el).direction") == "ltr"
    main_box = page.locator("main").bounding_box()
    title_box = title.bounding_box()
    # Left edges align (main has 1rem padding) in a left-to-right section.
    assert abs(title_box["x"] - (main_box["x"] + 16)) < 2
    page.close()
