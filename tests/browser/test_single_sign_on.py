"""Single sign-on through Streamlit's st.login against a local OpenID Connect provider: the identity maps to an
existing account by its verified email; an unknown email is refused with a message."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DATA, free_port, start_server, stop
from tests.browser.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.signin import session_token


@pytest.fixture
def sso_server(tmp_path):
    """(start, database): start(email, verified) runs the provider and an app configured for it."""
    database, running = tmp_path / "sso.db", []

    def start(email: str, verified: bool = True) -> str:
        provider = Provider(email, verified)
        port = free_port()
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-cookie-secret-for-the-tests-only-0123456789"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        proc, url = start_server(DATA / "standards", tmp_path / "sso.log", database=database, port=port,
                                 secrets=secrets)  # fmt: skip
        running.append((proc, provider))
        return url

    yield start, database
    for proc, provider in running:
        stop(proc)
        provider.close()


def test_sign_in_with_the_organizations_account_maps_to_the_account_by_verified_email(browser: Browser, sso_server):
    start, database = sso_server
    session_token(f"sqlite:///{database}", DATA / "standards", "sso@contoh.test", organization="PT Satu Pintu")
    url = start("SSO@contoh.test")
    page = browser.new_context().new_page()
    page.goto(url)
    page.get_by_role("button", name="Masuk dengan akun organisasi Anda").click()
    expect(page.get_by_role("heading", name="Penilaian mandiri")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Untuk: PT Satu Pintu")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Untuk: PT Satu Pintu")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Akun saya").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=30_000)
    # Opening the address again (a reload may race st.logout's own redirect, which the browser then aborts).
    page.goto(url)
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=30_000)


@pytest.mark.parametrize(("email", "verified"), [("orang@tidak-dikenal.test", True), ("sso@contoh.test", False)])
def test_an_unknown_or_unverified_email_is_refused_with_a_message(browser: Browser, sso_server, email, verified):
    start, database = sso_server
    session_token(f"sqlite:///{database}", DATA / "standards", "sso@contoh.test", organization="PT Satu Pintu")
    url = start(email, verified)
    page = browser.new_context().new_page()
    page.goto(url)
    page.get_by_role("button", name="Masuk dengan akun organisasi Anda").click()
    expect(page.get_by_text("belum ada akun Gapura dengan email itu")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="Hasil")).to_have_count(0)
    expect(page.get_by_text("PT Satu Pintu")).to_have_count(0)
