"""Reminders of campaigns: who may still be reminded, and the claim written under a unique key before an email goes
out, so two job runners (replicas, cron beside a person's click) never send the same reminder twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update

from scoring.campaign import stage
from store import schema
from store.repository import Store

CAMPAIGN, MEMBER, REMINDER = schema.Campaign, schema.CampaignMember, schema.Reminder


@dataclass(frozen=True)
class Claimed:
    """A reminder row of a member: whether its email went out (a claim without sent_at failed or was cut short)."""

    id: int
    sent: bool


@dataclass(frozen=True)
class Reachable:
    """A member of an open campaign, not withdrawn and not yet submitted, with the reminders claimed for it."""

    campaign_id: int
    round_name: str
    standard_id: str
    standard_version: str
    deadline: date
    remind_days: tuple[int, ...]
    message_id: str
    message_en: str
    organization_id: int
    organization: str
    email: str
    claimed: dict[str, Claimed] = field(default_factory=dict)  # by kind


@dataclass(frozen=True)
class Claim:
    """A reminder this runner holds: it sends the email, then marks it sent or failed."""

    id: int
    campaign_id: int
    organization_id: int
    kind: str


class ReminderRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def reachable(self, campaign_id: int | None = None) -> list[Reachable]:
        """Every member still to remind (of one campaign, or of every open one): three queries, whatever the count."""
        open_campaign = [CAMPAIGN.closed_at.is_(None)] + (
            [CAMPAIGN.id == campaign_id] if campaign_id is not None else []
        )
        members = (
            select(CAMPAIGN, MEMBER.organization_id, MEMBER.email, schema.Organization.name)
            .join(MEMBER, MEMBER.campaign_id == CAMPAIGN.id)
            .join(schema.Organization, schema.Organization.id == MEMBER.organization_id)
            .where(*open_campaign, MEMBER.withdrawn_at.is_(None))
            .order_by(CAMPAIGN.id, schema.Organization.name)
        )
        a = schema.Assessment
        statuses = select(a.campaign_id, a.organization_id, a.status).join(CAMPAIGN, CAMPAIGN.id == a.campaign_id)
        claims = select(REMINDER).join(CAMPAIGN, CAMPAIGN.id == REMINDER.campaign_id)
        with self.store.session() as s:
            rows = s.execute(members).all()
            done = {(c, o) for c, o, status in s.execute(statuses.where(*open_campaign))
                    if stage(True, status) in ("submitted", "verified")}  # fmt: skip
            claimed: dict[tuple[int, int], dict[str, Claimed]] = {}
            for r in s.scalars(claims.where(*open_campaign)):
                claimed.setdefault((r.campaign_id, r.organization_id), {})[r.kind] = Claimed(
                    r.id, r.sent_at is not None
                )
        return [
            Reachable(c.id, c.round_name, c.standard_id, c.standard_version, c.deadline,
                      tuple(int(d) for d in c.remind_days or ()), c.message_id or "", c.message_en or "",
                      organization_id, name, email, claimed.get((c.id, organization_id), {}))
            for c, organization_id, email, name in rows
            if (c.id, organization_id) not in done
        ]  # fmt: skip

    def claim(self, wanted: Iterable[tuple[int, int, str, str]], by: str, now: datetime) -> list[Claim]:
        """Claim these reminders (campaign, organization, kind, email) in one statement; those another runner
        claimed first are left out (INSERT ... ON CONFLICT DO NOTHING on the unique key)."""
        rows = [{"campaign_id": c, "organization_id": o, "kind": k, "email": e, "claimed_by": by, "claimed_at": now}
                for c, o, k, e in wanted]  # fmt: skip
        if not rows:
            return []
        statement = (
            self.store.insert(REMINDER)
            .on_conflict_do_nothing(index_elements=["campaign_id", "organization_id", "kind"])
            .returning(REMINDER.id, REMINDER.campaign_id, REMINDER.organization_id, REMINDER.kind)
        )
        with self.store.session.begin() as s:
            return [Claim(*row) for row in s.execute(statement, rows)]

    def take_over(self, ids: Iterable[int], by: str, now: datetime, older_than: datetime) -> list[Claim]:
        """Claim again the unsent reminders among `ids` claimed before `older_than` (a failed send, or a runner that
        stopped between claim and send); a runner holding one more recently keeps it."""
        ids = list(ids)
        if not ids:
            return []
        statement = (
            update(REMINDER)
            .where(REMINDER.id.in_(ids), REMINDER.sent_at.is_(None), REMINDER.claimed_at < older_than)
            .values(claimed_by=by, claimed_at=now)
            .returning(REMINDER.id, REMINDER.campaign_id, REMINDER.organization_id, REMINDER.kind)
        )
        with self.store.session.begin() as s:
            return [Claim(*row) for row in s.execute(statement)]

    def sent(self, claim_id: int, at: datetime) -> None:
        with self.store.session.begin() as s:
            s.execute(update(REMINDER).where(REMINDER.id == claim_id).values(sent_at=at, error=None))

    def failed(self, claim_id: int, error: str) -> None:
        """The reminder stays claimed with the error, for a later run to take over."""
        with self.store.session.begin() as s:
            s.execute(update(REMINDER).where(REMINDER.id == claim_id).values(error=error[:1000]))
