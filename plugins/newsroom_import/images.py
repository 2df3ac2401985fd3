"""Point imported posts at local copies of their images (from a copy of wp-content/uploads).

Nothing is fetched: a picture that is not in the uploads folder is left out of the
post and listed by name, so putting it there and importing again brings it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .slugs import latin_name

UPLOADS_MARK = "/wp-content/uploads/"
# Where copies go, under the content folder; {static} links find them there.
IMAGES_FOLDER = PurePosixPath("images") / "wp"
# WordPress's resized copies: photo-300x200.jpg is a smaller photo.jpg.
_RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


@dataclass
class LocalFiles:
    """The copies a post needs and the pictures that could not be found."""

    copies: dict[PurePosixPath, Path] = field(default_factory=dict)  # content path → source
    missing: list[str] = field(default_factory=list)  # upload paths, as the post names them


def upload_path(url: str, old_hosts: frozenset[str] = frozenset()) -> str | None:
    """Return the path under wp-content/uploads a URL names, or None for any other URL.

    >>> upload_path("https://rabat.ma/wp-content/uploads/2016/11/%D8%B3%D9%88%D9%82.jpg")
    '2016/11/سوق.jpg'
    >>> upload_path("https://photos.akhbar.ma/photo.jpg") is None
    True
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc and old_hosts and parts.netloc.lower() not in old_hosts:
        return None
    path = unquote(parts.path)
    if UPLOADS_MARK not in path:
        return None
    relative = path.split(UPLOADS_MARK, 1)[1].strip("/")
    pieces = relative.split("/")
    if not relative or any(piece in ("", ".", "..") for piece in pieces):
        return None
    return relative


def local_name(relative: str) -> PurePosixPath:
    """Return where an upload is kept in the content (Latin, file-system-safe names).

    >>> str(local_name("2016/11/سوق الخميس.JPG"))
    'images/wp/2016/11/swq-lkhmys.jpg'
    """
    *folders, name = relative.split("/")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    safe = [latin_name(folder) or "x" for folder in folders]
    safe_name = latin_name(stem) or "file"
    if extension:
        safe_name += "." + (latin_name(extension) or "bin")
    return IMAGES_FOLDER.joinpath(*safe, safe_name)


def find_upload(uploads: Path | None, relative: str) -> Path | None:
    """Return the file of ``relative`` in the uploads copy (or its full-size original)."""
    if uploads is None:
        return None
    root = uploads.resolve()
    for candidate in dict.fromkeys((relative, _RESIZED.sub("", relative))):
        path = (root / candidate).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def localize(
    html: str, uploads: Path | None, old_hosts: frozenset[str] = frozenset()
) -> tuple[str, LocalFiles]:
    """Rewrite upload links to ``{static}`` copies; drop pictures that cannot be found."""
    soup = BeautifulSoup(html, "html.parser")
    files = LocalFiles()
    for element in soup.find_all(["img", "a", "source"]):
        if element.parent is None and element is not soup:
            continue  # inside something already removed
        attribute = "href" if element.name == "a" else "src"
        for responsive in ("srcset", "sizes"):  # resized copies on the old host
            element.attrs.pop(responsive, None)
        relative = upload_path(str(element.get(attribute, "")), old_hosts)
        if relative is None:
            continue
        found = find_upload(uploads, relative)
        if found is None:
            files.missing.append(relative)
            _leave_out(element)
            continue
        # One copy per file: a resized name found as its original is the original.
        name = local_name(found.relative_to(Path(uploads).resolve()).as_posix())
        files.copies[name] = found
        element[attribute] = f"{{static}}/{name}"
    return str(soup), files


def localize_one(
    url: str, uploads: Path | None, files: LocalFiles, old_hosts: frozenset[str] = frozenset()
) -> str:
    """Return the content path of one upload URL (a featured image), or "" if not found."""
    relative = upload_path(url, old_hosts)
    if relative is None:
        return ""
    found = find_upload(uploads, relative)
    if found is None:
        files.missing.append(relative)
        return ""
    name = local_name(found.relative_to(Path(uploads).resolve()).as_posix())
    files.copies[name] = found
    return str(name)


def _leave_out(element) -> None:
    """Remove a missing picture (a link to a missing file keeps its words)."""
    if element.name == "a":
        element.unwrap()
        return
    figure = element.find_parent("figure")
    element.decompose()
    if figure is not None and figure.find("img") is None:
        caption = figure.find("figcaption")
        if caption is not None and caption.get_text(strip=True):
            caption.name = "p"  # the caption's words stay, as a paragraph
            figure.unwrap()
        else:
            figure.decompose()
