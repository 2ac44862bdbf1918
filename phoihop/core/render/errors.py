"""Errors raised while rendering a document."""

from __future__ import annotations


class RenderError(Exception):
    """A document cannot be rendered; the message (translated) says why and what to install or fix."""
