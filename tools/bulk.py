"""Many member organizations at once, for benchmarks and the query-count tests: written with bulk inserts into the
store's tables (a few statements per table), not through thousands of service calls. Never imported by the app."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import insert

from scoring.model import Standard
from store import schema
from store.db import utcnow
from store.repository import Store, name_key, panel_changed


def _ids(connection, table, rows: list[dict]) -> list[int]:
    """Insert `rows` and return their new ids in the same order (the database's sequences stay right)."""
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(connection.scalars(statement, rows))


def add_members(store: Store, count: int, standard: Standard, answers: int = 4, prefix: str = "PT Anggota") -> None:
    """`count` more organizations, each with one draft assessment of `standard` with its first `answers` criteria
    answered (levels cycling through the scale) and one member account."""
    criteria = [c for _, c in standard.criteria()][:answers]
    levels = standard.scale.values
    now = utcnow()
    tag = secrets.token_hex(3)  # names and emails stay unique when called again on the same database
    names = [f"{prefix} {tag} {n:05d}" for n in range(count)]
    with store.engine.begin() as c:
        stamp = panel_changed(c)
        orgs = _ids(c, schema.Organization, [
            {"name": name, "name_key": name_key(name), "region": "ID-JK", "size": "small", "segments": ["mice"],
             "kind": "company", "created_at": now, "updated_at": now}
            for name in names
        ])  # fmt: skip
        assessments = _ids(c, schema.Assessment, [
            {"organization_id": org, "standard_id": standard.id, "standard_version": standard.version, "round": 1,
             "status": "draft", "token": secrets.token_urlsafe(32), "created_at": now,
             "updated_at": now + timedelta(milliseconds=n), "revision": stamp}
            for n, org in enumerate(orgs)
        ])  # fmt: skip
        c.execute(insert(schema.Answer), [
            {"assessment_id": aid, "criterion_id": criterion.id, "level": levels[(n + k) % len(levels)], "na": False,
             "justification": "", "note": f"catatan {n}", "evidence": [], "given": True, "origin": None,
             "updated_at": now}
            for n, aid in enumerate(assessments) for k, criterion in enumerate(criteria)
        ])  # fmt: skip
        users = _ids(c, schema.User, [
            {"email": f"anggota-{tag}-{n:05d}@contoh.test", "name": "", "password_hash": None, "roles": [],
             "active": True, "created_at": now}
            for n in range(count)
        ])  # fmt: skip
        c.execute(insert(schema.Membership), [
            {"user_id": user, "organization_id": org, "created_at": now} for user, org in zip(users, orgs, strict=True)
        ])  # fmt: skip
