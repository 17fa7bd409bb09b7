"""The rows a finished verification leaves, written directly (the verification workflow is another service's):
the assessment submitted, its verification finished, one verified level per sampled criterion."""

from __future__ import annotations

from sqlalchemy import update

from services.app import Gapura
from store import schema
from store.db import utcnow
from store.repository import panel_changed

VERIFIER = "verifikator@asosiasi.test"


def verify(app: Gapura, assessment_id: int, levels: dict[str, int | str], status: str = "verified") -> None:
    """Mark the assessment verified with these levels ("na" for N/A); `status` "open" leaves it unfinished."""
    now = utcnow()
    with app.store.session.begin() as s:
        s.execute(update(schema.Assessment).where(schema.Assessment.id == assessment_id)
                  .values(status="submitted", submitted_at=now))  # fmt: skip
        s.add(schema.Verification(assessment_id=assessment_id, seed="uji", sample_size=len(levels), sample=list(levels),
                                  status=status, started_by=VERIFIER, started_at=now,
                                  verified_by=VERIFIER if status == "verified" else None,
                                  verified_at=now if status == "verified" else None))  # fmt: skip
        s.add_all(schema.VerifiedAnswer(assessment_id=assessment_id, criterion_id=c, level=None if v == "na" else v,
                                        na=v == "na", verified_by=VERIFIER, updated_at=now)
                  for c, v in levels.items())  # fmt: skip
        panel_changed(s, [assessment_id])


def latest_assessment(app: Gapura, organization_id: int) -> int:
    """The newest assessment of the organization."""
    return app.store.workspace(organization_id).assessments()[0].id
