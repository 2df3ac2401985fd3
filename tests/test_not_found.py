"""The root 404.html, served for every missing path as GitHub Pages does, speaks the URL's language."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser import needs_chromium
from tests.support.site import ROOT, build, build_demo_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    needs_chromium,
]
PROJECT = "atlas-archive"


class _PagesHandler(SimpleHTTPRequestHandler):
    """Serve files; answer a missing one with the site's root 404.html, like GitHub Pages."""

    not_found: Path

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(directory: Path, not_found: Path):
    handler = functools.partial(
        type("Handler", (_PagesHandler,), {"not_found": not_found}), directory=str(directory)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """The demo built for, and served under, a project path (/atlas-archive/)."""
    work = tmp_path_factory.mktemp("notfound")
    served = work / "served"
    served.mkdir()
    # The port must be known before the build (SITEURL): serve first, link the output after.
    server, url = _serve(served, served / PROJECT / "404.html")
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".lock"))
    output = build(work, content, f"SITEURL = {url + '/' + PROJECT!r}\n")
    (served / PROJECT).symlink_to(output, target_is_directory=True)
    yield f"{url}/{PROJECT}"
    server.shutdown()


@pytest.fixture(scope="module")
def root_site(tmp_path_factory):
    """The demo built with root-relative URLs and served at /."""
    output = build_demo_site(tmp_path_factory.mktemp("notfound-root"))
    server, url = _serve(output, output / "404.html")
    yield url
    server.shutdown()


def _visible_blocks(page) -> list[dict]:
    return page.eval_on_selector_all(
        ".not-found-language",
        """blocks => blocks.filter(b => b.offsetParent !== null).map(b => ({
            lang: b.lang, dir: b.dir, title: b.querySelector('h1').textContent,
            home: b.querySelector('a').href}))""",
    )


@pytest.mark.parametrize(
    ("path", "lang", "title", "home"),
    [
        ("fr/2016/article-disparu.html", "fr", "Page introuvable", "/fr/"),
        ("en/no/such/page", "en", "Page not found", "/en/"),
        ("2016/missing.html", "ar", "الصفحة غير موجودة", "/"),
        ("french/", "ar", "الصفحة غير موجودة", "/"),  # a prefix must be a whole segment
    ],
)
def test_missing_page_under_a_project_path_speaks_the_section_language(
    browser, project_site, path, lang, title, home
):
    page = browser.new_page()
    response = page.goto(f"{project_site}/{path}")
    assert response.status == 404
    (block,) = _visible_blocks(page)
    assert (block["lang"], block["title"]) == (lang, title)
    assert block["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert block["home"] == f"{project_site}{home}"
    assert page.title() == title
    page.close()


def test_missing_page_at_the_root_speaks_the_section_language(browser, root_site):
    page = browser.new_page()
    assert page.goto(f"{root_site}/en/2099/").status == 404
    (block,) = _visible_blocks(page)
    assert block["lang"] == "en" and block["home"] == f"{root_site}/en/"
    page.close()


def test_without_javascript_every_language_and_home_is_listed(browser, project_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{project_site}/fr/nope.html")
    blocks = _visible_blocks(page)
    assert [b["lang"] for b in blocks] == ["ar", "fr", "en"]
    assert [b["home"] for b in blocks] == [f"{project_site}{h}" for h in ("/", "/fr/", "/en/")]
    context.close()
