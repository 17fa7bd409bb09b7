"""The research data package from a real database (SQLite and PostgreSQL): pseudonymous ids that stay the same,
no name, note or evidence in any byte of any format, coarsened cohort fields, the threshold, names for admins only,
and the command line's data package validated by frictionless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from scoring.disclosure import pseudonym
from scoring.formats import FORMATS
from scoring.model import Answer
from services.panels import Filters
from services.policy import Denied, cli_actor
from services.research import Selection
from tests.conftest import ROOT
from tests.test_formats import _every_text

NOTE = "Catatan rahasia: klien kami PT Sangat Rahasia"
EVIDENCE = "https://drive.test/bukti-rahasia-4471"
# Seven companies; one alone in Papua with 101+ staff, whose place and size a researcher must not see as such.
COMPANIES = [(f"PT Nama Asli {i}", "Jawa Barat", "11-50") for i in range(6)] + [("CV Unik Papua", "Papua", "101+")]


@pytest.fixture
def members(gapura):
    mini = gapura.standard("mini", None)
    gapura.standards.remember(mini)
    for k, (name, province, size) in enumerate(COMPANIES):
        org = gapura.store.ensure_organization({"name": name, "region": province, "size": size,
                                                "segments": ["concert-festival"]})  # fmt: skip
        answers = {"A1": Answer(level=k % 5, note=NOTE, evidence=(EVIDENCE,)), "A2": Answer(level=4),
                   "B1": Answer(level="na", justification="Tidak ada acara luar ruang " + name), "B2": Answer(level=2)}  # fmt: skip
        gapura.store.workspace(org).start("mini", mini.version, answers=answers)
    return mini


def selection(mini, **kw) -> Selection:
    return Selection("mini", mini.version, **kw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_name_note_or_evidence_in_any_byte_of_any_format(gapura, members, fmt, tmp_path):
    package = gapura.research.package(cli_actor(), selection(members))
    blobs = b"\0".join(_every_text(fmt, gapura.research.files(package, fmt), tmp_path)).lower()
    secrets = [name for name, _, _ in COMPANIES] + [NOTE, EVIDENCE, "Tidak ada acara luar ruang", "Nama Asli"]
    for secret in secrets:
        assert secret.lower().encode() not in blobs, (fmt, secret)
    assert b"papua" not in blobs  # the one company in Papua is shown coarser (its island group, then national)


def test_pseudonyms_are_keyed_with_the_apps_key_and_stable(gapura, members):
    first = gapura.research.package(cli_actor(), selection(members)).dataset.wide
    again = gapura.research.package(cli_actor(), selection(members)).dataset.wide
    assert list(first["organization"]) == list(again["organization"])
    secret = gapura._pseudonym_secret()  # the key file's (tests/persistence/test_pseudonym_key.py)
    org = gapura.store.find_organization("PT Nama Asli 0")
    assert pseudonym(secret, "organization", org) in set(first["organization"])
    assert len(secret) == 64 and gapura._pseudonym_secret() == secret


def test_common_cohort_fields_are_kept_and_a_company_alone_on_every_field_is_withheld(gapura, members):
    package = gapura.research.package(cli_actor(), selection(members))
    wide = package.dataset.wide
    assert (wide["province"] == "Jawa Barat").sum() == 6 and len(wide) == 6  # the Papua company is not released
    assert package.disclosure.suppressed == {"rows": 1} and package.disclosure.k == 5


def test_a_selection_of_fewer_than_five_companies_is_refused(gapura, members):
    package = gapura.research.package(cli_actor(), selection(members, filters=Filters(province="Papua")))
    # Papua's one company was withheld from the release: a filter selects on released values, so it finds none.
    assert package.dataset is None and package.refused.code == "disclosure.too-few" and package.organizations == 0


def test_names_and_free_text_only_for_admins(gapura, members):
    from tests.signin import session_token

    token = session_token(gapura.settings.database_url, gapura.settings.standards_dir, "peneliti@kementerian.test",
                          roles=("researcher",))  # fmt: skip
    researcher = gapura.accounts.actor_for_session(token)
    assert gapura.research.package(researcher, selection(members)).dataset is not None
    with pytest.raises(Denied):
        gapura.research.package(researcher, selection(members), with_names=True)
    full = gapura.research.package(cli_actor(), selection(members), with_names=True).dataset.tidy
    assert "PT Nama Asli 0" in set(full["organization_name"]) and NOTE in set(full["note"])


def test_the_export_command_writes_a_data_package_that_validates(gapura, members, tmp_path):
    if not gapura.settings.database_url.startswith("sqlite"):
        pytest.skip("the command line is the same on both; once is enough")
    from frictionless import validate

    env = os.environ | {"DATABASE_URL": gapura.settings.database_url,
                        "GAPURA_STANDARDS_DIR": str(gapura.settings.standards_dir)}  # fmt: skip
    out = tmp_path / "package"
    done = subprocess.run([sys.executable, "-m", "gapura", "export", "--standard", "mini", "--format", "datapackage",
                           "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pseudonymous" in done.stdout
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} >= {"tidy", "wide", "criteria"}
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    refused = subprocess.run([sys.executable, "-m", "gapura", "export", "--standard", "mini", "--format", "csv",
                              "--province", "Papua", "--out", str(tmp_path / "x.zip")], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=180)  # fmt: skip
    assert refused.returncode == 2 and "fewer than 5" in refused.stderr and not (tmp_path / "x.zip").exists()


def test_the_export_command_writes_one_workbook_or_one_zip_as_the_page_offers_them(gapura, members, tmp_path):
    if not gapura.settings.database_url.startswith("sqlite"):
        pytest.skip("the command line is the same on both; once is enough")
    env = os.environ | {"DATABASE_URL": gapura.settings.database_url,
                        "GAPURA_STANDARDS_DIR": str(gapura.settings.standards_dir)}  # fmt: skip
    for fmt, name in (("xlsx", "riset.xlsx"), ("csv", "riset.zip")):
        done = subprocess.run([sys.executable, "-m", "gapura", "export", "--standard", "mini", "--format", fmt,
                               "--out", str(tmp_path / name)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=180)  # fmt: skip
        assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "riset.xlsx")
    assert {"tidy", "wide", "criteria", "codebook", "rules"} <= set(book.sheetnames)
    with zipfile.ZipFile(tmp_path / "riset.zip") as archive:
        tidy = archive.read("riset/tidy.csv").decode("utf-8")
    assert tidy.count("\r\n") - 1 == book["tidy"].max_row - 1 > 0  # the same rows in both files
