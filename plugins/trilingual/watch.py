"""Serve the built site and rebuild every section when content, theme or settings change."""

from __future__ import annotations

import functools
import logging
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.settings import read_settings
from pelican.utils import wait_for_changes

from .sections import build_site

logger = logging.getLogger(__name__)


def start_server(output: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Serve ``output`` over HTTP from a daemon thread and return the server."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_and_watch(settings_file: str, output: Path, port: int = 8000) -> None:
    """Build, serve on ``port``, and rebuild on each change until interrupted."""
    server = start_server(output, port=port)
    logger.info("Serving %s at http://127.0.0.1:%d/", output, server.server_address[1])
    try:
        while True:
            try:
                build_site(settings_file, output)
            except Exception:
                # A broken article or template must not end the session: the
                # author fixes it and the next change triggers a rebuild.
                logger.exception("Build failed; waiting for the next change")
            changes = wait_for_changes(settings_file, read_settings(settings_file))
            logger.info("Changed: %s", ", ".join(sorted(path for _, path in changes)))
    finally:
        server.shutdown()
