"""Command line: ``python -m trilingual build|watch|serve -s SETTINGS -o OUTPUT``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from .logs import init_logging


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and build (or build, serve and watch) every language section."""
    parser = argparse.ArgumentParser(prog="python -m trilingual", description=__doc__)
    parser.add_argument("command", choices=["build", "watch", "serve"])
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default="output", type=Path)
    parser.add_argument("-p", "--port", default=8000, type=int)
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also Pelican's per-file lines"
    )
    parser.add_argument("--fatal", choices=["warnings", "errors"], default="")
    parser.add_argument(
        "--full", action="store_true", help="make every page again, even those that did not change"
    )
    parser.add_argument(
        "--offline-memory",
        action="store_true",
        help="load no engine: build from the committed translation memory alone",
    )
    args = parser.parse_args(argv)
    init_logging(
        level=logging.WARNING if args.quiet else logging.INFO,
        fatal=args.fatal,
        verbose=args.verbose,
    )
    # Imported here so that --help works without loading Pelican's machinery.
    from autotranslate.errors import StopBuild

    from .languages import ConfigError
    from .section_runs import SectionFailed
    from .sections import build_site
    from .watch import ServeError, build_and_watch, serve

    try:
        if args.command == "build":
            build_site(
                args.settings, args.output, full=args.full, offline_memory=args.offline_memory
            )
        elif args.command == "serve":
            serve(args.output.resolve(), args.port)
        else:
            build_and_watch(args.settings, args.output, args.port)
    except ServeError as error:
        parser.exit(1, f"error: {error}\n")
    except (StopBuild, ConfigError, SectionFailed) as error:
        # A setting, the environment or the content is at fault: say what, not where in us.
        parser.exit(1, f"error: {error}\n")


if __name__ == "__main__":
    main()
