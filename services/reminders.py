"""Campaign reminders by email: the scheduled ones (N days before the deadline, on the deadline) sent by the jobs
command, and those an officer asks for. Each is claimed in the database before it is sent, so it goes out once
whatever the number of runners; a failed send is taken over by a later run."""

from __future__ import annotations

import os
import smtplib
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

from scoring.campaign import due_reminder
from scoring.model import Standard, localize
from services import mail
from services.audit import Audit
from services.policy import Actor, ensure, guarded
from services.settings import Settings
from store.reminders import Reachable, ReminderRecords
from store.repository import Store

# A claim not marked sent after this long is a failed send or a runner that stopped: a later run takes it over. Far
# longer than one run takes, so a runner still sending is never doubled.
TAKE_OVER_AFTER = timedelta(minutes=10)
# Reminders claimed at once: a runner that stops leaves at most this many for the take-over.
CLAIM_BATCH = 50


def manual_kind(today: date) -> str:
    """An officer's reminder: at most one per member and day, however often the button is pressed."""
    return f"manual-{today.isoformat()}"


@dataclass(frozen=True)
class Delivery:
    """One reminder email: sent, or failed with its error (kept claimed, retried by a later run)."""

    campaign_id: int
    round_name: str
    organization_id: int
    organization: str
    kind: str
    email: str
    error: str | None = None


class Reminders:
    def __init__(self, store: Store, settings: Settings, standard: Callable[[str, str], Standard | None],
                 audit: Audit) -> None:  # fmt: skip
        self.records, self.settings, self.standard, self.audit = ReminderRecords(store), settings, standard, audit

    @guarded("campaign", "write")
    def run(self, actor: Actor, now: datetime) -> list[Delivery]:
        """Send every scheduled reminder due at `now` (UTC) and retry those that failed while still current; without
        SMTP configured, nothing is sent nor claimed."""
        ensure(actor, "write", "campaign")
        now, today = _utc(now), _utc(now).date()
        wanted, retry = [], []
        for member in self.records.reachable():
            due = due_reminder(member.remind_days, member.deadline, today, sent=set(member.claimed))
            if due is not None:
                wanted.append((member, due))
            retry += [(member, row.id) for kind, row in member.claimed.items()
                      if not row.sent and _still_current(member, kind, today)]  # fmt: skip
        return self._deliver(actor, "reminders.run", wanted, retry, now)

    @guarded("campaign", "write")
    def remind_now(self, actor: Actor, campaign_id: int, organization_ids: Iterable[int], now: datetime) -> int:
        """Remind these members of an open campaign now, once a day at most, skipping those withdrawn or submitted;
        how many emails went out."""
        ensure(actor, "write", "campaign")
        now, kind, chosen = _utc(now), manual_kind(_utc(now).date()), set(organization_ids)
        members = [m for m in self.records.reachable(campaign_id) if m.organization_id in chosen]
        wanted = [(m, kind) for m in members if kind not in m.claimed]
        retry = [(m, m.claimed[kind].id) for m in members if kind in m.claimed and not m.claimed[kind].sent]
        deliveries = self._deliver(actor, "reminders.remind-now", wanted, retry, now, campaign_id)
        return sum(d.error is None for d in deliveries)

    def _deliver(self, actor: Actor, action: str, wanted: list[tuple[Reachable, str]],
                 retry: list[tuple[Reachable, int]], now: datetime,
                 campaign_id: int | None = None) -> list[Delivery]:  # fmt: skip
        """Claim a batch, send it one by one, mark each sent or failed, then the next batch (claims stay close to
        their sending, and runners started together share the work); audited when anything was claimed."""
        smtp = self.settings.smtp
        if smtp is None:
            self.audit.record(actor.label, action, _target(campaign_id), {"sent": 0, "smtp": "not configured"})
            return []
        by = f"{actor.label}@{socket.gethostname()}:{os.getpid()}"[:100]
        members = {(m.campaign_id, m.organization_id): m for m, _ in wanted + retry}
        batches = [[(m.campaign_id, m.organization_id, kind, m.email) for m, kind in wanted[i : i + CLAIM_BATCH]]
                   for i in range(0, len(wanted), CLAIM_BATCH)]  # fmt: skip
        deliveries: list[Delivery] = []
        down = None  # the server's failure: nothing more is claimed, what is left waits for a later run
        titles: dict[tuple[str, str], dict[str, str]] = {}
        with mail.Outbox(smtp) as outbox:
            claims = self.records.take_over([i for _, i in retry], by, now, older_than=now - TAKE_OVER_AFTER)
            while down is None and (claims or batches):
                for claim in claims:
                    member = members[(claim.campaign_id, claim.organization_id)]
                    error = down
                    if error is None:
                        try:
                            outbox.send(self._email(member, now.date(), titles))
                        except smtplib.SMTPRecipientsRefused as refused:  # this address only
                            error = f"refused: {refused.recipients}"
                        except OSError as exc:  # connection, TLS, login, timeout: the server, for every member
                            error = down = f"not sent: {type(exc).__name__}: {exc}"
                    if error is None:
                        self.records.sent(claim.id, now)
                    else:
                        self.records.failed(claim.id, error)
                    deliveries.append(Delivery(member.campaign_id, member.round_name, member.organization_id,
                                               member.organization, claim.kind, member.email, error))  # fmt: skip
                claims = self.records.claim(batches.pop(0), by, now) if batches and down is None else []
        if deliveries:
            sent = sum(d.error is None for d in deliveries)
            self.audit.record(actor.label, action, _target(campaign_id),
                              {"sent": sent, "failed": len(deliveries) - sent, "at": now.isoformat()})  # fmt: skip
        return deliveries

    def _email(self, member: Reachable, today: date, titles: dict[tuple[str, str], dict[str, str]]) -> EmailMessage:
        """The member's reminder; the standard's title in each language is looked up once a run (`titles`)."""
        key = (member.standard_id, member.standard_version)
        if key not in titles:
            standard = self.standard(*key)
            titles[key] = {lang: localize(standard.title, lang) if standard else key[0] for lang in ("id", "en")}
        messages = {"id": member.message_id, "en": member.message_en}
        return mail.reminder(self.settings, member.email, member.round_name, titles[key], messages, member.deadline,
                             today)  # fmt: skip


def _still_current(member: Reachable, kind: str, today: date) -> bool:
    """A failed reminder is retried while it is the one due: a scheduled one until the next is due (or the
    deadline's grace ends), an officer's on its day."""
    if kind.startswith("manual-"):
        return kind == manual_kind(today)
    return due_reminder(member.remind_days, member.deadline, today, sent=set(member.claimed) - {kind}) == kind


def _target(campaign_id: int | None) -> str:
    return f"campaign:{campaign_id}" if campaign_id else ""


def _utc(now: datetime) -> datetime:
    """A naive time is taken as UTC, like the command line's --now."""
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
