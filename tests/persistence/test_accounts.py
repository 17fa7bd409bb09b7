"""Accounts on SQLite and PostgreSQL: first run, signing in, throttling, sessions, invitations, resets, secrecy."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text, update

from scoring.model import Answer
from services.accounts import Accounts, Refusal, Refused, SignedIn
from services.policy import Denied
from store import schema
from store.db import utcnow

PASSWORD = "correct horse battery"
ADMIN = "Admin@Example.org "


@pytest.fixture
def accounts(gapura):
    return gapura.accounts


@pytest.fixture
def admin(accounts):
    return accounts.first_run(ADMIN, PASSWORD, "Asosiasi Penyelenggara")


def expire(gapura, table, **where) -> None:
    column = {"auth_sessions": schema.AuthSession, "invitations": schema.Invitation}[table]
    with gapura.store.session.begin() as s:
        s.execute(update(column).values(expires_at=utcnow() - timedelta(minutes=1)).filter_by(**where))


def age_failures(gapura, minutes: int = 0, seconds: int = 0) -> None:
    """Moves every failure back in time; in Python, since SQLite cannot subtract an interval from a datetime."""
    with gapura.store.session.begin() as s:
        for failure in s.scalars(select(schema.SignInFailure)):
            failure.at = failure.at - timedelta(minutes=minutes, seconds=seconds)


def test_first_run_creates_the_admin_and_the_association(gapura, accounts):
    assert accounts.needs_first_run()
    admin = accounts.first_run(ADMIN, PASSWORD, "Asosiasi Penyelenggara")
    assert not accounts.needs_first_run()
    assert admin.email == "admin@example.org" and admin.roles == {"admin", "officer"}
    assert admin.organizations == {gapura.store.find_organization("asosiasi  penyelenggara")}
    assert admin.label == f"user:{admin.user_id}"
    with pytest.raises(Refused) as refused:
        accounts.first_run("other@example.org", PASSWORD, "")
    assert refused.value.code == "first-run.done"
    assert [u.email for u in accounts.list_users(admin)] == ["admin@example.org"]


def test_first_run_refuses_a_short_password(accounts):
    with pytest.raises(Refused) as refused:
        accounts.first_run(ADMIN, "short", "")
    assert refused.value.refusal == Refusal("password.too-short", {"minimum": 10})
    assert accounts.needs_first_run()


def test_bootstrap_from_settings_only_on_an_empty_database(gapura):
    settings = replace(gapura.settings, admin_email="root@example.org", admin_password=PASSWORD)
    accounts = Accounts(gapura.store, settings, gapura.audit)
    actor = accounts.bootstrap_from_settings()
    assert actor is not None and actor.organizations == frozenset() and "admin" in actor.roles
    assert accounts.bootstrap_from_settings() is None
    assert len(accounts.list_users(actor)) == 1


def test_sign_in_and_the_same_refusal_for_unknown_email_and_wrong_password(accounts, admin):
    signed = accounts.sign_in("  ADMIN@example.org", PASSWORD, "10.0.0.1")
    assert isinstance(signed, SignedIn) and signed.actor == admin
    assert accounts.actor_for_session(signed.token) == admin
    wrong = accounts.sign_in(ADMIN, "wrong password!", "10.0.0.1")
    unknown = accounts.sign_in("nobody@example.org", PASSWORD, "10.0.0.1")
    assert wrong == unknown == Refusal("sign-in.failed")


def test_sign_in_rehashes_an_outdated_hash(gapura, accounts, admin):
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with gapura.store.session.begin() as s:
        s.execute(update(schema.User).values(password_hash=weak))
    assert isinstance(accounts.sign_in(ADMIN, PASSWORD, "c"), SignedIn)
    with gapura.store.session() as s:
        stored = s.scalar(select(schema.User.password_hash))
    assert stored != weak and not accounts.hasher.check_needs_rehash(stored)


def test_each_failure_past_five_doubles_the_wait_and_the_right_password_works_after_it(gapura, accounts, admin):
    """Issue 15: five failures locked the owner out for 15 minutes; now a stranger's failures only slow the account,
    and the owner's right password works once the wait is over."""
    for i in range(5):
        assert accounts.sign_in(ADMIN, "wrong password!", f"10.0.0.{i}") == Refusal("sign-in.failed")
    assert accounts.sign_in(ADMIN, PASSWORD, "10.9.9.9") == Refusal("sign-in.wait", {"seconds": 2})
    age_failures(gapura, seconds=2)
    assert isinstance(accounts.sign_in(ADMIN, PASSWORD, "10.9.9.9"), SignedIn)
    # A success forgets the failures; each checked failure past the free ones doubles the wait, up to 15 minutes.
    for _ in range(5):
        accounts.sign_in(ADMIN, "wrong password!", "10.0.0.1")
    for wait in (2, 4, 8, 16):
        assert accounts.sign_in(ADMIN, PASSWORD, "10.9.9.9") == Refusal("sign-in.wait", {"seconds": wait})
        age_failures(gapura, seconds=wait)
        assert accounts.sign_in(ADMIN, "wrong password!", "10.0.0.1") == Refusal("sign-in.failed")
    with gapura.store.session.begin() as s:  # many more, just now
        s.add_all(schema.SignInFailure(email_key="email:admin@example.org", client="10.0.0.1", at=utcnow())
                  for _ in range(10))  # fmt: skip
    assert accounts.sign_in(ADMIN, PASSWORD, "10.9.9.9") == Refusal("sign-in.throttled", {"minutes": 15})
    age_failures(gapura, seconds=900)
    assert isinstance(accounts.sign_in(ADMIN, PASSWORD, "10.9.9.9"), SignedIn)


def test_one_client_failing_for_many_accounts_is_slowed(gapura, accounts, admin):
    for i in range(20):
        assert accounts.sign_in(f"guess{i}@example.org", "wrong password!", "10.0.0.9") == Refusal("sign-in.failed")
    assert accounts.sign_in(ADMIN, PASSWORD, "10.0.0.9") == Refusal("sign-in.wait", {"seconds": 2})
    assert isinstance(accounts.sign_in(ADMIN, PASSWORD, "10.0.0.10"), SignedIn)
    age_failures(gapura, seconds=2)
    assert isinstance(accounts.sign_in(ADMIN, PASSWORD, "10.0.0.9"), SignedIn)


def test_session_expires_and_is_revoked_by_sign_out_and_password_change(gapura, accounts, admin):
    first = accounts.sign_in(ADMIN, PASSWORD, "a")
    second = accounts.sign_in(ADMIN, PASSWORD, "b")
    third = accounts.sign_in(ADMIN, PASSWORD, "c")
    accounts.sign_out(first.token)
    assert accounts.actor_for_session(first.token) is None
    assert accounts.actor_for_session(second.token) == admin
    expire(gapura, "auth_sessions", user_id=admin.user_id)
    assert accounts.actor_for_session(second.token) is None
    assert accounts.actor_for_session("") is None and accounts.actor_for_session("not a token") is None
    assert accounts.actor_for_session("tökén") is None

    third = accounts.sign_in(ADMIN, PASSWORD, "c")
    with pytest.raises(Refused) as refused:
        accounts.change_password(admin, "wrong password!", "a new long password")
    assert refused.value.code == "password.wrong"
    with pytest.raises(Refused) as refused:
        accounts.change_password(admin, PASSWORD, "short")
    assert refused.value.code == "password.too-short"
    fresh = accounts.change_password(admin, PASSWORD, "a new long password")
    assert accounts.actor_for_session(third.token) is None
    assert accounts.actor_for_session(fresh.token) == admin
    assert accounts.sign_in(ADMIN, PASSWORD, "d") == Refusal("sign-in.failed")
    assert isinstance(accounts.sign_in(ADMIN, "a new long password", "d"), SignedIn)


def test_invitation_is_single_use_and_expires(gapura, accounts, admin):
    link = accounts.invite(admin, " New.Officer@Example.org", role="officer")
    assert not link.sent and link.url == f"/?invite={link.token}" and link.email == "new.officer@example.org"
    assert (link.expires_at - utcnow()).days == 13
    signed = accounts.accept_invitation(link.token, "officer password", name="  Siti  Rahma ")
    assert signed.actor.roles == {"officer"} and accounts.actor_for_session(signed.token) == signed.actor
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(link.token, "officer password")
    assert refused.value.code == "invitation.used"

    late = accounts.invite(admin, "late@example.org", role="researcher")
    expire(gapura, "invitations", email="late@example.org")
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(late.token, "researcher password")
    assert refused.value.code == "invitation.expired"
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation("made-up", "researcher password")
    assert refused.value.code == "invitation.unknown"
    assert [u.name for u in accounts.list_users(admin) if u.email.startswith("new.")] == ["Siti Rahma"]


def test_invitation_to_an_existing_account_adds_the_membership_and_needs_its_password(gapura, accounts, admin):
    org = gapura.store.ensure_organization({"name": "PT Acara"})
    link = accounts.invite(admin, ADMIN, organization_id=org)
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(link.token, "someone else's password")
    assert refused.value.code == "password.wrong"
    signed = accounts.accept_invitation(link.token, PASSWORD)
    assert org in signed.actor.organizations and signed.actor.user_id == admin.user_id


def test_who_may_invite_whom(gapura, accounts, admin):
    own = gapura.store.ensure_organization({"name": "PT Acara"})
    other = gapura.store.ensure_organization({"name": "PT Lain"})
    member = accounts.accept_invitation(accounts.invite(admin, "m@example.org", organization_id=own).token,
                                        "member password").actor  # fmt: skip
    assert member.organizations == {own} and member.roles == frozenset()
    colleague = accounts.invite(member, "colleague@example.org", organization_id=own)
    assert accounts.accept_invitation(colleague.token, "colleague password").actor.organizations == {own}
    with pytest.raises(Denied):
        accounts.invite(member, "x@example.org", organization_id=other)
    with pytest.raises(Denied):
        accounts.invite(member, "x@example.org", role="officer", organization_id=own)

    officer = accounts.accept_invitation(accounts.invite(admin, "o@example.org", role="officer").token,
                                         "officer password").actor  # fmt: skip
    accounts.invite(officer, "r@example.org", role="researcher")
    accounts.invite(officer, "n@example.org", organization_id=other)
    with pytest.raises(Denied):
        accounts.invite(officer, "boss@example.org", role="admin")
    assert accounts.invite(admin, "boss@example.org", role="admin").role == "admin"
    with pytest.raises(Denied):
        accounts.set_roles(officer, officer.user_id, ["officer", "admin"])
    with pytest.raises(Denied):
        accounts.list_users(officer)
    with pytest.raises(Refused) as refused:
        accounts.invite(admin, "not an email", role="officer")
    assert refused.value.code == "email.invalid"


def test_admin_roles_memberships_and_reset_link(gapura, accounts, admin):
    org = gapura.store.ensure_organization({"name": "PT Acara"})
    user = accounts.accept_invitation(accounts.invite(admin, "u@example.org", role="researcher").token,
                                      "user password 1").actor  # fmt: skip
    assert accounts.set_roles(admin, user.user_id, ["officer", "researcher"]).roles == ("officer", "researcher")
    assert accounts.add_member(admin, user.user_id, org) and not accounts.add_member(admin, user.user_id, org)
    assert [u.email for u in accounts.organization_members(admin, org)] == ["u@example.org"]
    assert accounts.remove_member(admin, user.user_id, org)
    assert accounts.organization_members(admin, org) == []
    with pytest.raises(Refused) as refused:
        accounts.set_roles(admin, admin.user_id, ["officer"])
    assert refused.value.code == "roles.last-admin"

    old = accounts.sign_in("u@example.org", "user password 1", "x")
    reset = accounts.reset_link(admin, user.user_id)
    assert reset.url == f"/?reset={reset.token}" and timedelta(hours=23) < reset.expires_at - utcnow()
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(reset.token, "user password 2")
    assert refused.value.code == "invitation.unknown"
    signed = accounts.use_reset(reset.token, "user password 2")
    assert (
        accounts.actor_for_session(old.token) is None
        and accounts.actor_for_session(signed.token).user_id == user.user_id
    )
    with pytest.raises(Refused) as refused:
        accounts.use_reset(reset.token, "user password 3")
    assert refused.value.code == "reset.used"
    actions = [e.action for e in gapura.audit.events(admin)]
    assert {"roles.set", "member.added", "member.removed", "reset.created", "reset.used"} <= set(actions)


def test_oidc_maps_only_verified_emails_of_active_accounts(accounts, admin):
    assert accounts.actor_for_oidc("ADMIN@example.org", email_verified=True) == admin
    assert accounts.actor_for_oidc("admin@example.org", email_verified=False) is None
    assert accounts.actor_for_oidc("nobody@example.org", email_verified=True) is None


def test_audit_log_is_for_admins_and_its_csv_is_formula_safe(gapura, accounts, admin):
    accounts.sign_in("=cmd@example.org", "wrong password!", "=HYPERLINK()")
    events = gapura.audit.events(admin)
    assert events[0].action == "sign-in.failed" and events[0].target.startswith("unknown:")  # no such account
    body = gapura.audit.csv(admin).decode("utf-8-sig")
    assert body.splitlines()[0] == "at,actor,action,target,detail"
    assert "=cmd" not in body and "HYPERLINK" in body and ",=HYPERLINK" not in body
    gapura.audit.record("'=evil", "=SUM(A1)", "-target")
    assert "'=SUM(A1),'-target" in gapura.audit.csv(admin).decode("utf-8-sig")
    officer = accounts.accept_invitation(accounts.invite(admin, "o@example.org", role="officer").token,
                                         "officer password").actor  # fmt: skip
    with pytest.raises(Denied):
        gapura.audit.events(officer)
    with pytest.raises(Denied):
        gapura.audit.csv(officer)


def test_passwords_and_tokens_are_never_stored_or_logged_in_clear(gapura, accounts, caplog):
    gapura.store.engine.echo = True  # SQL and its parameters go to the log too
    caplog.set_level(logging.DEBUG)
    secrets = ["first admin password", "wrong password here", "invitee password", "changed password", "reset password"]
    admin = accounts.first_run("admin@example.org", secrets[0], "Asosiasi")
    accounts.sign_in("admin@example.org", secrets[1], "c")
    signed = accounts.sign_in("admin@example.org", secrets[0], "c")
    invite = accounts.invite(admin, "new@example.org", role="researcher")
    invited = accounts.accept_invitation(invite.token, secrets[2])
    changed = accounts.change_password(invited.actor, secrets[2], secrets[3])
    reset = accounts.reset_link(admin, invited.actor.user_id)
    after_reset = accounts.use_reset(reset.token, secrets[4])
    tokens = [signed.token, invite.token, invited.token, changed.token, reset.token, after_reset.token]
    gapura.store.engine.echo = False

    cells = []
    with gapura.store.engine.connect() as connection:
        for table in schema.Base.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):
                cells.extend(str(value) for value in row)
    stored = "\n".join(cells)
    assert "admin@example.org" in stored and "SELECT" in caplog.text  # the scan sees what it should
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in secrets + tokens:
        assert secret not in stored
        assert secret not in logged


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_end(accounts, admin):
    link = accounts.invite(admin, "u@example.org", role="researcher")
    user = accounts.accept_invitation(link.token, "user password 1")
    deactivated = accounts.set_active(admin, user.actor.user_id, False)
    assert not deactivated.active and accounts.actor_for_session(user.token) is None
    assert accounts.sign_in("u@example.org", "user password 1", "x") == Refusal("sign-in.failed")
    assert accounts.actor_for_oidc("u@example.org", email_verified=True) is None
    with pytest.raises(Refused) as refused:
        accounts.set_active(admin, admin.user_id, False)
    assert refused.value.code == "roles.last-admin"
    accounts.set_active(admin, user.actor.user_id, True)
    assert isinstance(accounts.sign_in("u@example.org", "user password 1", "x"), SignedIn)


def test_an_invitation_accepted_twice_at_once_works_once(accounts, admin):
    link = accounts.invite(admin, "twice@example.org", role="officer")

    def accept(_):
        try:
            return accounts.accept_invitation(link.token, "officer password")
        except Refused as refused:
            return refused.code

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(accept, range(4)))
    assert sum(isinstance(o, SignedIn) for o in outcomes) == 1
    assert [o for o in outcomes if not isinstance(o, SignedIn)] == ["invitation.used"] * 3
    assert [u.email for u in accounts.list_users(admin)].count("twice@example.org") == 1


def _officer(accounts, admin, email="officer@example.org"):
    link = accounts.invite(admin, email, role="officer")
    return accounts.accept_invitation(link.token, "officer password").actor


def _invitations(gapura) -> int:
    with gapura.store.session() as s:
        return len(s.scalars(select(schema.Invitation)).all())


def test_an_officer_cannot_invite_into_a_company_that_has_members(gapura, accounts, admin):
    """Issue 15: an officer invited an alias into a member company, accepted and overwrote its answers."""
    victim = gapura.store.ensure_organization({"name": "PT Korban"})
    owner = accounts.accept_invitation(accounts.invite(admin, "owner@korban.test", organization_id=victim).token,
                                       "owner password").actor  # fmt: skip
    work = gapura.assessing.start(owner, gapura.standard("mini", "1"), victim, {}, "id").work
    gapura.assessing.answer(owner, work, "A1", Answer(level=3))
    officer = _officer(accounts, admin)
    before = _invitations(gapura)
    for email in ("alias@officer.test", "officer@example.org"):
        with pytest.raises(Denied):
            accounts.invite(officer, email, organization_id=victim)
    assert _invitations(gapura) == before  # no link was made
    assert gapura.assessing.reload(owner, work).answers["A1"].level == 3
    # Its own members invite their colleagues, and admins anyone.
    accounts.invite(owner, "colleague@korban.test", organization_id=victim)
    accounts.invite(admin, "other@korban.test", organization_id=victim)


def test_an_officer_brings_a_company_only_its_first_member_and_never_themselves(gapura, accounts, admin):
    empty = gapura.store.ensure_organization({"name": "PT Baru Gabung"})
    officer = _officer(accounts, admin)
    with pytest.raises(Denied):
        accounts.invite(officer, " OFFICER@example.org", organization_id=empty)
    alias = accounts.invite(officer, "alias@officer.test", organization_id=empty)
    real = accounts.invite(officer, "owner@baru.test", organization_id=empty)
    assert accounts.accept_invitation(real.token, "owner password").actor.organizations == {empty}
    # The company has its first member now: the other first-member link no longer lets anyone in.
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(alias.token, "alias password")
    assert refused.value.code == "invitation.company-has-members"
    assert [u.email for u in accounts.organization_members(admin, empty)] == ["owner@baru.test"]
    assert "alias@officer.test" not in [u.email for u in accounts.list_users(admin)]
    with pytest.raises(Denied):
        accounts.invite(officer, "alias2@officer.test", organization_id=empty)


def test_officers_invite_anyone_into_the_associations_own_organization(gapura, accounts, admin):
    association = gapura.assessing.association(admin, "Asosiasi Kita")
    officer = _officer(accounts, admin)
    accounts.accept_invitation(accounts.invite(officer, "o2@example.org", organization_id=association).token,
                               "second password")  # fmt: skip
    assert accounts.invite(officer, "o3@example.org", organization_id=association).organization_id == association


def test_an_invitation_to_an_existing_account_cannot_be_taken_by_another(gapura, accounts, admin):
    """A link addressed to an email with an account joins that account only, and only with its password: another
    signed-in person (their own password) gets nothing."""
    org = gapura.store.ensure_organization({"name": "PT Tujuan"})
    addressee = accounts.accept_invitation(accounts.invite(admin, "addressee@example.org", role="researcher").token,
                                           "addressee password").actor  # fmt: skip
    intruder = _officer(accounts, admin, "intruder@example.org")
    link = accounts.invite(admin, "addressee@example.org", organization_id=org)
    with pytest.raises(Refused) as refused:
        accounts.accept_invitation(link.token, "officer password")  # the intruder's own password
    assert refused.value.code == "password.wrong"
    assert accounts.organization_members(admin, org) == []
    assert accounts.current(intruder).organizations == frozenset()
    assert accounts.accept_invitation(link.token, "addressee password").actor.user_id == addressee.user_id
