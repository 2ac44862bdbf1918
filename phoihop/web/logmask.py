"""Secrets that travel in addresses never reach a log file.

An iCalendar feed's address carries its token, the feed's only credential (``FeedToken``): a
phone's calendar app cannot sign in. Whoever reads the access log (an operator, a backup of
/var/log, a log shipper) must not be able to read the feeds, so the token is masked in every line
that gunicorn's access log and Django's loggers write.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

MASK = "***"
# ``…/feeds/<token>.ics`` wherever it appears: path, raw request line, referrer, ``webcal://``.
FEED_TOKEN = re.compile(r"(/feeds/)[^/?#\s\"']+(\.ics)", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    return FEED_TOKEN.sub(rf"\g<1>{MASK}\g<2>", text)


class MaskSecretsFilter(logging.Filter):
    """Rewrite a record's message with its secrets masked (the record then carries no arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class MaskedGunicornLogger(GunicornLogger):
    """gunicorn's logger with every text atom of the access log masked (``%(r)s``, ``%(U)s``,
    ``%(f)s`` and the request headers alike)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_secrets(v) if isinstance(v, str) else v for k, v in atoms.items()}
