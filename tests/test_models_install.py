"""`invoke models`: install Argos packages from a folder or a package index, then list them."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import threading
import zipfile
from pathlib import Path

import pytest
from invoke import Context, Exit

import tasks
from autotranslate import packages
from autotranslate.config import ArgosSettings
from autotranslate.engines.argos import ArgosEngine


@pytest.fixture
def packages_dir() -> Path:
    return Path(os.environ["ARGOS_PACKAGES_DIR"])


@pytest.fixture
def package_folder(tiny_argos_packages, tmp_path) -> Path:
    """A folder of .argosmodel files, as a user would copy to an offline machine."""
    folder = tmp_path / "models"
    folder.mkdir()
    for archive in tiny_argos_packages.values():
        (folder / archive.name).write_bytes(archive.read_bytes())
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, format, *args):
        self.requests.append(self.path)


@pytest.fixture
def index_server(tiny_argos_packages, tmp_path):
    """Serve an Argos-style index.json and the tiny packages on 127.0.0.1; yield (url, log)."""
    root = tmp_path / "www"
    root.mkdir()
    log: list[str] = []
    handler = functools.partial(
        type("Handler", (_QuietHandler,), {"requests": log}), directory=str(root)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index = []
    for (source, target), archive in tiny_argos_packages.items():
        (root / archive.name).write_bytes(archive.read_bytes())
        index.append(
            {
                "from_code": source,
                "to_code": target,
                "package_version": "1.0",
                "argos_version": "1.11",
                "type": "translate",
                "links": [f"{base}/{archive.name}"],
            }
        )
    # An older package for the same direction must not be chosen.
    index.append({**index[0], "package_version": "0.9", "links": [f"{base}/missing.argosmodel"]})
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"{base}/index.json", log
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_from_folder_installs_and_lists(package_folder, packages_dir, capsys):
    tasks.models(Context(), from_=str(package_folder))
    listing = capsys.readouterr().out
    assert "ar→en" in listing and "translate-ar_en" in listing
    assert "en→fr" in listing and str(packages_dir / "translate-en_fr-1_0") in listing
    found = packages.installed_packages(packages_dir)
    assert [(p.from_code, p.to_code, p.version, p.problem) for p in found] == [
        ("ar", "en", "1.0", ""),
        ("en", "fr", "1.0", ""),
    ]
    # Nothing half-installed is left behind.
    assert sorted(p.name for p in packages_dir.iterdir()) == [
        "translate-ar_en-1_0",
        "translate-en_fr-1_0",
    ]


def test_from_folder_missing_direction_is_named(package_folder, packages_dir):
    (package_folder / "translate-en_fr-1_0.argosmodel").unlink()
    with pytest.raises(Exit) as caught:
        tasks.models(Context(), from_=str(package_folder))
    assert "en→fr" in str(caught.value.message)


def test_corrupt_archive_is_refused_with_its_path(package_folder, packages_dir):
    archive = package_folder / "translate-ar_en-1_0.argosmodel"
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # damage compressed data, keep the zip directory
    archive.write_bytes(bytes(data))
    with pytest.raises(packages.PackageError) as caught:
        packages.install_from_folder(package_folder, packages_dir=packages_dir)
    assert str(archive) in str(caught.value)
    assert not packages_dir.exists() or not any(packages_dir.iterdir())


def test_archive_with_two_top_folders_is_refused(tmp_path):
    archive = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(archive, "w") as zipf:
        zipf.writestr("a/metadata.json", "{}")
        zipf.writestr("b/metadata.json", "{}")
    with pytest.raises(packages.PackageError, match="exactly one folder"):
        packages.inspect_archive(archive)


def test_reinstall_repairs_a_broken_package(package_folder, packages_dir):
    packages.install_from_folder(package_folder, packages_dir=packages_dir)
    (packages_dir / "translate-ar_en-1_0" / "model" / "model.bin").unlink()
    packages.install_from_folder(package_folder, packages_dir=packages_dir)
    assert not packages.find_package("ar", "en", packages_dir).problem


def test_download_installs_packages_the_engine_can_use(index_server, packages_dir, capsys):
    url, log = index_server
    tasks.models(Context(), index=url)
    assert "translate-en_fr" in capsys.readouterr().out
    assert sorted(log) == [
        "/index.json",
        "/translate-ar_en-1_0.argosmodel",
        "/translate-en_fr-1_0.argosmodel",
    ]
    downloads = packages.default_downloads_dir()
    assert sorted(p.name for p in downloads.iterdir()) == [
        "translate-ar_en-1_0.argosmodel",
        "translate-en_fr-1_0.argosmodel",
    ]
    engine = ArgosEngine(ArgosSettings(intra_threads=1))
    (english,) = engine.translate(["افتتحت صباح اليوم الدورة الثانية في فاس."], "ar", "en")
    (french,) = engine.translate([english.text], "en", "fr")
    assert english.text and french.text
    assert engine.provenance("ar", "en").label() == "argos translate-ar_en 1.0"


def test_up_to_date_packages_are_not_downloaded_again(index_server, packages_dir):
    url, log = index_server
    packages.install_from_index(index_url=url, packages_dir=packages_dir)
    log.clear()
    assert packages.install_from_index(index_url=url, packages_dir=packages_dir) == []
    assert log == ["/index.json"]


def test_index_versions_name_the_newest_package_of_each_direction(index_server, capsys):
    """What CI puts in its model cache key: a new package in the index changes it."""
    url, log = index_server
    tasks.models(Context(), index=url, index_versions=True)
    assert capsys.readouterr().out.strip() == "ar-en-1.0_en-fr-1.0"
    assert log == ["/index.json"]  # nothing downloaded


def test_index_comes_from_the_environment(index_server, packages_dir, monkeypatch):
    url, _ = index_server
    # Argos's variable names the folder that holds index.json.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url.removesuffix("index.json"))
    assert packages.resolve_index_url() == url
    assert len(packages.install_from_index(packages_dir=packages_dir)) == 2


def test_unreachable_index_says_to_use_from(packages_dir):
    url = f"http://127.0.0.1:{free_port()}/index.json"
    with pytest.raises(Exit) as caught:
        tasks.models(Context(), index=url)
    message = str(caught.value.message)
    assert url in message and "--from DIR" in message


def test_list_only_shows_installed_packages(package_folder, packages_dir, capsys):
    tasks.models(Context(), list_only=True)
    assert "No Argos packages installed" in capsys.readouterr().out
    packages.install_from_folder(package_folder, packages_dir=packages_dir)
    tasks.models(Context(), list_only=True)
    assert "translate-ar_en" in capsys.readouterr().out


def test_default_index_is_argos_own(monkeypatch):
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    from argostranslate import settings

    assert packages.resolve_index_url() == settings.remote_package_index


def test_module_entry_point_lists(package_folder, packages_dir, capsys):
    assert packages.main(["--from", str(package_folder)]) == 0
    assert "translate-en_fr" in capsys.readouterr().out
    assert packages.main(["--directions", "ar"]) == 1
