"""Evidence files through the services, on SQLite and PostgreSQL: attached to a draft's criterion and read back
byte for byte (also by a new Gapura on the same database), refused by content and size, kept behind the criterion
into the next round, seen only by the company and officers, in the UU PDP download, erased with the organization,
and never in research data."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from scoring.formats import FORMATS
from scoring.model import Answer
from services.app import Gapura
from services.assessing import Refused
from services.personal_data import DATA_FILE
from services.policy import Denied, cli_actor
from services.research import Selection
from store import schema
from tests.evidence_files import ELF, JPEG, pdf, png
from tests.persistence.people import person
from tests.test_formats import _every_text

TODAY = date.today()


@pytest.fixture
def company(gapura):
    org = gapura.store.ensure_organization({"name": "PT Bukti Lestari"})
    member = person(gapura, organizations=[org])
    work = gapura.assessing.start(member, gapura.standard("mini", "1"), org, {}, "id").work
    return org, member, work


def _codes(refused: pytest.ExceptionInfo) -> list[str]:
    return [i.code for i in refused.value.issues]


def _count(app: Gapura, organization_id: int | None = None) -> int:
    query = select(func.count()).select_from(schema.EvidenceFile)
    if organization_id is not None:
        query = query.where(schema.EvidenceFile.organization_id == organization_id)
    with app.store.session() as s:
        return s.scalar(query)


def test_a_member_attaches_downloads_changes_the_expiry_of_and_removes_a_document(gapura, company):
    org, member, work = company
    content = pdf()
    doc = gapura.evidence.attach(member, work, "A1", "scan/../Izin\u202e keramaian.PDF", content, TODAY)
    assert (doc.criterion_id, doc.name, doc.media_type, doc.size) == ("A1", "Izin keramaian.pdf", "application/pdf",
                                                                     len(content))  # fmt: skip
    photo = gapura.evidence.attach(member, work, "A1", "foto.pdf", png(), None)  # a PNG named .pdf: a PNG
    assert (photo.name, photo.media_type) == ("foto.png", "image/png")
    assert [d.id for d in gapura.evidence.documents(member, work)] == [doc.id, photo.id]
    got = gapura.evidence.content(member, doc.id)
    assert (got.name, got.media_type, got.data) == ("Izin keramaian.pdf", "application/pdf", content)

    gapura.evidence.set_expiry(member, work, doc.id, TODAY + timedelta(days=400))
    assert gapura.evidence.documents(member, work)[0].expires_on == TODAY + timedelta(days=400)
    gapura.evidence.remove(member, work, photo.id)
    assert [d.id for d in gapura.evidence.documents(member, work)] == [doc.id]
    with pytest.raises(Refused) as gone:
        gapura.evidence.remove(member, work, photo.id)
    assert _codes(gone) == ["evidence.not-found"]
    actions = [e.action for e in gapura.audit.events(cli_actor())]
    for action in ("evidence.attach", "evidence.download", "evidence.expiry", "evidence.remove"):
        assert action in actions


@pytest.mark.parametrize(
    ("data", "code"),
    [(ELF, "evidence.executable"), (b"MZ" + b"\0" * 100, "evidence.executable"), (b"PK\x03\x04" + b"\0" * 100,
     "evidence.wrong-type"), (b"<html><body>izin</body></html>", "evidence.unrecognised"), (b"", "evidence.empty")],
)  # fmt: skip
def test_a_file_that_is_not_a_pdf_jpeg_or_png_by_its_content_is_refused_whatever_its_name(gapura, company, data, code):
    org, member, work = company
    with pytest.raises(Refused) as refused:
        gapura.evidence.attach(member, work, "A1", "izin-usaha.pdf", data, None)
    assert _codes(refused) == [code]
    assert _count(gapura) == 0


def test_the_size_limit_is_a_setting(gapura, company):
    org, member, work = company
    small = Gapura(replace(gapura.settings, evidence_mb=1))
    try:
        exactly = JPEG + b"\0" * (1024 * 1024 - len(JPEG))
        assert small.evidence.attach(member, work, "A1", "foto.jpg", exactly, None).size == 1024 * 1024
        with pytest.raises(Refused) as refused:
            small.evidence.attach(member, work, "A1", "foto.jpg", exactly + b"\0", None)
        assert _codes(refused) == ["evidence.too-large"]
        assert "1 MB" in refused.value.issues[0].message("id")
    finally:
        small.close()
    assert gapura.settings.evidence_mb == 10  # the default


def test_an_unknown_criterion_and_a_submitted_round_are_refused_like_answers(gapura, company):
    org, member, work = company
    with pytest.raises(Refused) as unknown:
        gapura.evidence.attach(member, work, "Z9", "izin.pdf", pdf(), None)
    assert _codes(unknown) == ["assessment.unknown-criterion"]
    doc = gapura.evidence.attach(member, work, "A1", "izin.pdf", pdf(), None)
    for cid in ("A1", "A2", "B1", "B2"):
        gapura.assessing.answer(member, work, cid, Answer(level=3))
    gapura.assessing.submit(member, work)
    for write in (
        lambda: gapura.evidence.attach(member, work, "A1", "lain.pdf", pdf(), None),
        lambda: gapura.evidence.set_expiry(member, work, doc.id, TODAY),
        lambda: gapura.evidence.remove(member, work, doc.id),
    ):
        with pytest.raises(Refused) as submitted:
            write()
        assert _codes(submitted) == ["lifecycle.not-draft"]
    assert [d.expires_on for d in gapura.evidence.documents(member, work)] == [None]


def test_a_document_stays_behind_its_criterion_in_the_next_round_and_not_in_earlier_ones(gapura, company):
    org, member, work = company
    first = gapura.evidence.attach(member, work, "A1", "izin-2026.pdf", pdf(), TODAY + timedelta(days=10))
    for cid in ("A1", "A2", "B1", "B2"):
        gapura.assessing.answer(member, work, cid, Answer(level=3))
    gapura.assessing.submit(member, work)
    second_round = gapura.assessing.next_round(member, work, "1")
    assert [d.id for d in gapura.evidence.documents(member, second_round)] == [first.id]
    later = gapura.evidence.attach(member, second_round, "A1", "izin-2027.pdf", pdf(), None)
    assert [d.id for d in gapura.evidence.documents(member, second_round)] == [first.id, later.id]
    assert [d.id for d in gapura.evidence.documents(member, work)] == [first.id]  # round 1 stays as submitted
    register = gapura.evidence.register(member, org)
    assert [(f.document.id, f.standard_id, f.round) for f in register] == [(first.id, "mini", 1), (later.id, "mini", 2)]


def test_the_register_flags_expired_and_expiring_documents(gapura, company):
    org, member, work = company
    for name, expires in [("lama", TODAY - timedelta(days=1)), ("hari-ini", TODAY), ("segera", TODAY + timedelta(days=29)),
                          ("nanti", TODAY + timedelta(days=30)), ("selamanya", None)]:  # fmt: skip
        gapura.evidence.attach(member, work, "A1", f"{name}.pdf", pdf(), expires)
    flags = {f.document.name: f.document.flag(TODAY) for f in gapura.evidence.register(member, org)}
    assert flags == {"lama.pdf": "expired", "hari-ini.pdf": "expiring", "segera.pdf": "expiring", "nanti.pdf": None,
                     "selamanya.pdf": None}  # fmt: skip


def test_the_files_survive_a_restart(gapura, company):
    org, member, work = company
    content = pdf("Sertifikat K3")
    doc = gapura.evidence.attach(member, work, "A2", "sertifikat.pdf", content, TODAY)
    gapura.close()
    again = Gapura(gapura.settings)  # a new server process on the same database
    try:
        assert again.evidence.content(member, doc.id).data == content
        reopened = again.assessing.open(member, org, work.assessment_id)
        assert [(d.id, d.expires_on) for d in again.evidence.documents(member, reopened)] == [(doc.id, TODAY)]
    finally:
        again.close()


def test_only_the_company_and_officers_see_a_document(gapura, company):
    org, member, work = company
    doc = gapura.evidence.attach(member, work, "A1", "izin.pdf", pdf(), None)
    other = person(gapura, organizations=[gapura.store.ensure_organization({"name": "PT Pesaing"})])
    officer, researcher, admin = (person(gapura, roles=[r]) for r in ("officer", "researcher", "admin"))
    assert gapura.evidence.content(officer, doc.id).data == gapura.evidence.content(member, doc.id).data
    assert org in [o[0] for o in gapura.evidence.organizations(officer)]
    assert [o[0] for o in gapura.evidence.organizations(member)] == [org]
    for stranger in (other, researcher, admin):
        for call, argument in (
            (gapura.evidence.content, doc.id),
            (gapura.evidence.register, org),
            (gapura.evidence.documents, work),
        ):
            with pytest.raises(Denied) as denied:
                call(stranger, argument)
            assert (denied.value.resource, denied.value.action) == ("evidence", "read")
    for outsider in (other, officer):  # an officer reads members' evidence but never changes it
        with pytest.raises(Denied) as denied:
            gapura.evidence.remove(outsider, work, doc.id)
        assert (denied.value.resource, denied.value.action) == ("evidence", "write")
    assert _count(gapura) == 1


def test_the_uu_pdp_download_holds_the_files_and_erasure_leaves_none(gapura, company):
    org, member, work = company
    content = pdf("Polis asuransi")
    doc = gapura.evidence.attach(member, work, "B1", "polis.pdf", content, TODAY)
    keep = gapura.store.ensure_organization({"name": "PT Tetap Ada"})
    kept_work = gapura.assessing.start(cli_actor(), gapura.standard("mini", "1"), keep, {}, "id").work
    gapura.evidence.attach(cli_actor(), kept_work, "A1", "milik-lain.pdf", pdf(), None)

    archive = zipfile.ZipFile(io.BytesIO(gapura.personal_data.export(member, org)))
    (listed,) = json.loads(archive.read(DATA_FILE))["evidence_files"]
    assert (listed["name"], listed["criterion"], listed["expires_on"]) == ("polis.pdf", "B1", TODAY.isoformat())
    assert archive.read(listed["file"]) == content and listed["file"] == f"evidence/{doc.id}-polis.pdf"
    assert "milik-lain.pdf" not in str(archive.namelist())  # another organization's: not in this one's download

    admin = person(gapura, roles=["admin"])
    assert gapura.personal_data.erase(admin, org, "PT Bukti Lestari")
    assert _count(gapura, org) == 0
    assert _count(gapura) == 1  # the other organization's stays


SECRET_NAME = "izin-rahasia-7731"
SECRET_BYTES = "Isi dokumen rahasia 5520"


def test_evidence_files_never_enter_research_data(gapura, tmp_path):
    mini = gapura.standard("mini", None)
    cli = cli_actor()
    for k in range(6):
        org = gapura.store.ensure_organization({"name": f"PT Anggota {k}", "region": "Jawa Barat", "size": "11-50"})
        work = gapura.assessing.start(cli, mini, org, {}, "id").work
        for cid in ("A1", "A2", "B1", "B2"):
            gapura.assessing.answer(cli, work, cid, Answer(level=k % 5))
        gapura.evidence.attach(cli, work, "A1", f"{SECRET_NAME}.pdf", pdf(SECRET_BYTES), TODAY)
        gapura.evidence.attach(cli, work, "A2", f"{SECRET_NAME}.png", png(), None)
    assert _count(gapura) == 12
    for with_names in (False, True):
        package = gapura.research.package(cli, Selection("mini", mini.version), with_names)
        assert package.dataset is not None
        for table in (package.dataset.tidy, package.dataset.wide, package.dataset.criteria):
            columns = " ".join(map(str, table.columns)).lower()
            assert not any(word in columns for word in ("file", "document", "media", "sha256", "expire")), columns
        for fmt in FORMATS:
            blobs = b"\0".join(_every_text(fmt, gapura.research.files(package, fmt), tmp_path))
            assert SECRET_NAME.encode() not in blobs, (fmt, with_names)
            assert SECRET_BYTES.encode() not in blobs and pdf(SECRET_BYTES)[-200:] not in blobs, (fmt, with_names)
