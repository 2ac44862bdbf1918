"""The one error every ``phoihop`` command raises for the user's mistakes, and the exit codes.

A handler returns its exit code; bad input (an unreadable file, a wrong school year, a database that
cannot be reached) raises ``CommandError`` with a Vietnamese message, which ``phoihop.cli.main``
prints on one line with ``EXIT_BAD_INPUT`` and no traceback.
"""

from __future__ import annotations

# ``phoihop lint`` found errors or warnings.
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
# Ctrl+C: the shell's convention, 128 + SIGINT.
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A user-facing failure: printed as one message, exit code 2, no traceback."""
