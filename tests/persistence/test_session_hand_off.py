"""The session hand-off on SQLite and PostgreSQL: a tab that signed in trades its session for a one-time code, which
the browser trades once, within a minute, for the session its cookie holds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select, update

from store import schema
from store.db import utcnow

PASSWORD = "correct horse battery"


def test_a_code_opens_one_new_session_once_and_ends_the_one_it_came_from(gapura):
    accounts = gapura.accounts
    accounts.first_run("admin@example.org", PASSWORD)
    signed = accounts.sign_in("admin@example.org", PASSWORD, "tests")
    code = accounts.hand_off(signed.token)
    assert code and code != signed.token
    assert accounts.actor_for_session(signed.token) is None  # only the cookie's session lives on
    assert accounts.hand_off(signed.token) is None
    assert accounts.actor_for_session(code) is None  # a code is no session

    redeemed = accounts.redeem(code)
    assert redeemed is not None and redeemed.actor.email == "admin@example.org"
    assert accounts.actor_for_session(redeemed.token).user_id == signed.actor.user_id
    assert accounts.redeem(code) is None
    with gapura.store.session() as s:
        stored = s.scalars(select(schema.Invitation.token_hash)).all()
    assert code not in stored and redeemed.token not in str(stored)

    # The next sign-in's hand-off forgets the used code: the table keeps only codes that can still be redeemed.
    accounts.hand_off(accounts.sign_in("admin@example.org", PASSWORD, "tests").token)
    with gapura.store.session() as s:
        assert s.scalar(select(func.count()).select_from(schema.Invitation)) == 1


def test_a_code_used_twice_at_once_opens_one_session(gapura):
    accounts = gapura.accounts
    accounts.first_run("admin@example.org", PASSWORD)
    code = accounts.hand_off(accounts.sign_in("admin@example.org", PASSWORD, "tests").token)
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(accounts.redeem, [code] * 4))
    assert sum(o is not None for o in outcomes) == 1


def test_an_expired_code_a_made_up_one_and_a_deactivated_account_open_nothing(gapura):
    accounts = gapura.accounts
    admin = accounts.first_run("admin@example.org", PASSWORD)
    late = accounts.hand_off(accounts.sign_in("admin@example.org", PASSWORD, "tests").token)
    with gapura.store.session.begin() as s:
        s.execute(update(schema.Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert accounts.redeem(late) is None
    assert accounts.redeem("made-up") is None
    assert accounts.redeem("") is None
    assert accounts.hand_off("") is None

    link = accounts.invite(admin, "colleague@example.org", role="researcher")
    colleague = accounts.accept_invitation(link.token, PASSWORD)
    code = accounts.hand_off(colleague.token)
    accounts.set_active(admin, colleague.actor.user_id, False)
    assert accounts.redeem(code) is None
