"""The ``pantau`` command: thin wrappers over library functions.

Each command lives in :mod:`pantau.commands`. Every failure a user can cause
ends as one line ``pantau: <message>`` on stderr and a non-zero exit code,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from pantau import __version__
from pantau.commands import COMMANDS
from pantau.errors import PantauError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pantau", description="Code news into PLOVER event records and watch for escalation."
    )
    parser.add_argument("--version", action="version", version=f"pantau {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except PantauError as exc:
        print(f"pantau: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pantau: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line; PANTAU_DEBUG=1 shows the traceback
        if os.environ.get("PANTAU_DEBUG"):
            raise
        print(
            f"pantau: internal error: {type(exc).__name__}: {exc} (set PANTAU_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
