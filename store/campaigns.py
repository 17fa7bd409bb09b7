"""Campaigns: the association's round across its members (one standard version, a deadline), who was invited with
which contact, and where each member stands, read in a bounded number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from store import schema
from store.db import as_utc, utcnow
from store.repository import Store, name_key

CAMPAIGN, MEMBER = schema.Campaign, schema.CampaignMember


class Taken(RuntimeError):
    """The round name, or the name of a company to create, was stored by someone else a moment ago."""


@dataclass(frozen=True)
class CampaignRecord:
    id: int
    standard_id: str
    standard_version: str
    round_name: str
    deadline: date
    remind_days: tuple[int, ...]
    message_id: str
    message_en: str
    sample_size: int
    reply_days: int
    created_by: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class NewInvitation:
    """A first member's single-use link, stored with its campaign: only the token's hash."""

    token_hash: str
    expires_at: datetime
    created_by: str


@dataclass(frozen=True)
class NewMember:
    """An organization to invite: an existing one (organization_id) or a company created with the campaign (name)."""

    email: str
    organization_id: int | None = None
    name: str = ""
    invitation: NewInvitation | None = None


@dataclass(frozen=True)
class MemberProgress:
    """Where one invited organization stands in a campaign, as stored."""

    organization_id: int
    organization: str
    email: str
    signed_up: bool  # somebody belongs to the organization
    status: str | None  # its campaign assessment: draft, submitted, verified; None before it started
    assessment_id: int | None
    submitted_at: datetime | None
    last_activity: datetime | None
    invited_at: datetime
    withdrawn: bool


@dataclass(frozen=True)
class OpenCampaign:
    """A campaign an organization is invited to and has not left, with its own progress only."""

    campaign: CampaignRecord
    organization_id: int
    status: str | None


def _record(row: schema.Campaign) -> CampaignRecord:
    return CampaignRecord(
        id=row.id, standard_id=row.standard_id, standard_version=row.standard_version, round_name=row.round_name,
        deadline=row.deadline, remind_days=tuple(int(d) for d in row.remind_days or ()), message_id=row.message_id,
        message_en=row.message_en, sample_size=row.sample_size, reply_days=row.reply_days, created_by=row.created_by,
        created_at=as_utc(row.created_at), closed_at=None if row.closed_at is None else as_utc(row.closed_at),
    )  # fmt: skip


def _when(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


class CampaignRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def round_taken(self, round_name: str) -> bool:
        key = round_name.casefold()
        with self.store.session() as s:
            return any(name.casefold() == key for name in s.scalars(select(CAMPAIGN.round_name)))

    def existing_organizations(self, names: Iterable[str]) -> dict[str, int]:
        """The ids of the organizations stored under these names (by their name key), in one query."""
        keys = sorted({name_key(n) for n in names})
        if not keys:
            return {}
        query = select(schema.Organization.name_key, schema.Organization.id).where(
            schema.Organization.name_key.in_(keys)
        )
        with self.store.session() as s:
            return dict(s.execute(query).all())

    def organizations(self, organization_ids: Iterable[int]) -> dict[int, tuple[str, str, str | None]]:
        """(name, kind, the first member's email or None) of these organizations, in one query."""
        ids = sorted(set(organization_ids))
        if not ids:
            return {}
        o, m, u = schema.Organization, schema.Membership, schema.User
        query = (
            select(o.id, o.name, o.kind, u.email)
            .outerjoin(m, m.organization_id == o.id)
            .outerjoin(u, u.id == m.user_id)
            .where(o.id.in_(ids))
            .order_by(o.id, m.created_at.desc(), u.id.desc())
        )
        with self.store.session() as s:
            return {r.id: (r.name, r.kind, r.email) for r in s.execute(query)}  # the earliest member wins

    def create(self, campaign: dict[str, Any], members: list[NewMember]) -> tuple[int, dict[str, int]]:
        """The campaign, its new companies, their first members' invitations and every member row, in one
        transaction: nothing is stored if anything fails (Taken: a name stored by someone else meanwhile). Its id, and
        the organization id of each member's email."""
        try:
            return self._create(campaign, members)
        except IntegrityError as exc:
            raise Taken() from exc

    def _create(self, campaign: dict[str, Any], members: list[NewMember]) -> tuple[int, dict[str, int]]:
        now = utcnow()
        with self.store.session.begin() as s:
            row = schema.Campaign(**campaign, created_at=now)
            s.add(row)
            new = [schema.Organization(name=m.name, name_key=name_key(m.name), kind="company", segments=[],
                                       created_at=now, updated_at=now)
                   for m in members if m.organization_id is None]  # fmt: skip
            s.add_all(new)
            s.flush()
            made = iter(new)
            organization_ids = [m.organization_id if m.organization_id is not None else next(made).id for m in members]
            invitations = {
                i: schema.Invitation(
                    token_hash=m.invitation.token_hash, purpose="invite", email=m.email, organization_id=org,
                    created_by=m.invitation.created_by[:100], created_at=now, expires_at=m.invitation.expires_at,
                    first_member=True,
                )
                for i, (m, org) in enumerate(zip(members, organization_ids, strict=True)) if m.invitation
            }  # fmt: skip
            s.add_all(invitations.values())
            s.flush()
            s.add_all(
                schema.CampaignMember(campaign_id=row.id, organization_id=org, email=m.email, invited_at=now,
                                      invitation_id=invitations[i].id if i in invitations else None)
                for i, (m, org) in enumerate(zip(members, organization_ids, strict=True))
            )  # fmt: skip
            return row.id, {m.email: org for m, org in zip(members, organization_ids, strict=True)}

    def campaigns(self) -> list[CampaignRecord]:
        """Every campaign, the latest deadline first."""
        with self.store.session() as s:
            return [_record(r) for r in s.scalars(select(CAMPAIGN).order_by(CAMPAIGN.deadline.desc(), CAMPAIGN.id))]

    def campaign(self, campaign_id: int) -> CampaignRecord | None:
        with self.store.session() as s:
            row = s.get(CAMPAIGN, campaign_id)
            return None if row is None else _record(row)

    def progress(self, campaign_id: int) -> list[MemberProgress]:
        """Every invited organization of the campaign with its campaign assessment's progress, by name, in two
        queries whatever the number of members."""
        o, m, a, v = schema.Organization, MEMBER, schema.Assessment, schema.Verification
        member = exists().where(schema.Membership.organization_id == m.organization_id)
        invited = (
            select(m.organization_id, o.name, m.email, member.label("signed_up"), m.invited_at, m.withdrawn_at)
            .join(o, o.id == m.organization_id)
            .where(m.campaign_id == campaign_id)
            .order_by(o.name_key)
        )
        answered = (
            select(a.organization_id, a.id, a.status, a.submitted_at, a.updated_at, v.status.label("verification"))
            .outerjoin(v, v.assessment_id == a.id)
            .where(a.campaign_id == campaign_id)
            .order_by(a.id)
        )
        with self.store.session() as s:
            rows = s.execute(invited).all()
            latest = {r.organization_id: r for r in s.execute(answered)}  # the latest assessment wins
        out = []
        for r in rows:
            work = latest.get(r.organization_id)
            status = None if work is None else ("verified" if work.verification == "verified" else work.status)
            out.append(MemberProgress(
                organization_id=r.organization_id, organization=r.name, email=r.email, signed_up=bool(r.signed_up),
                status=status, assessment_id=None if work is None else work.id,
                submitted_at=None if work is None else _when(work.submitted_at),
                last_activity=None if work is None else _when(work.updated_at), invited_at=as_utc(r.invited_at),
                withdrawn=r.withdrawn_at is not None,
            ))  # fmt: skip
        return out

    def withdraw(self, campaign_id: int, organization_id: int) -> bool:
        """The member leaves the campaign (no more reminders); False when it was not in it or had left already."""
        with self.store.session.begin() as s:
            done = s.execute(
                update(MEMBER)
                .where(MEMBER.campaign_id == campaign_id, MEMBER.organization_id == organization_id,
                       MEMBER.withdrawn_at.is_(None))
                .values(withdrawn_at=utcnow())
            )  # fmt: skip
            return done.rowcount == 1

    def open_for(self, organization_ids: Iterable[int]) -> list[OpenCampaign]:
        """The open campaigns these organizations are invited to and have not left, the nearest deadline first, each
        with the organization's campaign assessment status (verified when verified), in two queries."""
        ids = sorted(set(organization_ids))
        if not ids:
            return []
        a, v = schema.Assessment, schema.Verification
        query = (
            select(CAMPAIGN, MEMBER.organization_id)
            .join(MEMBER, MEMBER.campaign_id == CAMPAIGN.id)
            .where(MEMBER.organization_id.in_(ids), MEMBER.withdrawn_at.is_(None), CAMPAIGN.closed_at.is_(None))
            .order_by(CAMPAIGN.deadline, CAMPAIGN.id, MEMBER.organization_id)
        )
        with self.store.session() as s:
            rows = s.execute(query).all()
            campaign_ids = sorted({c.id for c, _ in rows})
            found = s.execute(
                select(a.campaign_id, a.organization_id, a.status, v.status.label("verification"))
                .outerjoin(v, v.assessment_id == a.id)
                .where(a.campaign_id.in_(campaign_ids), a.organization_id.in_(ids))
                .order_by(a.id)
            ).all()  # fmt: skip
            records = [(_record(c), org) for c, org in rows]
        status = {(r.campaign_id, r.organization_id): "verified" if r.verification == "verified" else r.status
                  for r in found}  # fmt: skip
        return [OpenCampaign(c, org, status.get((c.id, org))) for c, org in records]

    def round_names(self, assessment_ids: Iterable[int] | None, organization_id: int | None) -> dict[int, str]:
        """The campaign round each of these assessments (None: every one) of the organization (None: of any) answers;
        those of no campaign are left out. One query."""
        a = schema.Assessment
        query = select(a.id, CAMPAIGN.round_name).join(CAMPAIGN, CAMPAIGN.id == a.campaign_id)
        if assessment_ids is not None:
            ids = sorted(set(assessment_ids))
            if not ids:
                return {}
            query = query.where(a.id.in_(ids))
        if organization_id is not None:
            query = query.where(a.organization_id == organization_id)
        with self.store.session() as s:
            return dict(s.execute(query).all())
