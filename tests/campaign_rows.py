"""Campaigns written as rows, for tests that need one before the campaign service exists beside them: organizations
through the store, the campaign and its members, and optionally each member's campaign assessment."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import update

from store import schema
from store.db import utcnow
from store.repository import Store, panel_changed


def campaign(store: Store, round_name: str, deadline: date, remind_days: list[int], members: list[str], *,
             standard: tuple[str, str] = ("mini", "1"), message_id: str = "", message_en: str = "",
             closed_at: datetime | None = None) -> tuple[int, dict[str, int]]:  # fmt: skip
    """A campaign and its members (company names, each with contact <slug>@anggota.test): its id, and the
    organization id of each name."""
    now = utcnow()
    organizations = {name: store.ensure_organization({"name": name}) for name in members}
    with store.session.begin() as s:
        row = schema.Campaign(standard_id=standard[0], standard_version=standard[1], round_name=round_name,
                              deadline=deadline, remind_days=remind_days, message_id=message_id,
                              message_en=message_en, created_by="tests", created_at=now, closed_at=closed_at)  # fmt: skip
        s.add(row)
        s.flush()
        s.add_all(schema.CampaignMember(campaign_id=row.id, organization_id=oid, email=contact(name), invited_at=now)
                  for name, oid in organizations.items())  # fmt: skip
        return row.id, organizations


def contact(name: str) -> str:
    return "-".join(name.casefold().split()) + "@anggota.test"


def assessment(store: Store, campaign_id: int, organization_id: int, status: str = "draft") -> int:
    """The member's assessment of the campaign, in `status` (draft, submitted, verified)."""
    now = utcnow()
    with store.session.begin() as s:
        c = s.get(schema.Campaign, campaign_id)
        row = schema.Assessment(organization_id=organization_id, standard_id=c.standard_id,
                                standard_version=c.standard_version, round=campaign_id, status=status,
                                token=secrets.token_urlsafe(32), created_at=now, updated_at=now,
                                submitted_at=now if status != "draft" else None, campaign_id=campaign_id)  # fmt: skip
        s.add(row)
        s.flush()
        panel_changed(s, [row.id])
        return row.id


def set_status(store: Store, assessment_id: int, status: str) -> None:
    with store.session.begin() as s:
        s.execute(update(schema.Assessment).where(schema.Assessment.id == assessment_id).values(status=status))
        panel_changed(s, [assessment_id])


def withdraw(store: Store, campaign_id: int, organization_id: int) -> None:
    """The member left the campaign."""
    with store.session.begin() as s:
        s.execute(update(schema.CampaignMember)
                  .where(schema.CampaignMember.campaign_id == campaign_id,
                         schema.CampaignMember.organization_id == organization_id)
                  .values(withdrawn_at=utcnow()))  # fmt: skip


def close(store: Store, campaign_id: int) -> None:
    with store.session.begin() as s:
        s.execute(update(schema.Campaign).where(schema.Campaign.id == campaign_id).values(closed_at=utcnow()))
