"""The stored copies of the standard versions assessments use: kept once, never overwritten."""

from __future__ import annotations

from sqlalchemy import select

from store import schema
from store.db import utcnow
from store.repository import Store

COPY = schema.StandardCopy


def keep(store: Store, standard_id: str, version: str, sha256: str, document: str) -> None:
    """Store the copy if none is stored for (id, version). The first copy is the one assessments were made with, so
    a later one never replaces it; ON CONFLICT DO NOTHING makes two processes keeping it at once both succeed."""
    statement = (
        store.insert(COPY)
        .values(standard_id=standard_id, version=version, sha256=sha256, document=document, stored_at=utcnow())
        .on_conflict_do_nothing(index_elements=["standard_id", "version"])
    )
    with store.session.begin() as s:
        s.execute(statement)


def get(store: Store, standard_id: str, version: str) -> tuple[str, str] | None:
    """The stored (sha256, document) of one standard version, if any."""
    with store.session() as s:
        row = s.execute(
            select(COPY.sha256, COPY.document).where(COPY.standard_id == standard_id, COPY.version == version)
        ).first()
    return None if row is None else (row.sha256, row.document)


def all_digests(store: Store) -> dict[tuple[str, str], str]:
    """The sha256 of every stored copy, by (id, version), without reading the documents."""
    with store.session() as s:
        return {
            (r.standard_id, r.version): r.sha256 for r in s.execute(select(COPY.standard_id, COPY.version, COPY.sha256))
        }
