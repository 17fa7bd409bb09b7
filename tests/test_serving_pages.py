"""Whom this Gapura serves, through the pages: the first-run form asks, the navigation shows the menus that fit, and
the admin changes it on the Organizations page. A company's Gapura keeps the admin's pages."""

import pytest
from streamlit.testing.v1 import AppTest

from services.app import Gapura
from services.settings import Settings
from tests.signin import ADMIN, PASSWORD
from tests.test_app_pages import APP, library_dir, pages_of, signed_in  # noqa: F401

ASSOCIATION_PAGES = {"association.py", "members.py", "compare.py", "progress.py", "campaigns.py", "import_files.py",
                     "shared_gaps.py", "research_data.py"}  # fmt: skip
ADMIN_PAGES = {"people.py", "organizations.py", "standards_admin.py", "audit_log.py", "account.py", "standards.py"}


def serves(folder) -> str:
    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=folder))
    try:
        return app.serving.serves()
    finally:
        app.close()


@pytest.fixture(autouse=True)
def client(monkeypatch):
    # AppTest's st.context is a stand-in with no client address: the throttle's key is given one.
    monkeypatch.setattr("ui.auth._client", lambda: "tests")


def first_run(folder, choice: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "Selamat datang di Gapura"
    question = at.radio(key="first-serves")
    assert question.label == "Gapura ini dipakai oleh siapa?" and question.value == "company"
    question.set_value(choice)
    at.text_input(key="first-organization").input("PT Satu Saja")
    at.text_input(key="first-email").input(ADMIN)
    at.text_input(key="first-password").input(PASSWORD)
    at.text_input(key="first-again").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception


def test_a_company_set_up_first_sees_only_a_companys_menus(library_dir):  # noqa: F811
    first_run(library_dir, "company")
    assert serves(library_dir) == "company"
    pages = pages_of(signed_in(library_dir, ADMIN, organization=None))
    assert not pages & ASSOCIATION_PAGES
    assert {"assess.py", "results.py"} | ADMIN_PAGES <= pages


def test_an_association_set_up_first_sees_the_associations_menus(library_dir):  # noqa: F811
    first_run(library_dir, "association")
    assert serves(library_dir) == "association"
    assert pages_of(signed_in(library_dir, ADMIN, organization=None)) >= ASSOCIATION_PAGES | ADMIN_PAGES


def test_a_database_from_before_the_question_keeps_the_associations_menus(library_dir):  # noqa: F811
    at = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer", "admin"))
    assert serves(library_dir) == "association"
    assert pages_of(at) >= ASSOCIATION_PAGES


@pytest.mark.parametrize(("choice", "shown"), [("company", False), ("association", True)])
def test_the_admin_changes_it_on_the_organizations_page(library_dir, choice, shown):  # noqa: F811
    at = signed_in(library_dir, "admin-kedua@gapura.test", organization=None, roles=("admin", "officer"))
    at.switch_page("ui/pages/organizations.py").run()
    at.radio(key="serves-choice").set_value("association" if choice == "company" else "company")
    at.button(key="FormSubmitter:serves-Simpan").click().run()
    at.radio(key="serves-choice").set_value(choice)
    at.button(key="FormSubmitter:serves-Simpan").click().run()
    assert not at.exception
    assert serves(library_dir) == choice
    assert (pages_of(at) >= ASSOCIATION_PAGES) is shown and not (pages_of(at) & ASSOCIATION_PAGES and not shown)
    assert pages_of(at) >= ADMIN_PAGES
    assert any(h.value == "Data contoh" for h in at.subheader) is shown  # demo data: an association's only
