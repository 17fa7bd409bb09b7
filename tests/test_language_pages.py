"""The pages in the user's language: remembered per account, and no English inside the Indonesian pages."""

import pytest

from tests.test_app_pages import library_dir, signed_in  # noqa: F401
from tests.test_association_pages import figure, officer, six  # noqa: F401


@pytest.fixture
def folder(library_dir):  # noqa: F811
    """The mini standard's library and a fresh database (tests/test_app_pages.py)."""
    return library_dir


def test_the_language_chosen_comes_back_at_the_next_sign_in(folder):
    at = signed_in(folder)
    assert at.title[0].value == "Penilaian mandiri"
    at.button_group(key="lang-choice").set_value("en").run()
    assert at.title[0].value == "Self-assessment"
    at.switch_page("ui/pages/account.py").run()
    at.button(key="sign-out").click().run()
    assert at.title[0].value == "Sign in to Gapura"  # the tab keeps its language when signed out
    again = signed_in(folder, lang="id")  # signs in again, on another device whose address says Indonesian
    assert not again.exception
    assert again.title[0].value == "Self-assessment" and again.button_group(key="lang-choice").value == "en"
    again.button_group(key="lang-choice").set_value("id").run()
    assert signed_in(folder).title[0].value == "Penilaian mandiri"


def test_the_agenda_chart_writes_its_decimals_the_languages_way(six):  # noqa: F811
    at = officer(six[0], "shared_gaps.py")
    assert figure(at, 0)["layout"]["separators"] == ",."  # 2,1 points, as the Indonesian page writes them
    points = at.dataframe[0].value["Rata-rata tambahan poin"]
    assert points.str.fullmatch(r"\d+,\d\d").all(), list(points)  # the table too
    at.button_group(key="lang-choice").set_value("en").run()
    assert figure(at, 0)["layout"]["separators"] == ".,"
