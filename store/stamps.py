"""Version stamps: one counter per kind of change, advanced inside the writer's transaction. The row lock orders the
writers, so a stamp only grows in commit order, and a reader that saw value N has seen every change up to N (a
clock's time would not: two replicas' clocks differ, and a transaction can commit after a later one started)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store import schema

if TYPE_CHECKING:  # the repository advances stamps in its own transactions
    from store.repository import Store

LIBRARY = "library"  # a standard version published or retired
PANEL = "panel"  # an assessment, its answers, its organization or its verification changed

STAMP = schema.Stamp


def advance(s: Session, name: str) -> int:
    """Advance the stamp `name` in this (writing) transaction and return its new value."""
    return s.execute(
        update(STAMP).where(STAMP.name == name).values(value=STAMP.value + 1).returning(STAMP.value)
    ).scalar_one()


def read(store: Store, *names: str) -> dict[str, int]:
    """The committed value of each stamp, in one query."""
    with store.session() as s:
        return dict(s.execute(select(STAMP.name, STAMP.value).where(STAMP.name.in_(names))).tuples().all())
