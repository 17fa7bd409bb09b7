"""The differencing memory: every set of organizations released to those who see no names, kept in the database so
that every replica, account and restart checks against the same history."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from store import schema
from store.db import as_utc, utcnow
from store.repository import Store


@dataclass(frozen=True)
class Released:
    id: int
    query: str
    kind: str
    members: frozenset[int]
    at: datetime


def members_hash(members: frozenset[int]) -> str:
    return hashlib.sha256(json.dumps(sorted(members)).encode()).hexdigest()


class ReleaseRecords:
    def __init__(self, store: Store) -> None:
        self.session = store.session

    def decide(self, scope: str, actor: str, decision: Callable[[list[Released]], Released | None]) -> Released | None:
        """Run `decision` over the scope's releases and store what it returns, in one transaction that holds the
        scope's lock, so two replicas releasing at once cannot both pass the check against each other."""
        with self.session.begin() as s:
            self._lock(s, scope)
            earlier = [_record(r) for r in s.scalars(select(schema.Release).where(schema.Release.scope == scope))]
            chosen = decision(earlier)
            if chosen is None or chosen.id:
                return chosen
            digest = members_hash(chosen.members)
            same = [r for r in earlier if r.query == chosen.query and r.members == chosen.members]
            if same:
                return same[0]
            row = schema.Release(scope=scope, query=chosen.query[:500], kind=chosen.kind, members=sorted(chosen.members),
                                 members_hash=digest, n=len(chosen.members), actor=actor[:100], at=utcnow())  # fmt: skip
            s.add(row)
            s.flush()  # under the scope's lock no other release of the same set can be added meanwhile
            return Released(row.id, row.query, row.kind, chosen.members, as_utc(row.at))

    def all(self, scope: str | None = None) -> list[Released]:
        with self.session() as s:
            query = select(schema.Release).order_by(schema.Release.id)
            if scope is not None:
                query = query.where(schema.Release.scope == scope)
            return [_record(r) for r in s.scalars(query)]

    @staticmethod
    def _lock(s: Session, scope: str) -> None:
        # SQLite: every transaction already holds the write lock (BEGIN IMMEDIATE, store/db.py).
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(scope.encode()) - 2**31})


def _record(row: schema.Release) -> Released:
    return Released(row.id, row.query, row.kind, frozenset(int(m) for m in row.members), as_utc(row.at))
