"""Settings the admin changes in the app, not in the environment (table app_settings): one value per name, with
who set it and when."""

from __future__ import annotations

from sqlalchemy import select

from store import schema
from store.db import utcnow
from store.repository import Store


def read(store: Store, name: str) -> str | None:
    with store.session() as s:
        return s.scalar(select(schema.AppSetting.value).where(schema.AppSetting.name == name))


def write(store: Store, name: str, value: str, by: str) -> None:
    now = utcnow()
    statement = (
        store.insert(schema.AppSetting)
        .values(name=name, value=value, updated_by=by, updated_at=now)
        .on_conflict_do_update(index_elements=["name"], set_={"value": value, "updated_by": by, "updated_at": now})
    )
    with store.session.begin() as s:
        s.execute(statement)
