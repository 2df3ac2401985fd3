"""SITEURL is parsed, not pasted: one check at start-up, on every way of building (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.support.builds import copy_site
from tests.support.site import isolated_env, write_settings
from trilingual.siteurl import SiteUrlError, check_site_url

# (SITEURL, what the message must say) for addresses pages cannot be joined to.
REFUSED = [
    ("https://news.example.ma/?utm=1", "has a query ('?utm=1')"),
    ("https://news.example.ma/#top", "has a fragment"),
    ("https://editor:hunter2@news.example.ma", "holds a user name or password"),
    ("https://editor@news.example.ma/archive", "holds a user name or password"),
    ("ftp://news.example.ma", "is not an absolute http:// or https:// URL"),
    ("news.example.ma", "is not an absolute http:// or https:// URL"),
    ("https://news.example.ma:99999", "cannot be read as a URL"),
    ('https://news.example.ma/"><script>', "contains '\"'"),
    ("https://news example.ma", "contains ' '"),
]


@pytest.mark.parametrize(("url", "problem"), REFUSED)
def test_an_address_with_more_than_a_host_and_path_is_refused_naming_what(url, problem):
    with pytest.raises(SiteUrlError) as raised:
        check_site_url(url)
    message = str(raised.value)
    assert message.startswith("SITEURL ") and problem in message
    assert "hunter2" not in message and "editor" not in message  # never echo credentials


def test_a_path_is_kept_its_trailing_slash_dropped_and_empty_is_development():
    assert check_site_url("https://news.example.ma/archive/") == "https://news.example.ma/archive"
    assert check_site_url(" http://127.0.0.1:8000 ") == "http://127.0.0.1:8000"
    assert check_site_url("") == ""
    with pytest.raises(SiteUrlError, match="SITEURL is not set"):
        check_site_url("", required=True)
    # The fix is named when there is one.
    with pytest.raises(SiteUrlError, match=r"here https://news\.example\.ma/archive$"):
        check_site_url("https://news.example.ma/archive/?utm=1")


@pytest.mark.parametrize("url", ["https://news.example.ma/?utm=1", "https://u:hunter2@h.ma"])
def test_publish_refuses_the_address_before_building(url, tmp_path):
    (tmp_path / "tasks.py").write_text((ROOT / "tasks.py").read_text(encoding="utf-8"))
    (tmp_path / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    env = {**os.environ, "SITEURL": url}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    message = result.stdout + result.stderr
    assert result.returncode == 2, message
    assert "publish: SITEURL" in message and "Traceback" not in message
    assert "has a query" in message or "user name or password" in message
    assert "hunter2" not in message and not (tmp_path / "output").exists()


def test_the_build_driver_refuses_a_query_before_writing_anything(tmp_path):
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    with pytest.raises(SiteUrlError, match="has a query"):
        site.build(SITEURL="https://news.example.ma/?utm=1")
    assert not site.output.exists()


def test_a_plain_pelican_run_refuses_credentials(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    settings = write_settings(tmp_path, content, "SITEURL = 'https://u:hunter2@news.example.ma'\n")
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(tmp_path / "out")],
        cwd=tmp_path, env=isolated_env(tmp_path / "home"), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    output = " ".join((result.stdout + result.stderr).split())  # Pelican wraps its lines
    assert result.returncode != 0
    assert "holds a user name or password" in output and "hunter2" not in output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_trailing_slash_gives_clean_links_in_pages_and_sitemap(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOTRANSLATE_ENGINE", "pseudo")
    site = copy_site(tmp_path, with_demo=False, with_memory=False)
    site.add_article(
        "a.md", "Title: خبر\nDate: 2026-03-01 10:00\nSlug: khabar\nLang: ar\n\nنص الخبر.\n"
    )
    site.build(SITEURL="https://news.example.ma/archive/")
    sitemap = (site.output / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://news.example.ma/archive/2026/khabar.html</loc>" in sitemap
    assert "<loc>https://news.example.ma/archive/fr/2026/khabar.html</loc>" in sitemap
    page = site.page("fr", "khabar", "2026")
    assert 'href="https://news.example.ma/archive/fr/2026/khabar.html"' in page
    everything = "".join(p.read_text("utf-8") for p in site.output.rglob("*.html"))
    assert "archive//" not in everything and "archive//" not in sitemap
