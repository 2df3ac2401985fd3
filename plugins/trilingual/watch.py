"""Serve the built site and rebuild every section when content, theme or settings change."""

from __future__ import annotations

import errno
import functools
import logging
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.settings import read_settings
from pelican.utils import wait_for_changes

from .sections import build_site

logger = logging.getLogger(__name__)


class ServeError(Exception):
    """The site cannot be served (port taken, nothing built); the message says what to do."""


def open_server(output: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Bind an HTTP server for ``output`` on ``host:port`` (raise ServeError if taken)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
    if not 0 <= port <= 65535:
        raise ServeError(f"port {port} does not exist; choose one from 1024 to 65535 with --port")
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        reason = "is already in use" if error.errno == errno.EADDRINUSE else "is not allowed"
        raise ServeError(
            f"port {port} on {host} {reason} (another server running?); "
            f"choose another one with --port (e.g. --port {port + 1})"
        ) from error


def start_server(output: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Serve ``output`` over HTTP from a daemon thread and return the server."""
    server = open_server(output, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(output: Path, port: int = 8000) -> None:
    """Serve ``output`` at http://127.0.0.1:PORT until interrupted (no rebuild)."""
    if not (output / "index.html").is_file():
        raise ServeError(f"{output} holds no built site; run `invoke build` first")
    server = open_server(output, port=port)
    port = server.server_address[1]  # --port 0 lets the system choose
    logger.info("Serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)", output, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


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
