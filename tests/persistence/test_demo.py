"""Demo data in the database (store/demo.py, services/demo.py, python -m gapura demo), on SQLite and PostgreSQL:
loaded in bulk and flagged, removed in one action leaving every table as it was, refused beside real members."""

import pytest
from sqlalchemy import func, select

from gapura.cli import main
from scoring.model import Answer
from services.app import Gapura
from services.assessing import Refused
from services.policy import Denied, cli_actor
from services.settings import Settings
from store import schema
from tests.conftest import ROOT

CLI = cli_actor()
# Every table but the audit log (loading and removing are audited) and the standard copies (kept once a version is
# used, never removed: store/standard_copies.py).
TABLES = [t for t in schema.Base.metadata.sorted_tables if t.name not in ("audit_events", "standard_copies")]


@pytest.fixture
def app(database_url):
    app = Gapura(Settings(database_url=database_url, standards_dir=ROOT / "standards"))
    yield app
    app.close()


def table_counts(app) -> dict[str, int]:
    with app.store.engine.connect() as c:
        return {t.name: c.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_load_then_remove_leaves_every_table_as_it_was_and_both_are_audited(app):
    app.accounts.first_run("admin@gapura.test", "kata-sandi-admin-123", "PT Milik Admin")  # a company, no assessment
    app.library()  # the first use publishes the standards folder: not the demo's to remove
    before = table_counts(app)
    loaded = app.demo.load(CLI, organizations=40, seed=3)
    assert loaded.organizations == 40 and loaded.associations == 1 and loaded.answers > 40 * 30
    assert table_counts(app)["verified_answers"] == 5 * table_counts(app)["verifications"] > 0  # a sample verified
    status = app.demo.status(CLI)
    assert status.counts == loaded and len(status.organization_ids) == 41 and not status.loadable
    demo_rows = app.store.organizations(synthetic=True)
    assert {kind for _, _, kind in demo_rows} == {"company", "association"}
    assert [name for _, name, _ in app.store.organizations(synthetic=False)] == ["PT Milik Admin"]
    some = demo_rows[0][0]
    assert app.store.profile(some)["synthetic"] is True and "synthetic" not in app.store.profile(
        app.store.find_organization("PT Milik Admin"))  # fmt: skip
    summaries = app.store.summaries()
    assert {s.status for s in summaries} == {"draft", "submitted", "verified"}  # a fifth of submissions verified
    assert all((s.submitted_at is not None) == (s.status in ("submitted", "verified")) for s in summaries)
    assert any(s.round == 2 for s in summaries)
    stored = next(app.store.load_many(s for s in summaries if s.status == "submitted"))
    assert app.standard(stored.summary.standard_id, stored.summary.standard_version) is not None  # its copy kept
    assert all(a.given and a.origin is None for a in stored.answers.values())

    removed = app.demo.remove(CLI)
    assert removed.counts == loaded and removed.kept == 0
    assert table_counts(app) == before
    assert app.demo.status(CLI).loadable
    events = [(e.action, e.detail) for e in app.audit.events(CLI)][:2]
    assert events[0] == ("demo.remove", {"organizations": 40, "associations": 1, "assessments": loaded.assessments,
                                         "answers": loaded.answers, "kept": 0})  # fmt: skip
    assert events[1][0] == "demo.load" and events[1][1]["seed"] == 3 and "names" not in events[1][1]


def test_load_is_refused_beside_real_members_assessments_and_when_loaded_already(app):
    with pytest.raises(Refused) as refused:
        app.demo.load(CLI, organizations=0)
    assert refused.value.issues[0].message("en") == "the number of demo companies must be between 1 and 20000, not 0"
    app.demo.load(CLI, organizations=3)
    with pytest.raises(Refused) as refused:
        app.demo.load(CLI, organizations=3)
    assert [i.code for i in refused.value.issues] == ["demo.already-loaded"]
    app.demo.remove(CLI)
    org = app.store.ensure_organization({"name": "PT Anggota Sungguhan"})
    app.store.workspace(org).start("id-licensing", "2026.1")
    with pytest.raises(Refused) as refused:
        app.demo.load(CLI, organizations=3)
    (issue,) = refused.value.issues
    assert issue.code == "demo.member-data" and issue.params == {"companies": 1, "assessments": 1}
    assert "1 penilaian dari 1 perusahaan anggota sungguhan" in issue.message("id")
    assert app.demo.status(CLI).counts.empty
    admin = app.accounts.first_run("admin@gapura.test", "kata-sandi-admin-123")
    with pytest.raises(Denied):  # only the command line may load beside real members
        app.demo.load(admin, organizations=3, force=True)
    assert app.demo.load(CLI, organizations=3, force=True).organizations == 3
    app.demo.remove(CLI)
    assert app.store.organizations() == [(org, "PT Anggota Sungguhan", "company")]


def test_work_done_in_a_demo_organization_since_is_kept_when_the_demo_goes(app):
    """An officer who answered the association's standard in the demo association, or a person added to a demo
    company, loses nothing: those organizations stay, unflagged, with only that work."""
    app.demo.load(CLI, organizations=5, seed=2)
    (association,) = app.store.organizations(kind="association")
    worked = app.store.organizations(synthetic=True, kind="company")[0][0]
    workspace = app.store.workspace(association[0])
    mine = workspace.start("association-readiness", "2026.1", answers={"GOV-01": Answer(level=3)}, by="user:1")
    assert workspace.assessments()[0].round == 2  # after the demo's round 1
    officer = app.accounts.first_run("admin@gapura.test", "kata-sandi-admin-123")
    app.accounts.add_member(officer, officer.user_id, worked)

    removed = app.demo.remove(CLI)
    assert removed.kept == 2 and removed.counts.organizations == 5 and removed.counts.associations == 1
    assert [s.id for s in app.store.workspace(association[0]).assessments()] == [mine]
    assert app.store.workspace(worked).assessments() == []
    assert {i for i, _, _ in app.store.organizations()} == {association[0], worked}
    assert not app.store.organizations(synthetic=True)


def test_the_command_line_loads_and_removes_and_says_so(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(ROOT / "standards"))
    assert main(["demo", "--organizations", "12", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("loaded 12 demo companies, 1 demo association, ") and "seed 5" in out
    assert main(["demo"]) == 2
    assert "demo data is already loaded (12 companies)" in capsys.readouterr().err
    assert main(["demo", "--remove"]) == 0
    assert capsys.readouterr().out.startswith("removed 12 demo companies, 1 demo association, ")
