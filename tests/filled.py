"""A database with a row in every table, made through the application as people would (and a few rows written
directly where no service makes them yet); and every table's rows, to compare two databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, MetaData

from scoring.model import Answer
from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from store import schema, standard_copies
from tests.conftest import MINI
from tests.signin import session_token

MEMBER = "anggota@contoh.test"  # a company member with a password (tests.signin.PASSWORD) and answers
ORGANIZATION = "PT Contoh Acara"
FILLED = ("organizations", "assessments", "answers", "answer_changes", "users", "memberships", "auth_sessions",
          "invitations", "sign_in_failures", "audit_events", "standard_copies", "app_secrets", "plan_items",
          "evidence_files", "app_settings", "campaigns", "campaign_members", "reminders", "verifications",
          "verified_answers", "interventions", "intervention_participants", "published_standards",
          "stamps")  # fmt: skip


def fill(database_url: str) -> None:
    """Organizations, a member's submitted assessment and a draft, and a row in every other table."""
    session_token(database_url, MINI.parent, MEMBER, organization=ORGANIZATION)
    app = Gapura(Settings(database_url=database_url, standards_dir=MINI.parent))
    app.accounts.sign_in(MEMBER, "salah-kata-sandi", "tests")  # a sign-in failure
    store = app.store
    work = store.workspace(store.find_organization(ORGANIZATION))
    first = work.start("mini", "1", answers={"A1": Answer(level=3), "B1": Answer(level="na", justification="tidak")})
    work.save_answer(first, "A2", Answer(level=2, note="catatan"))
    work.set_status(first, "submitted")
    work.start("mini", "1", answers={"A1": Answer(level=1)})
    store.ensure_organization({"name": "Asosiasi Uji"}, kind="association")
    standard_copies.keep(store, "mini", "1", "0" * 64, MINI.read_text(encoding="utf-8"))
    store.keep_secret("sign-in-check", "a value")
    with store.session.begin() as s:  # a release remembered by the disclosure gate (0007)
        s.add(
            schema.Release(
                scope="mini@1",
                query="shared-gaps||||",
                kind="shared-gaps",
                members=[1],
                n=1,
                members_hash="0" * 64,
                actor="user:1",
                at=datetime.now(UTC),
            )
        )
        now, org = datetime.now(UTC), work.organization_id
        s.add(schema.PlanItem(organization_id=org, standard_id="mini", criterion_id="A2", owner="Ayu", status="doing",
                              note="", updated_by="user:1", created_at=now, updated_at=now))  # fmt: skip
        s.add(schema.EvidenceFile(organization_id=org, assessment_id=first, standard_id="mini", criterion_id="A2",
                                  name="izin.pdf", media_type="application/pdf", size=8, sha256="0" * 64,
                                  content=b"%PDF-1.4", uploaded_by="user:1", uploaded_at=now))  # fmt: skip
        s.add(schema.AppSetting(name="serves", value="association", updated_by="user:1", updated_at=now))
        s.add(schema.Campaign(id=1, standard_id="mini", standard_version="1", round_name="T0 2027", deadline=now.date(),
                              remind_days=[7, 1], message_id="Mohon isi", message_en="Please assess", sample_size=3,
                              reply_days=14, created_by="user:1", created_at=now))  # fmt: skip
        s.flush()
        s.add(schema.CampaignMember(campaign_id=1, organization_id=org, email=MEMBER, invited_at=now))
        s.add(schema.Reminder(campaign_id=1, organization_id=org, kind="before-7", email=MEMBER,
                              claimed_by="jobs", claimed_at=now, sent_at=now))  # fmt: skip
        s.add(schema.Verification(assessment_id=first, seed="ab" * 8, sample_size=3, sample=["A1"], status="open",
                                  started_by="user:1", started_at=now))  # fmt: skip
        s.add(schema.VerifiedAnswer(assessment_id=first, criterion_id="A1", level=2, na=False, comment="Bukti kurang",
                                    reply="", verified_by="user:1", updated_at=now))  # fmt: skip
        s.add(schema.Intervention(id=1, kind="training", title="Pelatihan K3", started_on=now.date(),
                                  ended_on=now.date(), capabilities=["risk-register"], funder="Kemenparekraf",
                                  note="", created_by="user:1", created_at=now))  # fmt: skip
        s.flush()
        s.add(schema.InterventionParticipant(intervention_id=1, organization_id=org, days=1, added_by="user:1",
                                             added_at=now))  # fmt: skip
    with store.session.begin() as s:
        s.get(schema.Assessment, first).campaign_id = 1
    app.library_admin.retire(cli_actor(), "mini", "1")  # published from the folder at first use, then retired
    app.close()


def tables(engine: Engine, alembic: bool = True) -> dict[str, tuple[list[str], list[dict]]]:
    """Every table's columns and rows (sorted); alembic's own table too unless `alembic` is False."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as c:
        return {
            name: ([col.name for col in table.columns], sorted((dict(r._mapping) for r in c.execute(table.select())), key=repr))
            for name, table in meta.tables.items()
            if alembic or name != "alembic_version"
        }  # fmt: skip
