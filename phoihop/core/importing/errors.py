"""The one exception the importer raises for input it cannot read.

The message is user-facing and already translated (Vietnamese by default): the CLI prints it and
exits with code 2, the web page shows it. Nothing is saved when it is raised.
"""

from __future__ import annotations


class ImportFailure(Exception):
    """A file could not be imported; ``str(exc)`` is the message to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
