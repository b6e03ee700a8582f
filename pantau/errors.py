"""Every error pantau reports to a user. One place, one shape.

CLI wrappers catch :class:`PantauError` and print ``pantau: <message>`` with
exit code ``exit_code``; nothing else should reach the user as a traceback.
"""

from __future__ import annotations


class PantauError(Exception):
    """Base class: a problem the user can act on."""

    exit_code = 1

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class InputError(PantauError):
    """Unusable input: empty, binary, unreadable, not an article, bad JSON."""

    exit_code = 2


class LanguageError(InputError):
    """The article is in a language pantau does not code."""


class UsageError(PantauError):
    """Bad command-line arguments or options."""

    exit_code = 2


class DataError(PantauError):
    """A packaged or user-supplied data file is malformed."""

    exit_code = 3
