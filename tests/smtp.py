"""A real SMTP server on loopback (aiosmtpd) for tests that send mail."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [
            (env.rcpt_tos, email.message_from_bytes(env.content, policy=email.policy.default))
            for env in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Phối hợp <phoihop@truong.test>"
    settings.PHOIHOP_BASE_URL = "https://phoihop.truong.test"
    yield sink
    controller.stop()
