"""Migration 0008 (invitations.first_member) up and down with data in it, on SQLite and PostgreSQL: every
invitation and everything that points at its organization is kept both ways."""

from alembic import command
from sqlalchemy import text

from store.db import alembic_config, make_engine

NOW = "2026-12-01 10:00:00"


def _rows(engine) -> dict:
    with engine.connect() as c:
        return {
            "invitations": c.execute(text("SELECT id, email, organization_id FROM invitations ORDER BY id")).all(),
            "organizations": c.execute(text("SELECT id, name FROM organizations")).all(),
            "assessments": c.execute(text("SELECT id, organization_id FROM assessments")).all(),
        }


def test_first_member_upgrades_and_downgrades_with_every_row_kept(database_url):
    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0008-1")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, created_at, updated_at) "
                       "VALUES (1, 'PT Lama', 'pt lama', '[]', 'company', :t, :t)"), {"t": NOW})  # fmt: skip
        c.execute(text("INSERT INTO assessments (id, organization_id, standard_id, standard_version, round, status, "
                       "token, created_at, updated_at) VALUES (1, 1, 'mini', '1', 1, 'draft', 'tok', :t, :t)"),
                  {"t": NOW})  # fmt: skip
        c.execute(text("INSERT INTO invitations (id, token_hash, purpose, email, organization_id, created_by, "
                       "created_at, expires_at) VALUES (1, 'h', 'invite', 'a@b.test', 1, 'user:1', :t, :t)"),
                  {"t": NOW})  # fmt: skip
    before = _rows(engine)
    command.upgrade(config, "0008")
    assert _rows(engine) == before
    with engine.connect() as c:
        assert c.execute(text("SELECT first_member FROM invitations")).scalar_one() in (False, 0)
    command.downgrade(config, "0008-1")
    assert _rows(engine) == before
    command.upgrade(config, "head")
    assert _rows(engine) == before
    engine.dispose()
