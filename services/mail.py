"""Emails with a one-time link (an invitation or a password reset), in Indonesian and English, sent over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from typing import Literal

from services.settings import Settings, Smtp

Purpose = Literal["invite", "reset"]
TIMEOUT_SECONDS = 30

SUBJECT = {
    "invite": "Undangan ke Gapura / Invitation to Gapura",
    "reset": "Atur ulang kata sandi Gapura / Reset your Gapura password",
}
BODY = {
    "invite": (
        "Anda diundang ke Gapura. Buka tautan ini untuk membuat kata sandi dan masuk:\n{link}\n"
        "Tautan berlaku satu kali sampai {expires}.\n\n"
        "You are invited to Gapura. Open this link to set your password and sign in:\n{link}\n"
        "The link works once, until {expires}.\n"
    ),
    "reset": (
        "Seseorang meminta pengaturan ulang kata sandi Gapura Anda. Buka tautan ini untuk memilih kata sandi baru:\n"
        "{link}\nTautan berlaku satu kali sampai {expires}. Abaikan email ini jika Anda tidak memintanya.\n\n"
        "A reset of your Gapura password was requested. Open this link to choose a new password:\n{link}\n"
        "The link works once, until {expires}. Ignore this email if you did not ask for it.\n"
    ),
}


def link(base_url: str, purpose: Purpose, token: str) -> str:
    """The address a one-time link opens; relative when the app's public address is not configured."""
    return f"{base_url.rstrip('/')}/?{purpose}={token}"


def message(
    settings: Settings, to: str, purpose: Purpose, url: str, expires_at: datetime, note: str = ""
) -> EmailMessage:
    """The email of a one-time link; `note` (e.g. a campaign's message from the association) comes first."""
    if settings.smtp is None:
        raise ValueError("SMTP is not configured")
    mail = EmailMessage()
    mail["From"] = settings.smtp.sender
    mail["To"] = to
    mail["Subject"] = SUBJECT[purpose]
    body = BODY[purpose].format(link=url, expires=expires_at.strftime("%Y-%m-%d %H:%M UTC"))
    mail.set_content(f"{note.strip()}\n\n{body}" if note.strip() else body)
    return mail


def send(smtp: Smtp, mail: EmailMessage) -> None:
    send_many(smtp, [mail])


def send_many(smtp: Smtp, mails: list[EmailMessage]) -> None:
    """Over one connection, so a campaign's hundreds of invitations take seconds. Port 465 speaks TLS from the
    start; other ports upgrade with STARTTLS when configured."""
    context = ssl.create_default_context()
    if smtp.port == 465:
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
    with client:
        if smtp.starttls and smtp.port != 465:
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, smtp.password)
        for mail in mails:
            client.send_message(mail)
