"""Signing in: the first-run form, the sign-in form, invitation and reset links, and the cookie that keeps a
browser signed in across reloads (a random session token, set by the server; the database keeps only its hash)."""

from __future__ import annotations

import streamlit as st

from services.accounts import Refused, SignedIn
from services.policy import ANONYMOUS, Actor
from services.serving import SERVES
from ui import context, http
from ui.http import COOKIE
from ui.i18n import t

TOKEN = "session-token"
HANDING_OFF = "handing-off"  # the browser is on its way to the session route, which sets its cookie
SSO_LOGOUT = "sso-logout"
SIGNED_OUT = "signed-out"


def _client() -> str:
    """Who is knocking, for throttling: the connection's address, or a trusted proxy's forwarded one."""
    forwarded = st.context.headers.get_all("x-forwarded-for")
    return context.app().accounts.client_address(st.context.ip_address, forwarded)


def signed_in(token: str, page: str = "", **notice: str) -> None:
    """Trade the tab's new session for a one-time code and send the browser to the server's session route, which
    sets the cookie (HttpOnly: no script can read it) and brings the browser back to `page` of the app."""
    st.session_state.pop(SIGNED_OUT, None)
    code = context.app().accounts.hand_off(token)
    if code is None:  # the session ended meanwhile: the sign-in page again
        return
    st.session_state[HANDING_OFF] = True
    http.go(http.SESSION_ROUTE, code=code, next=http.here(page, **notice))


def current_actor() -> Actor:
    """The signed-in user of this tab, from its session token or the browser's cookie; else the anonymous visitor."""
    accounts = context.app().accounts
    token = st.session_state.get(TOKEN)
    if token is None and not st.session_state.get(SIGNED_OUT):
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) and len(cookie) < 200 else None
    actor = accounts.actor_for_session(token) if token else None
    if actor is None:
        st.session_state.pop(TOKEN, None)
        return ANONYMOUS
    st.session_state[TOKEN] = token
    return actor


def sign_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    if token:
        context.app().accounts.sign_out(token)
    for key in list(st.session_state):
        if key not in ("lang", "lang-choice"):
            del st.session_state[key]
    st.session_state[SIGNED_OUT] = True  # this tab's request still carries the old cookie: do not read it again
    if context.settings().sso and getattr(st.user, "is_logged_in", False):
        st.session_state[SSO_LOGOUT] = True  # the gate ends the identity cookie too, or it would sign in again
    else:
        http.go(http.SIGN_OUT_ROUTE, next=http.here())  # the server clears the cookie, now that its session ended


def refusal_text(code: str, params: dict | None = None) -> str:
    """A refusal of the accounts service (a stable code and its parameters) in the user's language."""
    return t("auth." + code.replace(".", "_").replace("-", "_"), **(params or {}))


def _refusal(code: str, **params: object) -> None:
    st.error(refusal_text(code, params), icon=":material/block:")


def _on_sign_in() -> None:
    email, password = st.session_state.get("signin-email", ""), st.session_state.get("signin-password", "")
    outcome = context.app().accounts.sign_in(email, password, _client())
    if isinstance(outcome, SignedIn):
        signed_in(outcome.token)
        st.session_state.pop("signin-refusal", None)
    else:
        st.session_state["signin-refusal"] = (outcome.code, dict(outcome.params or {}))
    st.session_state["signin-password"] = ""


def sign_in_page() -> None:
    st.title(t("auth.title"))
    st.write(t("auth.intro"))
    if refusal := st.session_state.get("signin-refusal"):
        _refusal(refusal[0], **refusal[1])
    with st.form("sign-in"):
        st.text_input(t("auth.email"), key="signin-email", max_chars=254, autocomplete="username")
        st.text_input(t("auth.password"), type="password", key="signin-password", max_chars=200,
                      autocomplete="current-password")  # fmt: skip
        st.form_submit_button(t("auth.sign_in"), type="primary", on_click=_on_sign_in)
    st.caption(t("auth.forgot"))
    if context.settings().sso:
        st.divider()
        st.button(t("auth.sso"), on_click=st.login, icon=":material/key:")


def _on_first_run() -> None:
    values = {k: st.session_state.get(f"first-{k}", "") for k in ("email", "password", "again", "organization")}
    if values["password"] != values["again"]:
        st.session_state["first-refusal"] = ("password.mismatch", {})
        return
    accounts = context.app().accounts
    try:
        accounts.first_run(values["email"], values["password"], values["organization"])
    except Refused as refused:
        st.session_state["first-refusal"] = (refused.code, refused.params)
        return
    outcome = accounts.sign_in(values["email"], values["password"], _client())
    if isinstance(outcome, SignedIn):
        # Asked here because the first person is usually a company's owner, to whom the association's menus mean
        # nothing; the new admin sets it, as they may later on the Organizations page.
        context.app().serving.set_serves(outcome.actor, st.session_state.get("first-serves") or "company")
        signed_in(outcome.token)
        st.session_state.pop("first-refusal", None)


def first_run_page() -> None:
    st.title(t("auth.first_title"))
    st.write(t("auth.first_intro"))
    if refusal := st.session_state.get("first-refusal"):
        _refusal(refusal[0], **refusal[1])
    with st.form("first-run"):
        serves_choice("first-serves", "company")
        st.text_input(t("auth.organization"), key="first-organization", max_chars=200, placeholder="PT Contoh Acara",
                      help=t("auth.organization_help"))  # fmt: skip
        st.text_input(t("auth.email"), key="first-email", max_chars=254, autocomplete="username")
        st.text_input(t("auth.new_password"), type="password", key="first-password", max_chars=200,
                      help=t("auth.password_help"), autocomplete="new-password")  # fmt: skip
        st.text_input(t("auth.again"), type="password", key="first-again", max_chars=200, autocomplete="new-password")
        st.form_submit_button(t("auth.first_button"), type="primary", on_click=_on_first_run)


def serves_choice(key: str, current: str) -> str:
    """Whom this Gapura serves, each choice with what it shows (the first-run form and the Organizations page)."""
    return st.radio(t("serves.question"), SERVES, index=SERVES.index(current), key=key,
             format_func=lambda s: t(f"serves.{s}"), captions=[t(f"serves.{s}_help") for s in SERVES])  # fmt: skip


def _on_link(kind: str, token: str) -> None:
    password, again = st.session_state.get("link-password", ""), st.session_state.get("link-again", "")
    if password != again:
        st.session_state["link-refusal"] = ("password.mismatch", {})
        return
    accounts = context.app().accounts
    try:
        if kind == "invite":
            outcome = accounts.accept_invitation(token, password, st.session_state.get("link-name", ""))
        else:
            outcome = accounts.use_reset(token, password)
    except Refused as refused:
        st.session_state["link-refusal"] = (refused.code, refused.params)
        return
    signed_in(outcome.token)
    st.session_state.pop("link-refusal", None)
    st.query_params.pop(kind, None)


def link_page(kind: str, token: str) -> None:
    """An invitation (?invite=...) or a password reset (?reset=...): choose a password, then you are signed in."""
    st.title(t(f"auth.{kind}_title"))
    st.write(t(f"auth.{kind}_intro"))
    if refusal := st.session_state.get("link-refusal"):
        _refusal(refusal[0], **refusal[1])
    with st.form("link"):
        if kind == "invite":
            st.text_input(t("auth.name"), key="link-name", max_chars=200)
        st.text_input(t("auth.new_password"), type="password", key="link-password", max_chars=200,
                      help=t("auth.password_help"), autocomplete="new-password")  # fmt: skip
        st.text_input(t("auth.again"), type="password", key="link-again", max_chars=200, autocomplete="new-password")
        st.form_submit_button(t(f"auth.{kind}_button"), type="primary", on_click=_on_link, args=(kind, token))


def sso_actor() -> Actor | None:
    """A user signed in through the identity provider (st.login), mapped to an account by verified email."""
    if not context.settings().sso or not getattr(st.user, "is_logged_in", False):
        return None
    email = st.user.get("email") or ""
    return context.app().accounts.actor_for_oidc(email, bool(st.user.get("email_verified")))


def _alone(draw) -> None:
    """Draw `draw` as the only page of the navigation and stop: the browser drops the sidebar links the last
    signed-in user had, and every address shows this page."""

    def page() -> None:
        draw()

    st.navigation([st.Page(page, title=t("auth.title"), url_path="sign-in", default=True)], position="hidden").run()
    st.stop()


def _sso_refused() -> None:
    st.title(t("auth.title"))
    st.warning(t("auth.sso_unknown"), icon=":material/person_off:")
    st.button(t("account.sign_out"), on_click=st.logout)


def _handing_off() -> None:
    st.title(t("auth.title"))
    st.caption(t("auth.signing_in"))


def gate() -> Actor:
    """The signed-in actor; otherwise the first-run, link or sign-in page is drawn and the script stops, so a
    signed-out visitor sees nothing else on any address."""
    accounts = context.app().accounts
    accounts.bootstrap_from_settings()
    if st.session_state.pop(SSO_LOGOUT, False):
        st.logout()
    if st.session_state.get(HANDING_OFF):
        http.mark_tab(False)
        _alone(_handing_off)
    for kind in ("invite", "reset"):
        if token := st.query_params.get(kind):
            http.mark_tab(False)
            _alone(lambda kind=kind, token=token: link_page(kind, token))
    actor = current_actor()
    if not actor.signed_in:
        actor = sso_actor() or ANONYMOUS
    if actor.signed_in:
        http.mark_tab(True)
        context.show_notice()
        return actor
    http.mark_tab(False)  # nothing this tab uploads is taken
    if context.settings().sso and getattr(st.user, "is_logged_in", False):
        _alone(_sso_refused)
    _alone(first_run_page if accounts.needs_first_run() else sign_in_page)
    raise AssertionError("unreachable: _alone stops the script")
