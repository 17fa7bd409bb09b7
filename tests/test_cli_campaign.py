"""`python -m gapura campaign`: an officer's campaign from a members CSV on the server, and where its members stand;
a bad row gives its line and reason and stores nothing; the command is audited as the OS user."""

import getpass
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from tests.conftest import MINI

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = (datetime.now(UTC).date() + timedelta(days=21)).isoformat()


@pytest.fixture
def gapura(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "GAPURA_STANDARDS_DIR": str(MINI.parent)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gapura", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    run.url = env["DATABASE_URL"]
    return run


def create(gapura, members: Path, *more: str) -> subprocess.CompletedProcess:
    return gapura("campaign", "create", "--standard", "mini", "--round", "T0 2027", "--deadline", DEADLINE,
                  "--members", str(members), *more)  # fmt: skip


def test_create_prints_the_campaign_and_its_invitations_and_status_counts_the_members(gapura, tmp_path):
    members = tmp_path / "anggota.csv"
    members.write_text("organization;email\nPT Satu Acara;satu@acara.test\nCV Dua Acara;dua@acara.test\n",
                       encoding="utf-8-sig")  # fmt: skip
    made = create(gapura, members, "--remind-days", "10,3", "--message-id", "Mohon diisi.")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0] == "campaign 1: 2 invitations"
    assert [line.split("\t")[0] for line in lines[1:]] == ["satu@acara.test", "dua@acara.test"]
    assert all("/?invite=" in line for line in lines[1:])

    status = gapura("campaign", "status", "1", "--format", "json")
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["counts"] == {"invited": 2, "signed_up": 0, "started": 0, "submitted": 0, "verified": 0,
                               "overdue": 0}  # fmt: skip
    assert [(m["organization"], m["stage"]) for m in shown["members"]] == [("CV Dua Acara", "invited"),
                                                                          ("PT Satu Acara", "invited")]  # fmt: skip
    text = gapura("campaign", "status", "1").stdout.splitlines()
    assert text[1] == "invited 2  signed_up 0  started 0  submitted 0  verified 0  overdue 0"

    app = Gapura(Settings(database_url=gapura.url, standards_dir=MINI.parent))
    try:
        (campaign,) = app.campaigns.campaigns(cli_actor())
        assert (campaign.remind_days, campaign.message_id, campaign.standard_version) == ((10, 3), "Mohon diisi.", "1")
        events = [(e.actor, e.action) for e in app.audit.events(cli_actor())]
    finally:
        app.close()
    assert (f"cli:{getpass.getuser()}", "campaign.created") in events


def test_a_bad_row_gives_its_line_and_reason_and_nothing_is_stored(gapura, tmp_path):
    members = tmp_path / "anggota.csv"
    members.write_text("organization,email\nPT Satu,satu@acara.test\nPT Dua,bukan-email\n", encoding="utf-8")
    refused = create(gapura, members)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"{members}: line 3: 'bukan-email' is not an email address"
    assert refused.stdout == ""
    members.write_text("organization,email\nPT Satu,satu@acara.test\n", encoding="utf-8")
    past = gapura("campaign", "create", "--standard", "mini", "--round", "T0", "--deadline", "2020-01-01",
                  "--members", str(members))  # fmt: skip
    assert past.returncode == 2 and "the deadline 2020-01-01 has passed" in past.stderr
    status = gapura("campaign", "status", "1")
    assert status.returncode == 2 and "campaign 1 does not exist" in status.stderr
