"""Sign-in that cannot be turned against users (issue 15), on SQLite and PostgreSQL: the client is the connection's
own address unless a configured proxy forwarded it; strangers slow an account but never keep its owner out; a spray
from one client is slowed whatever X-Forwarded-For it sends; what was typed as an email is stored only when it names
an account."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import text

from services.accounts import Accounts, Refusal, SignedIn
from store import schema

PASSWORD = "correct horse battery"
OWNER = "pemilik@contoh.test"


@pytest.fixture
def accounts(gapura):
    gapura.accounts.first_run(OWNER, PASSWORD, "PT Contoh")
    return gapura.accounts


def behind(gapura, proxies: str, uvicorn: str = "127.0.0.1,::1") -> Accounts:
    """The accounts service of a Gapura behind these trusted proxies (GAPURA_TRUSTED_PROXIES), served by a uvicorn
    that believes forwarded addresses from `uvicorn` (FORWARDED_ALLOW_IPS)."""
    settings = replace(gapura.settings, trusted_proxies=tuple(proxies.split(",")) if proxies else (),
                       forwarded_allow_ips=tuple(uvicorn.split(",")))  # fmt: skip
    return Accounts(gapura.store, settings, gapura.audit)


def test_without_a_trusted_proxy_the_connection_itself_is_the_client(gapura):
    accounts = behind(gapura, "")
    assert accounts.client_address("198.51.100.7", []) == "198.51.100.7"
    assert accounts.client_address(None, []) == "127.0.0.1"  # Streamlit shows this machine as None
    # A forwarded address from an untrusted peer is its own choice: ignored.
    assert accounts.client_address("198.51.100.7", ["1.2.3.4"]) == "198.51.100.7"
    # From this machine, uvicorn reports the forwarded address it was sent: undone.
    assert accounts.client_address("1.2.3.4", ["1.2.3.4"]) == "127.0.0.1"
    assert accounts.client_address("1.2.3.4", ["5.6.7.8, 1.2.3.4"]) == "127.0.0.1"


def test_behind_trusted_proxies_the_first_hop_that_is_not_one_is_the_client(gapura):
    accounts = behind(gapura, "10.0.0.0/8,127.0.0.1")
    assert accounts.client_address("10.0.0.5", ["6.6.6.6, 198.51.100.7, 10.0.0.9"]) == "198.51.100.7"
    assert accounts.client_address("10.0.0.5", []) == "10.0.0.5"
    assert accounts.client_address("203.0.113.9", ["6.6.6.6"]) == "203.0.113.9"  # not a proxy of ours
    assert accounts.client_address("198.51.100.7", ["198.51.100.7"]) == "198.51.100.7"  # via the local proxy


def test_a_remote_proxy_believed_by_uvicorn_counts_only_when_trusted_here_too(gapura):
    # uvicorn (FORWARDED_ALLOW_IPS=10.0.0.5) reports the forwarded 198.51.100.7 for its peer 10.0.0.5
    assert behind(gapura, "10.0.0.5", "10.0.0.5").client_address("198.51.100.7", ["198.51.100.7"]) == "198.51.100.7"
    assert behind(gapura, "10.0.0.0/24", "10.0.0.5").client_address("198.51.100.7", ["6.6.6.6, 198.51.100.7"]) == (
        "198.51.100.7"
    )
    assert behind(gapura, "", "10.0.0.5").client_address("198.51.100.7", ["198.51.100.7"]) == "10.0.0.5"


def test_five_failures_with_made_up_emails_do_not_keep_the_owner_out(accounts):
    """Issue 15: every connection without X-Forwarded-For counted as one client "unknown", so five failures with
    made-up emails locked the owner out, right password and all."""
    here = accounts.client_address(None, [])
    for i in range(5):
        assert accounts.sign_in(f"ngawur{i}@contoh.test", "salah sekali", here) == Refusal("sign-in.failed")
    assert isinstance(accounts.sign_in(OWNER, PASSWORD, accounts.client_address(None, [])), SignedIn)


def test_a_spray_with_rotating_forwarded_addresses_is_slowed(accounts):
    """Issue 15: any X-Forwarded-For was believed, so a spray that rotated it was never throttled."""
    for i in range(20):
        client = accounts.client_address("203.0.113.50", [f"10.1.{i}.{i}"])
        assert accounts.sign_in(f"korban{i}@contoh.test", "tebakan-123", client) == Refusal("sign-in.failed")
    client = accounts.client_address("203.0.113.50", ["10.99.99.99"])
    assert accounts.sign_in("korban99@contoh.test", "tebakan-123", client) == Refusal("sign-in.wait", {"seconds": 2})
    assert isinstance(accounts.sign_in(OWNER, PASSWORD, accounts.client_address("198.51.100.1", [])), SignedIn)


def test_a_password_typed_into_the_email_field_is_never_stored(gapura, accounts):
    typed = "Rahasia-Sekali-99!"
    for _ in range(2):
        assert accounts.sign_in(typed, "anything at all", "198.51.100.1") == Refusal("sign-in.failed")
    assert accounts.sign_in(OWNER.upper(), "wrong password!", "198.51.100.1") == Refusal("sign-in.failed")
    with gapura.store.engine.connect() as connection:
        stored = "\n".join(
            str(value)
            for table in (schema.AuditEvent.__table__, schema.SignInFailure.__table__)
            for row in connection.execute(text(f"SELECT * FROM {table.name}"))
            for value in row
        )
    assert typed.casefold() not in stored.casefold()
    assert "unknown:" in stored and f"email:{OWNER}" in stored  # an account's email is still named
    with gapura.store.engine.connect() as connection:
        subjects = connection.execute(text("SELECT email_key FROM sign_in_failures")).scalars().all()
    assert sorted(Counter(subjects).values()) == [1, 2]  # the same text typed twice counts as the same
