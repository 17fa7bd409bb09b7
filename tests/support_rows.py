"""Campaign rows for the support tests, written straight into the tables (campaigns are built by their own service
elsewhere): a campaign round, and a member's assessment of it answered and submitted on a given day."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from services.app import Gapura
from store import schema

MINI_CRITERIA = ("A1", "A2", "B1", "B2")


def campaign(app: Gapura, round_name: str, deadline: date, standard_id: str = "mini", version: str = "1") -> int:
    now = datetime.now(UTC)
    with app.store.session.begin() as s:
        row = schema.Campaign(standard_id=standard_id, standard_version=version, round_name=round_name,
                              deadline=deadline, remind_days=[], created_by="tests", created_at=now)  # fmt: skip
        s.add(row)
        s.flush()
        return row.id


def campaign_assessment(
    app: Gapura, organization_id: int, campaign_id: int, round_: int, levels: dict[str, int],
    submitted: datetime | None, version: str = "1",
) -> int:  # fmt: skip
    """A member's assessment of the mini standard in a campaign: these criteria answered at these levels, submitted
    at `submitted` (a draft when None)."""
    now = datetime.now(UTC)
    with app.store.session.begin() as s:
        row = schema.Assessment(organization_id=organization_id, standard_id="mini", standard_version=version,
                                round=round_, status="submitted" if submitted else "draft",
                                token=secrets.token_urlsafe(32), created_at=now, updated_at=now,
                                submitted_at=submitted, campaign_id=campaign_id)  # fmt: skip
        s.add(row)
        s.flush()
        s.add_all(schema.Answer(assessment_id=row.id, criterion_id=c, level=level, na=False, justification="",
                                note="", evidence=[], given=True, updated_at=now)
                  for c, level in levels.items())  # fmt: skip
        return row.id


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
