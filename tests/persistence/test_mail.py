"""One-time links by email, through a real SMTP server on this machine (aiosmtpd)."""

from __future__ import annotations

import email
import re
import socket
from dataclasses import replace
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from services.accounts import Accounts
from services.settings import Smtp


class Collect:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_an_emailed_invitation_arrives_with_a_link_that_accepts(gapura, smtp_server):
    controller, inbox = smtp_server
    smtp = Smtp(host=controller.hostname, port=controller.port, sender="gapura@asosiasi.example", starttls=False)
    settings = replace(gapura.settings, smtp=smtp, base_url="https://gapura.example/")
    accounts = Accounts(gapura.store, settings, gapura.audit)
    admin = accounts.first_run("admin@example.org", "admin password", "")

    link = accounts.invite(admin, "Officer@Example.org", role="officer")
    assert link.sent
    (message,) = inbox.messages
    assert message["To"] == "officer@example.org" and message["From"] == "gapura@asosiasi.example"
    body = message.get_content()
    assert "Anda diundang" in body and "You are invited" in body
    (token,) = set(re.findall(r"https://gapura\.example/\?invite=([\w-]+)", body))
    assert token == link.token
    signed = accounts.accept_invitation(token, "officer password")
    assert signed.actor.email == "officer@example.org" and signed.actor.roles == {"officer"}

    reset = accounts.reset_link(admin, signed.actor.user_id)
    assert reset.sent and f"https://gapura.example/?reset={reset.token}" in inbox.messages[1].get_content()


def test_an_unreachable_server_leaves_the_link_to_copy(gapura):
    smtp = Smtp(host="127.0.0.1", port=free_port(), starttls=False)  # nothing listens there
    accounts = Accounts(gapura.store, replace(gapura.settings, smtp=smtp), gapura.audit)
    admin = accounts.first_run("admin@example.org", "admin password", "")
    link = accounts.invite(admin, "officer@example.org", role="officer")
    assert not link.sent and link.url == f"/?invite={link.token}"
    assert accounts.accept_invitation(link.token, "officer password").actor.roles == {"officer"}
