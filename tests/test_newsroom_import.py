"""invoke import (issue 22): a WordPress export or a feed becomes articles, pages and a redirect map."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autotranslate import storage
from autotranslate.refusals import MAX_SLUG_BYTES
from autotranslate.sources import is_safe_slug
from newsroom_import.articles import read_front_matter
from newsroom_import.posts import ImportRefused
from newsroom_import.run import import_archive
from tests.conftest import ROOT
from trilingual.redirects import read_redirect_map

FIXTURES = ROOT / "tests" / "fixtures" / "wordpress"
EXPORT = FIXTURES / "arabic-newsroom.xml"
UPLOADS = FIXTURES / "uploads"
TZ = "Africa/Casablanca"


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".lock"))
    return content


def _import(content: Path, export: Path = EXPORT, **options):
    options.setdefault("uploads", UPLOADS)
    return import_archive("wordpress", str(export), content, TZ, **options)


def _by_id(content: Path) -> dict[str, tuple[Path, dict[str, str], str]]:
    found = {}
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        fields = read_front_matter(text)
        if "wordpress-id" in fields:
            found[fields["wordpress-id"]] = (path, fields, text)
    return found


def _snapshot(content: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(content)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }


def _write_export(tmp_path: Path, items: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>t</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://akhbar.example.ma</wp:base_site_url>"
        f"{items}</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def _item(post_id, title="خبر من فاس", body="<p>انطلقت اليوم بفاس أشغال الدورة.</p>",
          status="publish", date="2018-03-04 10:00:00", name="") -> str:  # fmt: skip
    return (
        f"<item><title>{title}</title><link>https://akhbar.example.ma/?p={post_id}</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
        f"<wp:post_name>{name}</wp:post_name><wp:status>{status}</wp:status>"
        "<wp:post_type>post</wp:post_type></item>"
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The Arabic export imported once into a copy of the project's content."""
    content = _content(tmp_path_factory.mktemp("imported"))
    report = _import(content)
    return content, report


# Item 1: one file per post in the project's format; statuses; pages; languages.


def test_every_post_becomes_one_article_in_the_projects_format(imported):
    content, report = imported
    posts = _by_id(content)
    articles = {k: v for k, v in posts.items() if v[0].parent.name == "articles"}
    assert len(articles) == 24 and len(report.imported) == 25, report.lines()
    path, fields, text = posts["100"]
    assert path.name == "2016-01-01-lrbt-ysdq-la-brnmj-ml-ljmh.md"
    assert fields["title"] == "الرباط: المجلس يصادق على برنامج عمل الجماعة"
    assert fields["date"] == "2016-01-01 08:30"  # GMT 08:30 is 08:30 in Casablanca then
    assert fields["category"] == "الشأن المحلي" and fields["tags"] == "الرباط, التنمية"
    assert fields["lang"] == "ar" and fields["author"] == "هيئة التحرير"
    assert fields["summary"] == "خبر من الرباط: يصادق على برنامج عمل الجماعة."
    assert "summary" not in posts["101"][1]  # no excerpt: no summary
    assert fields["image"] == "images/wp/2016/11/souk.jpg"  # the featured image
    assert "<!--" not in text and "wp:paragraph" not in text


def test_summer_time_dates_are_in_the_site_time_zone(imported):
    content, _ = imported
    # Post 104 is dated 2016-05-05 12:30 GMT; Morocco was at UTC+1 that day.
    assert _by_id(content)["104"][1]["date"] == "2016-05-05 13:30"


def test_statuses_private_posts_are_never_published_and_counted(imported):
    content, report = imported
    posts = _by_id(content)
    statuses = {pid: fields.get("status", "published") for pid, (_, fields, _) in posts.items()}
    for post_id in ("114", "115", "116", "117", "120"):  # draft, pending, private, future, private
        assert statuses[post_id] == "draft", post_id
    assert statuses["100"] == "published" and "status" not in posts["100"][1]
    assert report.kept_back == {"draft": 1, "pending": 1, "private": 2, "future": 1}
    assert any("2 private" in line and "never published" in line for line in report.lines())
    # No old address leads to a post that is not published.
    redirects, problems = read_redirect_map(content / "redirects.tsv")
    assert problems == []
    slugs = {fields["slug"] for pid, (_, fields, _) in posts.items() if statuses[pid] == "draft"}
    assert not slugs & {r.slug for r in redirects}


def test_a_wordpress_page_becomes_a_page(imported):
    content, _ = imported
    path, fields, _ = _by_id(content)["140"]
    assert path == content / "pages" / "mn-nhn.md" and fields["title"] == "من نحن"
    assert "date" not in fields


def test_latin_script_posts_are_french_or_english_by_the_identifier(imported):
    content, report = imported
    posts = _by_id(content)
    assert posts["130"][1]["lang"] == "fr" and posts["131"][1]["lang"] == "en"
    assert {posts[p][1]["lang"] for p in posts if p not in ("130", "131")} == {"ar"}
    assert sum("language identifier" in note for note in report.notes) == 2


def test_the_wordpress_language_is_taken_for_latin_text(tmp_path):
    content = _content(tmp_path)
    item = _item(7, title="Rabat", body="<p>The council met and voted.</p>").replace(
        "</item>", '<category domain="language" nicename="fr">Français</category></item>'
    )
    import_archive("wordpress", str(_write_export(tmp_path, item)), content, TZ)
    assert _by_id(content)["7"][1]["lang"] == "fr"


# Item 2: slugs.


def test_percent_encoded_arabic_names_become_latin_slugs_that_obey_the_build_rules(imported):
    content, _ = imported
    slugs = [fields["slug"] for _, fields, _ in _by_id(content).values()]
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert is_safe_slug(slug) and len(slug.encode()) <= MAX_SLUG_BYTES
    assert len({s.casefold() for s in slugs}) == len(slugs)


def test_two_posts_with_one_name_get_distinct_slugs_and_both_are_reported(imported):
    content, report = imported
    posts = _by_id(content)
    assert posts["100"][1]["slug"] == "lrbt-ysdq-la-brnmj-ml-ljmh"
    assert posts["106"][1]["slug"] == "lrbt-ysdq-la-brnmj-ml-ljmh-2"
    [note] = [n for n in report.notes if n.startswith("slug:")]
    assert "post 106" in note and "post 100" in note


def test_a_post_without_a_name_gets_its_slug_from_its_title(imported):
    content, _ = imported
    # Post 107 has an empty <wp:post_name>; its title is "تطوان تحتضن المهرجان الوطني للمسرح".
    assert _by_id(content)["107"][1]["slug"] == "ttwn-thtdn-lmhrjn-lwtny-llmsrh"


def test_slugs_never_clash_with_articles_already_in_the_project(tmp_path):
    content = _content(tmp_path)
    mine = content / "articles" / "mine.md"
    mine.write_text(
        "Title: مقال\nDate: 2020-01-01\nSlug: LRBT-ysdq-la-brnmj-ml-ljmh\n\nنص.\n", "utf-8"
    )
    before = mine.read_bytes()
    _import(content)
    posts = _by_id(content)
    assert posts["100"][1]["slug"] == "lrbt-ysdq-la-brnmj-ml-ljmh-2"
    assert posts["106"][1]["slug"] == "lrbt-ysdq-la-brnmj-ml-ljmh-3"
    assert mine.read_bytes() == before


# Item 4: content.


def test_captions_become_figures_and_tables_become_markdown_tables(imported):
    content, _ = imported
    text = _by_id(content)["100"][2]
    assert re.search(
        r'<figure><a href="\{static\}/images/wp/2016/11/souk.jpg"><img [^>]*src="\{static\}'
        r'/images/wp/2016/11/souk.jpg"[^>]*/?></a>\s*<figcaption>السوق الأسبوعي بالمدينة صباح '
        r"يوم الأحد</figcaption>\s*</figure>",
        text,
    ), text
    assert "[caption" not in text
    table = _by_id(content)["101"][2]
    assert "| الطرق والإنارة | 120 |" in table


def test_iframes_are_kept_as_the_author_wrote_them(imported):
    content, _ = imported
    text = _by_id(content)["103"][2]
    assert re.search(r'<iframe [^>]*src="https://www.youtube.com/embed/abc123"', text)


def test_scripts_and_event_attributes_are_taken_out_and_reported(tmp_path):
    content = _content(tmp_path)
    body = '<p onclick="x()">نص</p><script>alert(1)</script><iframe src="https://v.example/e" onload="y()"></iframe>'
    report = import_archive(
        "wordpress", str(_write_export(tmp_path, _item(8, body=body))), content, TZ
    )
    text = _by_id(content)["8"][2]
    assert "alert" not in text and "onclick" not in text and "onload" not in text
    assert '<iframe src="https://v.example/e"></iframe>' in text
    assert any("<script> removed" in note for note in report.notes)


def test_images_are_copied_once_links_are_local_and_a_missing_one_is_listed(imported, tmp_path):
    content, report = imported
    copies = sorted(
        p.relative_to(content).as_posix() for p in (content / "images" / "wp").rglob("*")
    )
    assert copies == ["images/wp/2016", "images/wp/2016/11", "images/wp/2016/11/souk.jpg",
                      "images/wp/2019", "images/wp/2019/03", "images/wp/2019/03/myn.jpg"]  # fmt: skip
    assert (content / "images/wp/2019/03/myn.jpg").read_bytes() == (
        UPLOADS / "2019/03/ميناء.jpg"
    ).read_bytes()
    for _, _, text in _by_id(content).values():
        assert "akhbar.example.ma" not in text and "wp-content" not in text
    assert report.missing_images == [f"{EXPORT}, item 3 (post 102): 2019/03/missing-photo.jpg"]
    # The missing picture is left out; its caption stays as text.
    text = _by_id(content)["102"][2]
    assert "missing-photo" not in text and "صورة لم تعد موجودة" in text


def test_without_uploads_every_picture_is_listed_and_nothing_fails(tmp_path):
    content = _content(tmp_path)
    report = _import(content, uploads=None)
    assert len(report.imported) == 25 and not report.refused
    assert {m.rsplit(": ", 1)[1] for m in report.missing_images} == {
        "2016/11/souk-640x480.jpg", "2016/11/souk.jpg", "2019/03/missing-photo.jpg",
        "2019/03/ميناء.jpg",
    }  # fmt: skip
    assert not (content / "images" / "wp").exists()


# Item 5: safe to run again.


def test_a_second_run_with_nothing_new_writes_nothing(tmp_path):
    content = _content(tmp_path)
    _import(content)
    before = _snapshot(content)
    report = _import(content)
    assert _snapshot(content) == before
    assert (len(report.imported), len(report.updated), report.unchanged) == (0, 0, 25)
    assert report.images_copied == 0 and report.redirects_added == 0


def test_a_post_changed_in_wordpress_is_updated_in_place(tmp_path):
    content = _content(tmp_path)
    _import(content)
    path = _by_id(content)["100"][0]
    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "صادق المجلس الجماعي لمدينة الرباط", "صادق بالإجماع المجلس الجماعي لمدينة الرباط"
        ),
        encoding="utf-8",
    )
    report = _import(content, changed)
    assert report.updated == [str(path)] and report.unchanged == 24
    assert "صادق بالإجماع" in path.read_text(encoding="utf-8")
    assert _by_id(content)["100"][0] == path  # same file, same slug


def test_an_article_a_person_edited_is_kept_and_the_forcing_command_is_named(tmp_path):
    content = _content(tmp_path)
    _import(content)
    path = _by_id(content)["100"][0]
    edited = path.read_text(encoding="utf-8").replace("خلال دورته", "في دورته", 1)
    path.write_text(edited, encoding="utf-8")
    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "لمدينة الرباط خلال", "لمدينة الرباط الكبرى خلال"
        ),
        encoding="utf-8",
    )
    report = _import(content, changed)
    assert path.read_text(encoding="utf-8") == edited
    [kept] = report.kept
    assert str(path) in kept and f"invoke import wordpress {changed} --force" in kept
    forced = _import(content, changed, force=True)
    assert forced.updated == [str(path)] and "الكبرى" in path.read_text(encoding="utf-8")


def test_an_interrupted_import_leaves_no_half_written_file(tmp_path, monkeypatch):
    content = _content(tmp_path)
    _import(content)
    path = _by_id(content)["100"][0]
    before = path.read_bytes()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "لمدينة الرباط خلال", "لمدينة الرباط الكبرى خلال"
        ),
        encoding="utf-8",
    )

    def killed(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(storage.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        _import(content, changed)
    assert path.read_bytes() == before
    assert not [p for p in content.rglob(".*.tmp")]


def test_the_redirect_map_keeps_a_persons_lines(tmp_path):
    content = _content(tmp_path)
    _import(content)
    mapping = content / "redirects.tsv"
    text = mapping.read_text(encoding="utf-8")
    assert "/?p=100\tlrbt-ysdq-la-brnmj-ml-ljmh\tar\tarticle" in text
    assert "/?page_id=140\tmn-nhn\tar\tpage" in text
    first = text.splitlines()[4]
    person = text.replace(first, first.split("\t")[0] + "\tabout\tar\tpage")
    mapping.write_text(person, encoding="utf-8")
    _import(content)
    assert mapping.read_text(encoding="utf-8") == person


# Item 6: bad input: one message naming the file and the item, nothing half-imported.


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<rss><channel><item>", "not an XML file (line 1, column 20"),
        (
            "<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>",
            "not a WordPress export",
        ),
        ("<html><body>x</body></html>", "not a WordPress export"),
    ],
)
def test_a_file_that_is_no_export_is_refused_whole(tmp_path, text, message):
    content = _content(tmp_path)
    source = tmp_path / "bad.xml"
    source.write_text(text, encoding="utf-8")
    before = _snapshot(content)
    with pytest.raises(ImportRefused) as refused:
        import_archive("wordpress", str(source), content, TZ)
    assert str(refused.value).startswith(f"{source}: ") and message in str(refused.value)
    assert _snapshot(content) == before


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (_item(21, title="", body=""), "item 2 (post 21): it has no title and no content"),
        (_item(21, status="scheduled"), "item 2 (post 21): unknown status 'scheduled'"),
        (
            _item(21, date="29/11/2016"),
            "item 2 (post 21): <wp:post_date> '29/11/2016' is not a date",
        ),
    ],
)
def test_a_bad_post_is_refused_by_name_and_the_others_are_imported(tmp_path, item, message):
    content = _content(tmp_path)
    source = _write_export(tmp_path, _item(20) + item)
    report = import_archive("wordpress", str(source), content, TZ)
    [refused] = report.refused
    assert refused.startswith(f"{source}, ") and message in refused
    assert set(_by_id(content)) == {"20"}  # nothing of the refused post is written
    assert "post 21" not in (content / "redirects.tsv").read_text(encoding="utf-8")
    assert report.counts() == (
        "import: 1 imported, 0 updated, 0 unchanged, 0 kept (edited by hand), 1 refused, "
        "0 images missing"
    )


def test_invoke_import_prints_one_message_and_no_traceback(tmp_path):
    source = tmp_path / "notes.xml"
    source.write_text("this is not xml", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "import", "wordpress", str(source)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"error: {source}: not an XML file (line 1, column 0" in result.stderr


def test_a_missing_uploads_folder_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(ImportRefused, match=r"--uploads .*: no such folder"):
        _import(_content(tmp_path), uploads=tmp_path / "nowhere")


# Feeds.

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>أخبار</title><link>https://akhbar.example.ma</link><description>d</description>
<item><title>وجدة تحتضن معرضا للكتاب</title>
<link>https://akhbar.example.ma/2021/04/02/%d9%85%d8%b9%d8%b1%d8%b6-%d8%a7%d9%84%d9%83%d8%aa%d8%a7%d8%a8/</link>
<guid isPermaLink="false">https://akhbar.example.ma/?p=501</guid>
<pubDate>Fri, 02 Apr 2021 09:00:00 +0000</pubDate><category>ثقافة</category>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>افتتح اليوم بمدينة وجدة معرض جهوي للكتاب بمشاركة دور نشر مغربية.</p><!-- /wp:paragraph -->]]></content:encoded>
</item>
<item><title>خبر بلا تاريخ</title><guid>https://akhbar.example.ma/?p=502</guid>
<description>نص قصير.</description></item>
</channel></rss>
"""


def test_a_feed_is_imported_with_its_old_address_and_short_link(tmp_path):
    content = _content(tmp_path)
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED, encoding="utf-8")
    report = import_archive("feed", str(feed), content, TZ)
    [(_, fields, text)] = [
        (p, read_front_matter(p.read_text("utf-8")), p.read_text("utf-8"))
        for p in (content / "articles").glob("2021-*.md")
    ]
    assert fields["slug"] == "mrd-lktb" and fields["feed-id"] == "https://akhbar.example.ma/?p=501"
    assert fields["date"] == "2021-04-02 10:00" and fields["tags"] == "ثقافة"
    assert "<!--" not in text and "معرض جهوي للكتاب" in text
    assert [r.split(", ", 1)[1] for r in report.refused] == [
        "entry 2 (https://akhbar.example.ma/?p=502): its date cannot be read "
        "(<pubDate>/<published> missing or malformed)"
    ]
    redirects, _ = read_redirect_map(content / "redirects.tsv")
    assert {r.old for r in redirects} == {
        "/2021/04/02/%d9%85%d8%b9%d8%b1%d8%b6-%d8%a7%d9%84%d9%83%d8%aa%d8%a7%d8%a8/",
        "/?p=501",
    }
    again = import_archive("feed", str(feed), content, TZ)
    assert (len(again.imported), again.unchanged) == (0, 1)


def test_a_file_that_is_no_feed_is_refused(tmp_path):
    source = tmp_path / "page.html"
    source.write_text("<p>not a feed</p>", encoding="utf-8")
    with pytest.raises(ImportRefused, match=f"^{re.escape(str(source))}: not an RSS or Atom feed"):
        import_archive("feed", str(source), _content(tmp_path), TZ)
