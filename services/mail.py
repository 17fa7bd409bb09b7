"""Emails in Indonesian and English, sent over SMTP: a one-time link (an invitation or a password reset), and a
campaign's reminder."""

from __future__ import annotations

import smtplib
import ssl
from datetime import date, datetime
from email.message import EmailMessage
from typing import Literal

from scoring import formatting
from scoring.model import plain_text
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


def message(settings: Settings, to: str, purpose: Purpose, url: str, expires_at: datetime) -> EmailMessage:
    if settings.smtp is None:
        raise ValueError("SMTP is not configured")
    mail = EmailMessage()
    mail["From"] = settings.smtp.sender
    mail["To"] = to
    mail["Subject"] = SUBJECT[purpose]
    mail.set_content(BODY[purpose].format(link=url, expires=expires_at.strftime("%Y-%m-%d %H:%M UTC")))
    return mail


def connect(smtp: Smtp) -> smtplib.SMTP:
    """A client ready to send: port 465 speaks TLS from the start; other ports upgrade with STARTTLS when
    configured."""
    context = ssl.create_default_context()
    if smtp.port == 465:
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
    try:
        if smtp.starttls and smtp.port != 465:
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, smtp.password)
    except BaseException:
        client.close()
        raise
    return client


def send(smtp: Smtp, mail: EmailMessage) -> None:
    with connect(smtp) as client:
        client.send_message(mail)


class Outbox:
    """Many emails over few connections (a TLS handshake each costs more than the email): a new one every
    PER_CONNECTION messages, since servers cap how many a connection may carry."""

    PER_CONNECTION = 50

    def __init__(self, smtp: Smtp) -> None:
        self.smtp, self.client, self.count = smtp, None, 0

    def send(self, mail: EmailMessage) -> None:
        if self.client is None or self.count >= self.PER_CONNECTION:
            self.close()
            self.client, self.count = connect(self.smtp), 0
        self.client.send_message(mail)
        self.count += 1

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except OSError:  # gone already: nothing left to close politely
                self.client.close()
            self.client = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


REMINDER_SUBJECT = (
    "Pengingat Gapura: {round_id}, tenggat {deadline_id} / Gapura reminder: {round_en}, due {deadline_en}"
)
REMINDER_BODY = (
    "{message_id}\n\n"
    "Putaran: {round_id}\nStandar: {title_id}\nTenggat: {deadline_id} ({left_id})\n"
    "Isi dan kirim penilaian Anda di Gapura: {link}\n\n"
    "---\n\n"
    "{message_en}\n\n"
    "Round: {round_en}\nStandard: {title_en}\nDeadline: {deadline_en} ({left_en})\n"
    "Complete and submit your assessment in Gapura: {link}\n"
)
# When the officer wrote no message in a language.
DEFAULT_REMINDER = {
    "id": "Asosiasi mengingatkan: mohon lengkapi penilaian mandiri perusahaan Anda sebelum tenggat.",
    "en": "A reminder from the association: please complete your company's self-assessment before the deadline.",
}


def days_left(days: int, lang: str) -> str:
    """How far the deadline is, in words: days left, today, or days since it passed."""
    if days == 0:
        return {"id": "hari ini", "en": "today"}[lang]
    shown = formatting.number(abs(days), lang)
    plural = "s" if abs(days) != 1 else ""
    if days > 0:
        return {"id": f"{shown} hari lagi", "en": f"{shown} day{plural} left"}[lang]
    return {"id": f"sudah lewat {shown} hari", "en": f"passed {shown} day{plural} ago"}[lang]


def reminder(settings: Settings, to: str, round_name: str, titles: dict[str, str], messages: dict[str, str],
             deadline: date, today: date) -> EmailMessage:  # fmt: skip
    """A campaign's reminder, Indonesian first: the campaign's own message in each language, its round, standard,
    deadline and days left, and the app's address."""
    if settings.smtp is None:
        raise ValueError("SMTP is not configured")
    one_line = " ".join(plain_text(round_name).split())  # a header never carries a line break
    fields = {"round_id": one_line, "round_en": one_line, "link": f"{settings.base_url.rstrip('/')}/"}
    for lang in ("id", "en"):
        fields |= {f"message_{lang}": plain_text(messages[lang]).strip() or DEFAULT_REMINDER[lang],
                   f"title_{lang}": " ".join(plain_text(titles[lang]).split()),
                   f"deadline_{lang}": formatting.day(deadline, lang),
                   f"left_{lang}": days_left((deadline - today).days, lang)}  # fmt: skip
    mail = EmailMessage()
    mail["From"] = settings.smtp.sender
    mail["To"] = to
    mail["Subject"] = REMINDER_SUBJECT.format(**fields)
    mail.set_content(REMINDER_BODY.format(**fields))
    return mail
