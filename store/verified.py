"""The levels the association verified, read for figures of many members (research, verified-only benchmarks and
shared gaps); written by the verification workflow. Only a finished verification (status "verified") counts."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from scoring.model import NA
from store import schema
from store.repository import Store

FINISHED = "verified"


class VerifiedLevels:
    def __init__(self, store: Store) -> None:
        self.store = store

    def levels(
        self, standard_id: str, version: str, assessment_id: int | None = None, ids: list[int] | None = None
    ) -> pd.DataFrame:
        """Every decided verified level of the finished verifications of one standard version (or of one of its
        assessments, or of `ids`), in one query, as the long frame the engine scores: assessment, criterion, level
        ("na")."""
        a, v, va = schema.Assessment, schema.Verification, schema.VerifiedAnswer
        query = (
            select(va.assessment_id, va.criterion_id, va.level, va.na)
            .join(v, v.assessment_id == va.assessment_id)
            .join(a, a.id == va.assessment_id)
            .where(a.standard_id == standard_id, a.standard_version == version, v.status == FINISHED)
            .where(va.level.is_not(None) | va.na)
        )
        if assessment_id is not None:
            query = query.where(a.id == assessment_id)
        if ids is not None:
            query = query.where(a.id.in_(ids))
        with self.store.session() as s:
            rows = s.execute(query.order_by(va.assessment_id, va.criterion_id)).all()
        # The same types when nothing is found, so frames read apart (services/panels.py) put together alike.
        frame = pd.DataFrame(rows, columns=["assessment", "criterion", "level", "na"])
        frame = frame.astype({"assessment": "int64", "criterion": str})
        frame["level"] = pd.Categorical(frame["level"].astype(object).where(~frame["na"].astype(bool), NA))
        return frame[["assessment", "criterion", "level"]]

    def finished(self, standard_id: str, version: str, ids: list[int] | None = None) -> set[int]:
        """The assessments of one standard version (of `ids`, if given) whose verification is finished, in one
        query."""
        a, v = schema.Assessment, schema.Verification
        query = (
            select(v.assessment_id)
            .join(a, a.id == v.assessment_id)
            .where(a.standard_id == standard_id, a.standard_version == version, v.status == FINISHED)
        )
        if ids is not None:
            query = query.where(a.id.in_(ids))
        with self.store.session() as s:
            return set(s.scalars(query))
