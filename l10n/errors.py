"""One exception tree for everything a user can get wrong or run into.

Library code raises these with a one-line message that names the file (and line)
and the fix; the command line maps ``L10nError`` to that message and an exit
status, so no traceback reaches a user.
"""

from __future__ import annotations


class L10nError(Exception):
    """Base of every error l10n reports to a user; ``str()`` is the whole message."""

    exit_code = 1


class UsageError(L10nError):
    """A command or option used wrongly (exit status 2, like click's own usage errors)."""

    exit_code = 2
