from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from store.db import make_engine, migrate
from store.schema import Base
from tests.filled import FILLED, fill, tables


def test_upgrade_from_empty_to_head_creates_every_table(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= {"organizations", "assessments", "answers", "answer_changes"}
    migrate(engine)  # a second run is a no-op
    engine.dispose()


def test_models_and_migrations_agree(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_a_database_made_before_accounts_upgrades_with_every_answer_kept(database_url):
    """A database at the last landed schema (0001), with answers, upgraded to head: every row is still there and
    `given` says what the old SQL rule said."""
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0001")
    now = "2026-11-30 10:00:00"
    rows = [("A1", 3, False, ""), ("A2", None, True, "indoor only"), ("B1", None, True, ""), ("B2", None, False, "")]
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (id, name, name_key, segments, created_at, updated_at) "
                       "VALUES (1, 'PT Lama', 'pt lama', '[]', :t, :t)"), {"t": now})  # fmt: skip
        c.execute(text("INSERT INTO assessments (id, organization_id, standard_id, standard_version, round, status, "
                       "token, created_at, updated_at) VALUES (1, 1, 'mini', '1', 1, 'draft', 'tok', :t, :t)"),
                  {"t": now})  # fmt: skip
        for cid, level, na, why in rows:
            c.execute(text("INSERT INTO answers (assessment_id, criterion_id, level, na, justification, note, "
                           "evidence, updated_at) VALUES (1, :c, :l, :na, :j, 'n', '[]', :t)"),
                      {"c": cid, "l": level, "na": na, "j": why, "t": now})  # fmt: skip
    migrate(engine)
    with engine.connect() as c:
        after = c.execute(text("SELECT criterion_id, level, na, justification, given FROM answers ORDER BY 1")).all()
    engine.dispose()
    assert [tuple(r[:4]) for r in after] == rows
    assert {r[0]: bool(r[4]) for r in after} == {"A1": True, "A2": True, "B1": False, "B2": False}


def test_after_the_upgrade_organizations_have_no_members_and_the_admin_is_told(tmp_path, monkeypatch):
    """A pre-accounts database (made at 0001) upgrades; the admin's first sign-in names the organizations
    nobody can sign in for yet."""
    from alembic import command
    from sqlalchemy import text
    from streamlit.testing.v1 import AppTest

    from store.db import alembic_config
    from tests.conftest import MINI, ROOT
    from tests.signin import session_token

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as c:
        for i, name in enumerate(["PT Lama Satu", "PT Lama Dua"], start=1):
            c.execute(text("INSERT INTO organizations (id, name, name_key, segments, created_at, updated_at) "
                           "VALUES (:i, :n, :k, '[]', '2026-11-30', '2026-11-30')"), {"i": i, "n": name, "k": name.lower()})  # fmt: skip
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    at = AppTest.from_file(str(ROOT / "gapura_app.py"), default_timeout=60)
    at.session_state["session-token"] = session_token(url, MINI.parent, "sekretariat@asosiasi.test", roles=("admin",))
    at.run()
    assert not at.exception
    assert any("2 organisasi belum punya anggota" in w.value for w in at.warning)


OLD_NAMES = [  # (id, name as stored before names were cleaned, its old key, created)
    (1, "PT\u200bMaju", "pt\u200bmaju", "2026-01-01 10:00:00"),
    (2, "PT Maju\u202e", "pt maju\u202e", "2026-01-02 10:00:00"),
    (3, "ＰＴ　Jaya\x07", "ｐｔ　jaya\x07", "2026-01-03 10:00:00"),  # full-width, a control character
    (4, "PT\u2060Maju", "pt\u2060maju", "2026-01-04 10:00:00"),  # looks like 1, created later
    (5, "PT Sentosa", "pt sentosa", "2026-01-05 10:00:00"),  # already clean
    (6, "pt\u200b sentosa", "pt\u200b sentosa", "2026-01-06 10:00:00"),  # looks like 5
]


def test_old_organization_names_are_cleaned_and_look_alikes_kept_apart_and_recorded(database_url):
    """A database at 0003 with names stored before cleaning: after the upgrade every name shows clean, a
    look-alike created now finds the organization it looks like, and two old look-alikes are not merged."""
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config
    from store.repository import Store

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0003")
    with engine.begin() as c:
        for i, name, key, at in OLD_NAMES:
            c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, created_at, updated_at) "
                           "VALUES (:i, :n, :k, '[]', 'company', :t, :t)"), {"i": i, "n": name, "k": key, "t": at})  # fmt: skip
        c.execute(text("INSERT INTO assessments (id, organization_id, standard_id, standard_version, round, status, "
                       "token, created_at, updated_at) VALUES (1, 4, 'mini', '1', 1, 'draft', 'tok', :t, :t)"),
                  {"t": "2026-01-04 10:00:00"})  # fmt: skip
    migrate(engine)
    with engine.connect() as c:
        after = {r.id: (r.name, r.name_key) for r in c.execute(text("SELECT id, name, name_key FROM organizations"))}
        recorded = c.execute(text("SELECT actor, action, target FROM audit_events ORDER BY target")).all()
    assert after == {
        1: ("PTMaju", "ptmaju"),
        2: ("PT Maju", "pt maju"),
        3: ("PT Jaya", "pt jaya"),
        4: ("PTMaju", "pt\u2060maju"),  # the later look-alike keeps its own key: a separate organization still
        5: ("PT Sentosa", "pt sentosa"),
        6: ("pt sentosa", "pt\u200b sentosa"),
    }
    assert [tuple(r) for r in recorded] == [
        ("migration:0004", "organization.look-alike", "organization:4"),
        ("migration:0004", "organization.look-alike", "organization:6"),
    ]
    store = Store(engine)
    assert store.find_organization("PT\u200dMaju") == 1 and store.find_organization("pt maju\u202e") == 2
    assert store.ensure_organization({"name": "ＰＴ Jaya"}) == 3
    assert store.workspace(4).assessments()[0].organization == "PTMaju"  # its assessment is still its own
    engine.dispose()


def test_the_demo_upgrade_backfills_submitted_at_and_flags_no_organization_synthetic(database_url):
    """A database at 0004 with a submitted and a draft assessment: after the upgrade the submitted one has its last
    activity as submitted_at, the draft none, and every organization is a real one (synthetic false)."""
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config
    from store.repository import Store

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0004")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, created_at, updated_at) "
                       "VALUES (1, 'PT Lama', 'pt lama', '[]', 'company', :t, :t)"), {"t": "2026-01-01 10:00:00"})  # fmt: skip
        for i, status, at in ((1, "submitted", "2026-02-03 10:00:00"), (2, "draft", "2026-03-04 10:00:00")):
            c.execute(text("INSERT INTO assessments (id, organization_id, standard_id, standard_version, round, "
                           "status, token, created_at, updated_at) VALUES (:i, 1, 'mini', '1', :i, :s, :k, :t, :t)"),
                      {"i": i, "s": status, "k": f"tok{i}", "t": at})  # fmt: skip
    migrate(engine)
    with engine.connect() as c:
        synthetic = c.execute(text("SELECT synthetic FROM organizations")).scalar_one()
        submitted = dict(c.execute(text("SELECT id, submitted_at FROM assessments")).all())
    assert synthetic in (False, 0)
    assert str(submitted[1]).startswith("2026-02-03 10:00:00") and submitted[2] is None
    store = Store(engine)
    workspace = store.workspace(1)
    assert store.organizations(synthetic=False) == [(1, "PT Lama", "company")] and not store.organizations(
        synthetic=True
    )
    workspace.set_status(2, "submitted")
    assert {s.id: s.submitted_at is not None for s in workspace.assessments()} == {1: True, 2: True}
    workspace.set_status(1, "draft")
    assert {s.id: s.submitted_at is not None for s in workspace.assessments()} == {1: False, 2: True}
    engine.dispose()


def _rows(engine) -> dict[str, tuple[list[str], list[dict]]]:
    """Every table's columns and rows (sorted), alembic's own table left out."""
    return tables(engine, alembic=False)


def _kept(before, after) -> list[str]:
    """Tables whose rows differ between two dumps, in the columns both have (a table or column added or dropped by
    the step itself is not compared)."""
    differ = []
    for name in before.keys() & after.keys():
        columns = set(before[name][0]) & set(after[name][0])
        shown = [sorted(({k: row[k] for k in columns} for row in dump[name][1]), key=repr) for dump in (before, after)]
        if shown[0] != shown[1]:
            differ.append(name)
    return differ


def test_every_migration_goes_down_and_up_again_with_every_row_kept(database_url):
    """A database at head with a row in every table: each migration's downgrade, then its upgrade, keeps every row
    of the tables on both sides (SQLite's batch drop of `organizations` once cascaded to every assessment)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from store.db import alembic_config

    fill(database_url)

    engine = make_engine(database_url)
    config = alembic_config(engine)
    at_head = _rows(engine)
    assert not [name for name in FILLED if not at_head[name][1]], "every table of these migrations holds a row"
    steps = [(s.revision, s.down_revision) for s in ScriptDirectory.from_config(config).walk_revisions()]
    for revision, down in steps:
        if down is None:
            break  # below 0001 there is no database to keep
        before = _rows(engine)
        command.downgrade(config, down)
        after_down = _rows(engine)
        assert _kept(before, after_down) == [], f"downgrade of {revision}"
        assert before.keys() - after_down.keys() <= {"standard_copies", "app_secrets", "audit_events", "users",
            "auth_sessions", "invitations", "memberships", "sign_in_failures", "releases", "plan_items",
            "evidence_files", "app_settings", "campaigns", "campaign_members", "reminders", "verifications",
            "verified_answers", "interventions", "intervention_participants", "published_standards",
            "stamps"}, revision  # fmt: skip
        command.upgrade(config, revision)
        assert _kept(after_down, _rows(engine)) == [], f"upgrade of {revision}"
        command.downgrade(config, down)
    assert {n: len(rows) for n, (_, rows) in _rows(engine).items()} == {
        n: len(at_head[n][1]) for n in ("organizations", "assessments", "answers", "answer_changes")
    }
    command.upgrade(config, "head")  # back at head from 0001: the columns added since are filled again
    back = _rows(engine)
    # Every column comes back but an assessment's campaign (below 0011 there is no campaign to point to) and its
    # revision (a stamp of the change counter, which starts again at 0012).
    kept = [c for c in at_head["assessments"][0] if c not in ("campaign_id", "revision")]
    unlinked = (kept, at_head["assessments"][1])
    assert _kept({"assessments": unlinked} | {n: at_head[n] for n in ("answers", "answer_changes")}, back) == []
    engine.dispose()


def test_no_migration_imports_the_application():
    """A migration does the same whenever it runs: it copies the rule it needs instead of importing today's code."""
    import ast
    from pathlib import Path

    from store.db import MIGRATIONS

    ours = {"scoring", "services", "store", "ui", "gapura", "tools"}
    found = []
    for path in sorted((Path(MIGRATIONS) / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [(path.name, n) for n in names if n.split(".")[0] in ours]
    assert found == []


def test_replicas_starting_at_once_both_bring_a_new_database_to_head(database_url):
    """Two replicas started together on a new database each run the migrations: one migrates, the other waits
    and finds the schema at head (on PostgreSQL both used to create the tables, and one failed to start)."""
    import subprocess
    import sys

    from alembic.script import ScriptDirectory

    from store.db import alembic_config

    code = "import sys; from store.db import make_engine, migrate; migrate(make_engine(sys.argv[1]))"
    starts = [subprocess.Popen([sys.executable, "-c", code, database_url], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=600)[1].decode() for p in starts]  # a loaded machine starts Python slowly
    failures = [error[-400:] for p, error in zip(starts, errors, strict=True) if p.returncode != 0]
    assert failures == []
    engine = make_engine(database_url)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert current == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    engine.dispose()


def test_an_upgrade_that_fails_halfway_leaves_the_schema_as_it_was(database_url):
    """An upgrade is one transaction on SQLite too: when a later step fails, the earlier steps of the same upgrade are
    undone (Alembic committed SQLite after each step, leaving a schema no release has)."""
    import pytest
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0010")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE stamps (name VARCHAR(40) PRIMARY KEY)"))  # 0012 makes this table
    with pytest.raises(Exception, match="stamps"):
        command.upgrade(config, "head")
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0010"
    assert "campaigns" not in inspect(engine).get_table_names()  # 0011's table, undone with the failed 0012
    engine.dispose()
