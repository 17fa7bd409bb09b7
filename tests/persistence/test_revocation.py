"""Access taken away ends at the next service call, on SQLite and PostgreSQL: a tab's cached actor is re-read
from the database (its session, its account, its roles and memberships) by every guarded call."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from scoring.model import Answer
from services.policy import ACTOR_CHECKS, GUARDED, Denied, SignedOut, cli_actor
from tests.persistence.people import PASSWORD, person


@pytest.fixture
def company(gapura):
    """A company with its member (signed in on two devices), an admin, and a draft of the member's."""
    org = gapura.store.ensure_organization({"name": "PT Tab Lama"})
    member = person(gapura, organizations=[org], email="anggota@gapura.test")
    other_device = gapura.accounts.sign_in("anggota@gapura.test", PASSWORD, "tests")
    admin = person(gapura, roles=["admin", "officer"])
    work = gapura.assessing.start(member, gapura.standard("mini", "1"), org, {}, "id").work
    return org, member, other_device, admin, work


def stored(gapura, work) -> dict:
    return {k: a.level for k, a in gapura.assessing.reload(cli_actor(), work).answers.items() if a.given}


def test_a_signed_out_session_stores_nothing(gapura, company):
    _, member, other_device, _, work = company
    gapura.assessing.answer(member, work, "A1", Answer(level=1))
    gapura.accounts.sign_out(other_device.token)  # the other device is still signed in
    gapura.assessing.answer(member, work, "A2", Answer(level=2))
    tab = gapura.accounts.sign_in("anggota@gapura.test", PASSWORD, "tests")
    gapura.accounts.sign_out(tab.token)
    with pytest.raises(SignedOut):
        gapura.assessing.answer(tab.actor, work, "A1", Answer(level=3))
    assert stored(gapura, work) == {"A1": 1, "A2": 2}


def test_a_password_change_elsewhere_ends_the_old_tab(gapura, company):
    _, member, other_device, _, work = company
    gapura.accounts.change_password(other_device.actor, PASSWORD, "kata-sandi-baru-456")
    with pytest.raises(SignedOut):
        gapura.assessing.answer(member, work, "A1", Answer(level=3))
    with pytest.raises(SignedOut):
        gapura.accounts.change_password(member, PASSWORD, "kata-sandi-lain-789")
    assert stored(gapura, work) == {}


def test_a_deactivated_account_stores_nothing(gapura, company):
    _, member, _, admin, work = company
    gapura.accounts.set_active(admin, member.user_id, False)
    with pytest.raises(SignedOut):
        gapura.assessing.answer(member, work, "A1", Answer(level=3))
    with pytest.raises(SignedOut):
        gapura.assessing.open(member, work.organization_id, work.assessment_id)
    assert stored(gapura, work) == {}


def test_a_removed_membership_ends_access_to_that_company_only(gapura, company):
    org, member, _, admin, work = company
    elsewhere = gapura.store.ensure_organization({"name": "PT Tempat Lain"})
    gapura.accounts.add_member(admin, member.user_id, elsewhere)
    gapura.accounts.remove_member(admin, member.user_id, org)
    with pytest.raises(Denied) as denied:
        gapura.assessing.answer(member, work, "A1", Answer(level=3))
    assert not isinstance(denied.value, SignedOut)  # still signed in: only that company is closed to them
    assert stored(gapura, work) == {}
    # The membership added meanwhile counts at once too, though the tab's actor predates it.
    assert [p.id for p in gapura.assessing.workplaces(member)] == [elsewhere]


def test_a_removed_role_ends_its_access(gapura, company):
    _, _, _, admin, _ = company
    officer = person(gapura, roles=["officer"])
    assert gapura.assessing.look_alikes(officer) == []
    gapura.accounts.set_roles(admin, officer.user_id, [])
    with pytest.raises(Denied):
        gapura.assessing.look_alikes(officer)


def queries(gapura, call) -> int:
    """How many statements `call` sends, leaving out SQLite's BEGIN IMMEDIATE (store/db.py)."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *rest) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(gapura.store.engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(gapura.store.engine, "before_cursor_execute", listen)
    return len(seen)


def test_the_check_is_one_query_per_call_even_for_a_call_made_of_calls(gapura, company):
    _, member, _, _, work = company
    gapura.assessing.answer(member, work, "A1", Answer(level=1))
    by_cli = queries(gapura, lambda: gapura.assessing.answer(cli_actor(), work, "A1", Answer(level=2)))
    by_member = queries(gapura, lambda: gapura.assessing.answer(member, work, "A1", Answer(level=3)))
    assert by_member == by_cli + 1  # `answer` calls `change`, another guarded call: the actor is read once


def test_every_service_of_the_application_checks_its_actor(gapura):
    services = [s for s in vars(gapura).values() if any(q.startswith(f"{type(s).__name__}.") for q in GUARDED)]
    assert len(services) >= 9
    assert [type(s).__name__ for s in services if s not in ACTOR_CHECKS] == []
