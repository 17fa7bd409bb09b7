"""Support given to members: interventions, who took part and for how many days, and the campaign rounds the
support is measured between."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import delete, func, select

from store import schema
from store.db import utcnow
from store.repository import NotFound, Store

_I, _P = schema.Intervention, schema.InterventionParticipant


@dataclass(frozen=True)
class Listed:
    """An intervention as the list shows it, with how many members took part."""

    id: int
    kind: str
    title: str
    started_on: date
    ended_on: date
    capabilities: tuple[str, ...]
    funder: str
    note: str
    participants: int


class Interventions:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, fields: dict, organizations: Iterable[tuple[int, int | None]], by: str) -> int:
        """A new intervention and its participants (organization id, days), in one transaction; its id."""
        now = utcnow()
        with self.store.session.begin() as s:
            row = _I(**fields, created_by=by, created_at=now)
            s.add(row)
            s.flush()
            s.add_all(_P(intervention_id=row.id, organization_id=o, days=d, added_by=by, added_at=now)
                      for o, d in organizations)  # fmt: skip
            return row.id

    def get(self, intervention_id: int) -> Listed:
        found = [row for row in self.listed([intervention_id])]
        if not found:
            raise NotFound(intervention_id)
        return found[0]

    def listed(self, ids: list[int] | None = None) -> list[Listed]:
        """Interventions (these, or all), latest first, each with its participant count, in one query."""
        count = select(_P.intervention_id, func.count().label("n")).group_by(_P.intervention_id).subquery()
        query = select(_I, func.coalesce(count.c.n, 0)).outerjoin(count, count.c.intervention_id == _I.id)
        if ids is not None:
            query = query.where(_I.id.in_(ids))
        with self.store.session() as s:
            rows = s.execute(query.order_by(_I.started_on.desc(), _I.id.desc())).all()
            return [Listed(r.id, r.kind, r.title, r.started_on, r.ended_on, tuple(r.capabilities or ()), r.funder,
                           r.note, int(n)) for r, n in rows]  # fmt: skip

    def participants(self, intervention_id: int) -> list[tuple[int, str, int | None]]:
        """(organization id, name, days) of one intervention's participants, by name."""
        o = schema.Organization
        query = (select(_P.organization_id, o.name, _P.days).join(o, o.id == _P.organization_id)
                 .where(_P.intervention_id == intervention_id).order_by(o.name_key))  # fmt: skip
        with self.store.session() as s:
            return [(int(i), name, days) for i, name, days in s.execute(query)]

    def put_participants(self, intervention_id: int, organizations: Iterable[tuple[int, int | None]], by: str) -> int:
        """Add these participants, or set their days when they are on the list already, in one transaction; how
        many rows were written."""
        rows = [{"intervention_id": intervention_id, "organization_id": o, "days": d, "added_by": by,
                 "added_at": utcnow()} for o, d in organizations]  # fmt: skip
        if not rows:
            return 0
        statement = self.store.insert(_P).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["intervention_id", "organization_id"], set_={"days": statement.excluded.days}
        )
        with self.store.session.begin() as s:
            if s.get(_I, intervention_id) is None:
                raise NotFound(intervention_id)
            s.execute(statement)
        return len(rows)

    def remove_participant(self, intervention_id: int, organization_id: int) -> bool:
        with self.store.session.begin() as s:
            gone = s.execute(delete(_P).where(_P.intervention_id == intervention_id,
                                              _P.organization_id == organization_id))  # fmt: skip
            return bool(gone.rowcount)

    def everything(self, organization_id: int) -> list[dict]:
        """The support one organization took part in, as plain JSON values (its personal-data download)."""
        query = (select(_I, _P.days).join(_P, _P.intervention_id == _I.id)
                 .where(_P.organization_id == organization_id).order_by(_I.started_on, _I.id))  # fmt: skip
        with self.store.session() as s:
            return [{"kind": i.kind, "title": i.title, "started_on": i.started_on.isoformat(),
                     "ended_on": i.ended_on.isoformat(), "capabilities": list(i.capabilities or []),
                     "funder": i.funder, "days": days} for i, days in s.execute(query)]  # fmt: skip

    def participation(self) -> pd.DataFrame:
        """Every participation, one row each: organization_id, kind, capabilities, started_on, ended_on, days."""
        query = select(_P.organization_id, _I.kind, _I.capabilities, _I.started_on, _I.ended_on, _P.days).join(
            _I, _I.id == _P.intervention_id
        )
        columns = ["organization_id", "kind", "capabilities", "started_on", "ended_on", "days"]
        with self.store.session() as s:
            frame = pd.DataFrame(s.execute(query).all(), columns=columns)
        frame["capabilities"] = [tuple(c or ()) for c in frame["capabilities"]]
        frame["days"] = frame["days"].astype(object)
        return frame

    def campaign_rounds(self, standard_id: str, version: str) -> pd.DataFrame:
        """Every assessment of a campaign of this standard version: assessment, organization_id, round (the
        campaign's round name), deadline and submitted_at, by deadline."""
        a, c = schema.Assessment, schema.Campaign
        query = (select(a.id, a.organization_id, c.round_name, c.deadline, a.submitted_at)
                 .join(c, c.id == a.campaign_id)
                 .where(c.standard_id == standard_id, c.standard_version == version, a.standard_version == version)
                 .order_by(c.deadline, c.id, a.organization_id))  # fmt: skip
        with self.store.session() as s:
            frame = pd.DataFrame(s.execute(query).all(),
                                 columns=["assessment", "organization_id", "round", "deadline", "submitted_at"])  # fmt: skip
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
        return frame

    def round_names(self, standard_id: str, version: str) -> list[str]:
        """The campaign rounds of a standard version, by deadline."""
        c = schema.Campaign
        query = (select(c.round_name).where(c.standard_id == standard_id, c.standard_version == version)
                 .order_by(c.deadline, c.id))  # fmt: skip
        with self.store.session() as s:
            return list(s.scalars(query))
