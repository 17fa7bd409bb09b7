"""Issue 8, "nothing lost, nothing crashes": any text a user types or a file holds is stored on SQLite and on
PostgreSQL alike (PostgreSQL refuses NUL in text), and a profile the model refuses is explained, never a crash."""

import json

import pytest

from scoring.model import Answer
from services.policy import Actor
from tests.conftest import MINI_ANSWERS
from tests.persistence.people import person

CLI = Actor("cli", system=True)


def member_of(gapura, name="PT Uji Acara"):
    organization_id = gapura.store.ensure_organization({"name": name})
    return person(gapura, organizations=[organization_id]), organization_id


def test_an_answer_with_nul_and_control_characters_is_saved_without_them(gapura):
    actor, org = member_of(gapura)
    work = gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {}, "en").work
    typed = Answer(
        level=2, note="baris satu\x00\r\nbaris\x07 dua\x1b[31m", evidence=["SOP\x00 K3", "\x85https://a.id/x"]
    )
    assert gapura.assessing.answer(actor, work, "A2", typed)
    gapura.assessing.answer(actor, work, "B1", Answer(level="na", justification="tidak\x00 ada acara luar\x9b"))
    stored = gapura.assessing.reload(actor, work).answers
    assert stored["A2"].note == "baris satu\nbaris dua[31m"
    assert stored["A2"].evidence == ("SOP K3", "https://a.id/x")
    assert stored["B1"].justification == "tidak ada acara luar" and stored["B1"].given
    assert [c["new"]["note"] for c in gapura.assessing.history(actor, work, "A2")] == ["baris satu\nbaris dua[31m"]


def test_an_assessment_file_with_nul_escapes_imports_without_them(gapura):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["organization"]["name"] = "PT Nul\u0000 Acara"
    data["answers"]["A2"]["note"] = "Ditulis\u0000 2025"
    data["answers"]["A2"]["evidence"] = ["SOP\u0000"]
    data["answers"]["B1"]["justification"] = "Tidak ada\u0000 acara luar"
    raw = json.dumps(data).encode()  # the escape \u0000 as JSON writes it
    assert b"\\u0000" in raw
    (line,) = gapura.transfer.import_files(CLI, [("nul.json", raw)])
    assert line.outcome == "imported", [i.message() for i in line.issues]
    stored = gapura.store.workspace(line.organization_id).load(line.assessment_id)
    assert stored.summary.organization == "PT Nul Acara"
    assert stored.answers["A2"].note == "Ditulis 2025" and stored.answers["A2"].evidence == ("SOP",)
    assert stored.answers["B1"].justification == "Tidak ada acara luar"
    (again,) = gapura.transfer.import_files(CLI, [("nul.json", raw)])
    assert again.outcome == "duplicate"


def test_a_standard_file_with_a_nul_escape_is_kept_and_reopens_from_its_stored_copy(gapura, tmp_path):
    """JSON cannot hold a raw NUL inside a string, only the escape; the stored copy keeps the file's text, so the
    escape stays six plain characters and PostgreSQL stores it."""
    from dataclasses import replace

    from services.app import Gapura
    from tests.conftest import MINI

    folder = tmp_path / "standards"
    folder.mkdir()
    text = MINI.read_text(encoding="utf-8").replace('"Plan written"', '"Plan\\u0000 written"')
    (folder / "mini.json").write_text(text, encoding="utf-8")
    app = Gapura(replace(gapura.settings, standards_dir=folder))
    actor, org = member_of(app)
    work = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    app.assessing.answer(actor, work, "A2", Answer(level=1))
    (folder / "mini.json").unlink()
    reopened = app.assessing.open(actor, org, work.assessment_id)
    standard = app.standard(*reopened.standard_key)
    assert standard.criterion("A2").title["en"] == "Plan\x00 written"
    assert reopened.answers["A2"].level == 1
    app.close()


def test_an_email_with_nul_or_far_too_long_signs_in_and_invites_like_any_other(gapura):
    """A pasted NUL or an absurd length in the sign-in form is a failed sign-in, not a database error."""
    from services.accounts import Refusal, Refused, SignedIn

    accounts = gapura.accounts
    admin = accounts.first_run("admin@example.org", "correct horse battery", "Asosiasi")
    assert isinstance(accounts.sign_in("admin@exam\x00ple.org", "correct horse battery", "c\x00lient"), SignedIn)
    for typed in ("nobody\x00@example.org", "x" * 300 + "@example.org"):
        assert accounts.sign_in(typed, "wrong password!", "10.0.0.1") == Refusal("sign-in.failed")
    link = accounts.invite(admin, "baru\x00@example.org", role="officer")
    assert link.email == "baru@example.org"
    signed = accounts.accept_invitation(link.token, "officer password", name="Siti\x00 Rahma")
    assert [u.name for u in accounts.list_users(admin) if u.id == signed.actor.user_id] == ["Siti Rahma"]
    with pytest.raises(Refused) as refused:
        accounts.invite(admin, "y" * 300 + "@example.org", role="officer")
    assert refused.value.code == "email.invalid"


def stored_profile(gapura, org):
    with gapura.store.session() as s:
        from store import schema

        row = s.get(schema.Organization, org)
        return {"region": row.region, "size": row.size, "segments": row.segments}


@pytest.mark.parametrize(
    ("profile", "code", "english", "indonesian"),
    [
        ({"region": "Jawa Barat" * 11}, "value.too-long", "region is too long (at most 100)",
         "region terlalu panjang (maksimal 100)"),
        ({"segments": ["wedding-social"] * 51}, "value.too-long", "segments is too long (at most 50)",
         "segments terlalu panjang (maksimal 50)"),
        ({"segments": ["x" * 61]}, "value.too-long", "segments is too long (at most 60)",
         "segments terlalu panjang (maksimal 60)"),
        ({"size": "11-50 orang"}, "profile.unknown-size", "'11-50 orang' is not a size band",
         "'11-50 orang' bukan kelompok ukuran"),
        ({"region": "Atlantis"}, "profile.unknown-region", "'Atlantis' is not a province",
         "'Atlantis' bukan nama provinsi"),
        ({"segments": ["corporate", "wedding"]}, "profile.unknown-segment", "'wedding' is not an event segment",
         "'wedding' bukan jenis acara"),
    ],
)  # fmt: skip
def test_a_profile_the_model_or_the_form_refuses_is_explained_and_nothing_is_stored(
    gapura, profile, code, english, indonesian
):
    from services.assessing import Refused

    actor, org = member_of(gapura)
    gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {"region": "Bali", "size": "1-4"}, "en")
    before = stored_profile(gapura, org)
    with pytest.raises(Refused) as refused:
        gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {"size": "5-10"} | profile, "id")
    (issue,) = refused.value.issues
    assert issue.code == code
    assert issue.message("en").startswith(english) and issue.message("id").startswith(indonesian)
    assert stored_profile(gapura, org) == before == {"region": "Bali", "size": "1-4", "segments": []}


def test_the_store_checks_a_profile_with_the_model_before_writing(gapura):
    from pydantic import ValidationError

    org = gapura.store.ensure_organization(
        {"name": "PT\u200b Maju\x00 ", "region": " Bali\u202e", "segments": ["a\x00"]}
    )
    assert stored_profile(gapura, org) == {"region": "Bali", "size": None, "segments": ["a"]}
    assert gapura.store.profile(org)["name"] == "PT Maju"
    for bad in ({"name": "PT Maju", "region": "r" * 101}, {"name": "ß" * 150}, {"name": "PT Baru", "size": "s" * 21}):
        with pytest.raises(ValidationError):
            gapura.store.ensure_organization(bad)
    with pytest.raises(ValidationError):
        gapura.store.update_profile(org, {"region": "r" * 101})
    assert [name for _, name, _ in gapura.store.organizations()] == ["PT Maju"]
    assert stored_profile(gapura, org)["region"] == "Bali"


def test_an_association_name_the_model_refuses_is_explained(gapura):
    from services.assessing import Refused

    officer = person(gapura, roles=["officer"])
    with pytest.raises(Refused) as refused:
        gapura.assessing.association(officer, "ß" * 150)
    assert refused.value.issues[0].code == "organization.name-key-too-long"
    assert gapura.store.organizations() == []
