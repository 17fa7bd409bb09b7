"""UU PDP: an organization downloads everything stored about it, an admin erases it; admins publish and retire
standard versions. Each through the services, on SQLite and PostgreSQL."""

import io
import json
import shutil
import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from scoring.model import Answer
from services.app import Gapura
from services.personal_data import DATA_FILE
from services.policy import cli_actor
from store import schema
from tests.conftest import MINI
from tests.persistence.people import person


def test_a_member_downloads_everything_about_its_organization_and_an_admin_erases_it(gapura):
    org = gapura.store.ensure_organization({"name": "PT Data Kami", "region": "Bali"})
    member = person(gapura, organizations=[org])
    admin = person(gapura, roles=["admin"])
    work = gapura.assessing.start(member, gapura.standard("mini", "1"), org, {}, "id").work
    gapura.assessing.answer(member, work, "A1", Answer(level=3, note="rahasia dagang", evidence=["https://x.test/a"]))
    document = json.loads(zipfile.ZipFile(io.BytesIO(gapura.personal_data.export(member, org))).read(DATA_FILE))
    assert document["organization"]["name"] == "PT Data Kami" and document["organization"]["region"] == "Bali"
    (assessment,) = document["assessments"]
    assert assessment["answers"]["A1"]["note"] == "rahasia dagang"
    assert [c["criterion"] for c in assessment["changes"]] == ["A1"]

    assert not gapura.personal_data.erase(admin, org, "PT Data Lain")  # the confirmation must name it
    assert gapura.personal_data.erase(admin, org, "  pt data KAMI ")
    with gapura.store.session() as s:
        for table in (schema.Organization, schema.Assessment, schema.Answer, schema.AnswerChange):
            assert s.scalar(select(func.count()).select_from(table)) == 0, table.__tablename__
    actions = [(e.action, e.target) for e in gapura.audit.events(admin)]
    assert ("personal-data.export", f"organization:{org}") in actions
    assert ("organization.erase", f"organization:{org}") in actions
    assert "PT Data Kami" not in json.dumps([e.detail for e in gapura.audit.events(admin)])


@pytest.fixture
def admin_library(gapura, tmp_path):
    folder = tmp_path / "standards"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.json")
    app = Gapura(replace(gapura.settings, standards_dir=folder))
    yield app, folder
    app.close()


def test_an_admin_publishes_a_valid_new_version_and_retires_the_old_one(admin_library):
    app, folder = admin_library
    admin = person(app, roles=["admin"])
    data = json.loads(MINI.read_text(encoding="utf-8"))
    again = app.library_admin.publish(admin, "mini.json", json.dumps(data).encode())
    assert [i.code for i in again.errors] == ["standard.duplicate-version"]  # version 1 is already there
    broken = app.library_admin.publish(admin, "x.json", b'{"id": "Bad Id"}')
    assert broken.errors and [r.version for r in app.library_admin.versions()] == ["1"]
    data["version"] = "2"
    published = app.library_admin.publish(admin, "mini-2.json", json.dumps(data).encode())
    assert published.valid and not (folder / "mini-2.json").exists()  # published into the database, not the folder
    assert [s.version for s in app.standards_library.offered("organization")] == ["2"]
    assert app.library_admin.versions()[1].published_by == admin.email
    app.library_admin.retire(admin, "mini", "2")
    assert [s.version for s in app.standards_library.offered("organization")] == ["1"]
    assert app.standard("mini", "2") is not None  # retired: not offered for new assessments, still opens
    actions = [e.action for e in app.audit.events(cli_actor())]
    assert actions.count("standard.publish") == 1 and "standard.retire" in actions
