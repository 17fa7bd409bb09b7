"""Action-plan items: what a company tracks on each step of its plan (owner, due date, status, note), kept per
organization, standard and criterion, so they carry from round to round."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update

from scoring.plan import Tracking
from store import schema
from store.db import as_utc, utcnow
from store.repository import Store

ITEM = schema.PlanItem
FIELDS = ("owner", "due", "status", "note")


class PlanRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def items(self, organization_id: int, standard_id: str) -> dict[str, Tracking]:
        """Every item of the organization's plan for one standard, by criterion, in one query."""
        query = select(ITEM).where(ITEM.organization_id == organization_id, ITEM.standard_id == standard_id)
        with self.store.session() as s:
            return {
                row.criterion_id: Tracking(
                    row.criterion_id, row.owner or "", row.due, row.status, row.note or "", row.closed_round
                )  # fmt: skip
                for row in s.scalars(query)
            }

    def everything(self, organization_id: int) -> list[dict[str, Any]]:
        """Every item of the organization, every standard, as plain JSON values (its personal-data download)."""
        query = select(ITEM).where(ITEM.organization_id == organization_id)
        with self.store.session() as s:
            rows = s.scalars(query.order_by(ITEM.standard_id, ITEM.criterion_id)).all()
            return [
                {"standard": r.standard_id, "criterion": r.criterion_id, "owner": r.owner, "status": r.status,
                 "due": r.due.isoformat() if r.due else None, "note": r.note, "closed_round": r.closed_round,
                 "updated_by": r.updated_by, "created_at": as_utc(r.created_at).isoformat(),
                 "updated_at": as_utc(r.updated_at).isoformat()}
                for r in rows
            ]  # fmt: skip

    def set(self, organization_id: int, standard_id: str, criterion_id: str, fields: dict[str, Any], by: str) -> None:
        """Write only these fields of the item (created if it is the first), like an answer's: a tab that changes
        the owner leaves the status another tab set a moment ago as it is."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"not a plan field: {sorted(unknown)}")
        now = utcnow()
        changed = dict(fields) | {"updated_by": by, "updated_at": now}
        statement = (
            self.store.insert(ITEM)
            .values(
                organization_id=organization_id,
                standard_id=standard_id,
                criterion_id=criterion_id,
                created_at=now,
                **changed,
            )  # fmt: skip
            .on_conflict_do_update(index_elements=["organization_id", "standard_id", "criterion_id"], set_=changed)
        )
        with self.store.session.begin() as s:
            s.execute(statement)

    def settle(self, organization_id: int, standard_id: str, round_: int, met: Iterable[str],
               unmet: Iterable[str]) -> None:  # fmt: skip
        """Close the open items whose criterion is met in `round_` (closed_round = that round) and open again those
        closed in that round or before whose criterion is below target again; two statements, idempotent."""
        mine = (ITEM.organization_id == organization_id, ITEM.standard_id == standard_id)
        met, unmet = list(met), list(unmet)
        with self.store.session.begin() as s:
            if met:
                s.execute(update(ITEM).where(*mine, ITEM.criterion_id.in_(met), ITEM.closed_round.is_(None))
                          .values(closed_round=round_))  # fmt: skip
            if unmet:
                s.execute(update(ITEM).where(*mine, ITEM.criterion_id.in_(unmet), ITEM.closed_round <= round_)
                          .values(closed_round=None))  # fmt: skip

    def open_items(self, standard_id: str, organization_ids: Iterable[int]) -> dict[str, set[int]]:
        """Per criterion, which of these organizations have an open item on it (not done, not closed by itself), in
        one query."""
        ids = sorted(set(organization_ids))
        if not ids:
            return {}
        query = select(ITEM.criterion_id, ITEM.organization_id).where(
            ITEM.standard_id == standard_id, ITEM.organization_id.in_(ids), ITEM.status != "done",
            ITEM.closed_round.is_(None),
        )  # fmt: skip
        found: dict[str, set[int]] = {}
        with self.store.session() as s:
            for criterion_id, organization_id in s.execute(query):
                found.setdefault(criterion_id, set()).add(int(organization_id))
        return found
