"""What a user sees when something is refused or fails: the reason in their language, or a general message with a
reference; never a crash box, a class name or a traceback (AppTest)."""

import re

from streamlit.testing.v1 import AppTest

from tests.signin import PASSWORD
from tests.test_app_pages import library_dir, signed_in  # noqa: F401 - the fixture, and a signed-in tab

CLASS_NAMES = ("Refused", "Denied", "KeyError", "Traceback", "services.", "Exception")


def texts(at) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "success", "markdown") for e in at.get(kind))


def change_password(at, current: str, new: str, again: str | None = None):
    fields = [i for i in at.text_input if i.proto.type == i.proto.PASSWORD]
    fields[0].set_value(current)
    fields[1].set_value(new)
    fields[2].set_value(new if again is None else again)
    next(b for b in at.button if b.label in ("Ganti kata sandi", "Change password")).click().run()
    return at


def account(folder, **query):
    at = signed_in(folder, **query)
    return at.switch_page("ui/pages/account.py").run()


def test_a_wrong_current_password_is_said_plainly_in_both_languages(library_dir):  # noqa: F811
    at = change_password(account(library_dir), "bukan-kata-sandinya", "kata-sandi-baru-123")
    assert not at.exception
    assert [e.value for e in at.error] == ["Kata sandi yang sekarang tidak benar."]
    at = change_password(account(library_dir, lang="en"), "not-the-password", "a-new-password-123")
    assert not at.exception
    assert [e.value for e in at.error] == ["The current password is not right."]
    assert not any(name in texts(at) for name in CLASS_NAMES)


def test_a_too_short_or_repeated_wrongly_new_password_is_said_plainly(library_dir):  # noqa: F811
    at = change_password(account(library_dir), PASSWORD, "pendek")
    assert not at.exception
    assert [e.value for e in at.error] == ["Kata sandi minimal 10 karakter."]
    at = change_password(at, PASSWORD, "kata-sandi-baru-123", "kata-sandi-lain-456")
    assert not at.exception
    assert [e.value for e in at.error] == ["Kedua kata sandi tidak sama."]
    assert not any(name in texts(at) for name in CLASS_NAMES)


def _handler_script(kind: str) -> None:
    import streamlit as st

    from services.accounts import Refused
    from services.policy import ANONYMOUS, Denied
    from ui import errors

    st.session_state.setdefault("lang", st.query_params.get("lang", "id"))
    failures = {
        "denied": lambda: Denied(ANONYMOUS, "read", "audit_log"),
        "refused": lambda: Refused("password.too-short", minimum=10),
        "unexpected": lambda: KeyError("work-salt"),
    }
    try:
        raise failures[kind]()
    except Exception as exc:
        errors.show(exc)


def handled(kind: str, lang: str = "id"):
    at = AppTest.from_function(_handler_script, args=(kind,), default_timeout=30)
    at.query_params["lang"] = lang
    return at.run()


def test_the_one_handler_says_a_refusal_or_a_denial_in_the_users_language():
    assert [e.value for e in handled("denied").error] == ["Anda tidak punya akses ke sini."]
    assert [e.value for e in handled("denied", "en").error] == ["You do not have access to this."]
    assert [e.value for e in handled("refused").error] == ["Kata sandi minimal 10 karakter."]
    assert [e.value for e in handled("refused", "en").error] == ["The password needs at least 10 characters."]


def test_anything_else_gets_a_general_message_with_a_reference_and_no_detail(caplog):
    at = handled("unexpected")
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert shown.startswith("Ada yang tidak beres di halaman ini")
    reference = re.search(r"kode ini: ([0-9a-f]{8})\.$", shown).group(1)
    assert not any(name in shown for name in (*CLASS_NAMES, "work-salt"))
    assert reference in caplog.text and "KeyError" in caplog.text  # the detail is in the server log
    (shown,) = [e.value for e in handled("unexpected", "en").error]
    assert shown.startswith("Something went wrong on this page")
