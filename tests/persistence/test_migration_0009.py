"""Migration 0009 (proposals do not count as answered) up and down with data in it, on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import text

from store.db import alembic_config, make_engine, migrate

NOW = "2026-12-01 10:00:00"
# criterion, level, na, justification, origin, given as stored before 0009
ROWS = [
    ("A1", 3, False, "", None, True),  # the company's own
    ("A2", 2, False, "", "round", True),  # carried over, not confirmed
    ("B1", None, True, "outdoor only", "segment", True),  # pre-filled N/A
    ("B2", 1, False, "", "capability:other/X1", True),  # from another standard
]


def test_proposals_stop_counting_on_upgrade_and_count_again_on_downgrade_with_every_row_kept(database_url):
    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0006")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, synthetic, created_at, "
                       "updated_at) VALUES (1, 'PT Lama', 'pt lama', '[]', 'company', false, :t, :t)"), {"t": NOW})  # fmt: skip
        c.execute(text("INSERT INTO assessments (id, organization_id, standard_id, standard_version, round, status, "
                       "token, created_at, updated_at) VALUES (1, 1, 'mini', '1', 2, 'draft', 'tok', :t, :t)"),
                  {"t": NOW})  # fmt: skip
        for cid, level, na, why, origin, given in ROWS:
            c.execute(text("INSERT INTO answers (assessment_id, criterion_id, level, na, justification, note, "
                           "evidence, given, origin, updated_at) VALUES (1, :c, :l, :na, :j, 'n', '[]', :g, :o, :t)"),
                      {"c": cid, "l": level, "na": na, "j": why, "g": given, "o": origin, "t": NOW})  # fmt: skip

    def stored():
        with engine.connect() as c:
            rows = c.execute(text("SELECT criterion_id, level, na, justification, origin, given FROM answers "
                                  "ORDER BY criterion_id")).all()  # fmt: skip
        return [(r[0], r[1], bool(r[2]), r[3], r[4], bool(r[5])) for r in rows]

    migrate(engine)
    assert stored() == [row[:5] + (row[4] is None,) for row in ROWS]
    command.downgrade(config, "0006")
    assert stored() == ROWS
    engine.dispose()
