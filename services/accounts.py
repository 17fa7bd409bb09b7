"""Accounts: first run, signing in and out, sessions, invitations, password resets, roles and memberships.

Refusals carry a stable code (and parameters) that the pages translate; tokens are returned in clear once and
stored only as their sha256; passwords only as argon2id hashes."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import secrets
import smtplib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scoring.formatting import LOCALES
from scoring.roster import email_key, is_email
from services import mail, metrics
from services.audit import Audit
from services.policy import Actor, Denied, SignedOut, Target, allowed, check_actors, ensure, guarded, open_call
from services.settings import Network, Settings, networks, within
from services.targets import organization_target
from store.accounts import AccountRecords, HasMembers, LinkRecord, UserRecord
from store.db import utcnow
from store.repository import Store, clean_name

log = logging.getLogger(__name__)

ACCOUNT_ROLES = ("officer", "verifier", "researcher", "admin")
FIRST_ADMIN_ROLES = ["admin", "officer"]
MIN_PASSWORD = 10
RESET_HOURS = 24
HAND_OFF_SECONDS = 60  # from signing in to the browser fetching its cookie: a redirect, well under a second
LINK_CODE = {"invite": "invitation", "reset": "reset"}  # refusal codes: invitation.used, reset.expired, ...
FAILURES_KEPT = timedelta(hours=1)  # sign-in failures older than this no longer slow anyone
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: a stable code for the pages to translate, and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class Refused(ValueError):
    """Raised by the methods that return no Refusal; carries one."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.refusal = Refusal(code, params)

    @property
    def code(self) -> str:
        return self.refusal.code

    @property
    def params(self) -> dict[str, Any]:
        return self.refusal.params


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token (shown to the browser once, never stored) and the actor it resolves to."""

    actor: Actor
    token: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class Link:
    """A one-time link: an invitation or a password reset. `sent`: it was emailed; otherwise show it to copy."""

    purpose: str
    email: str
    token: str = field(repr=False)
    url: str = field(repr=False)
    expires_at: datetime
    sent: bool
    role: str | None = None
    organization_id: int | None = None

    @property
    def token_hash(self) -> str:
        """What the database keeps of the token."""
        return _hash_token(self.token)


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    roles: tuple[str, ...]
    organizations: tuple[int, ...]
    active: bool
    has_password: bool  # False: signs in through SSO only
    created_at: datetime
    password_changed_at: datetime | None


def _valid_email(email: str) -> str:
    key = email_key(email)
    if not is_email(key):
        raise Refused("email.invalid")
    return key


def _check_length(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Refused("password.too-short", minimum=MIN_PASSWORD)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()  # utf-8: a pasted link may carry anything


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash_token(token)


def _user(record: UserRecord) -> User:
    return User(
        id=record.id, email=record.email, name=record.name, roles=record.roles, organizations=record.organizations,
        active=record.active, has_password=record.password_hash is not None, created_at=record.created_at,
        password_changed_at=record.password_changed_at,
    )  # fmt: skip


def actor_of(record: UserRecord, session: int | None = None) -> Actor:
    return Actor(
        label=f"user:{record.id}", user_id=record.id, email=record.email, roles=frozenset(record.roles),
        organizations=frozenset(record.organizations), session=session,
    )  # fmt: skip


@functools.cache
def _unknown_account_hash() -> str:
    """Checked against when the email has no account, so a refusal takes as long either way."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))


def _is_admin(actor: Actor) -> bool:
    return actor.system or "admin" in actor.roles


class Accounts:
    def __init__(self, store: Store, settings: Settings, audit: Audit) -> None:
        self.records = AccountRecords(store)
        self.store = store
        self.settings = settings
        self.audit = audit
        self.hasher = PasswordHasher()
        check_actors(self.current, self)

    # Passwords and sessions

    @open_call("signing in and out: the password, the token or the session itself decides")
    def current(self, actor: Actor) -> Actor:
        """The actor as the database has it now: its session still live, its account active, its roles and
        memberships as they are. Raises SignedOut otherwise."""
        if actor.system or actor.user_id is None:
            return actor
        access = self.records.access(actor.user_id, actor.session)
        if access is None:
            raise SignedOut(actor)
        return replace(actor, email=access.email, roles=frozenset(access.roles),
                       organizations=frozenset(access.organizations))  # fmt: skip

    def _verify(self, password_hash: str | None, password: str) -> bool:
        """False also for no account or no password, after the same work, so timing tells nothing either."""
        try:
            self.hasher.verify(password_hash or _unknown_account_hash(), password)
        except (VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def _session(self, user_id: int) -> SignedIn:
        token, token_hash = _new_token()
        expires_at = utcnow() + timedelta(days=self.settings.session_days)
        session = self.records.add_session(user_id, token_hash, expires_at)
        return SignedIn(actor_of(self.records.user(user_id), session), token, expires_at)

    def _link(
        self, purpose: mail.Purpose, email: str, expires_at: datetime, created_by: str, base_url: str = "", **scope: Any
    ) -> Link:
        token, token_hash = _new_token()
        self.records.add_link(token_hash, purpose, email, expires_at, created_by, **scope)
        url = mail.link(self.settings.base_url or base_url, purpose, token)
        sent = False
        if self.settings.smtp is not None:
            try:
                mail.send(self.settings.smtp, mail.message(self.settings, email, purpose, url, expires_at))
                sent = True
            except (OSError, smtplib.SMTPException) as exc:
                # The page shows the link to copy instead; the error names the server, never the link.
                log.warning("could not email a %s link: %s", purpose, type(exc).__name__)
        return Link(purpose, email, token, url, expires_at, sent, scope.get("role"), scope.get("organization_id"))

    # First run

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def needs_first_run(self) -> bool:
        return not self.records.any_user()

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def first_run(self, email: str, password: str, organization_name: str = "") -> Actor:
        """The first admin (also an officer), and optionally their company with them as its member."""
        key = _valid_email(email)
        _check_length(password)
        user_id = self.records.create_first_user(key, self.hasher.hash(password), FIRST_ADMIN_ROLES)
        if user_id is None:
            raise Refused("first-run.done")
        if clean_name(organization_name):
            organization_id = self.store.ensure_organization({"name": organization_name})
            self.records.add_membership(user_id, organization_id)
        self.audit.record(f"user:{user_id}", "account.first-run", f"user:{user_id}")
        return actor_of(self.records.user(user_id))

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def bootstrap_from_settings(self) -> Actor | None:
        """The admin of GAPURA_ADMIN_EMAIL / GAPURA_ADMIN_PASSWORD, when the database has no account yet."""
        if not (self.settings.admin_email and self.settings.admin_password) or not self.needs_first_run():
            return None
        try:
            return self.first_run(self.settings.admin_email, self.settings.admin_password)
        except Refused as refused:
            if refused.code == "first-run.done":  # another process bootstrapped at the same moment
                return None
            raise

    # Signing in and out

    @open_call("signing in and out: the password, the token or the session itself decides")
    def sign_in(self, email: str, password: str, client: str) -> SignedIn | Refusal:
        """The same refusal whether or not the email has an account; slowed per account and per client."""
        key, client = email_key(email), clean_name(client)[:100] or "unknown"
        user = self.records.user_by_email(key[:254])
        # What was typed is stored only when it names an account: a password typed into the email field must not
        # reach the audit log. Anything else is kept as a keyed hash, so its failures still count.
        subject = f"email:{key}" if user else "unknown:" + self._keyed(key)
        wait = self._wait(subject, client)
        if wait:
            metrics.SIGN_IN_FAILURES.inc()
            self.audit.record("anonymous", "sign-in.throttled", subject, {"client": client})
            if wait < 60:
                return Refusal("sign-in.wait", {"seconds": wait})
            return Refusal("sign-in.throttled", {"minutes": -(-wait // 60)})
        hashed = user.password_hash if user and user.active else None
        if not self._verify(hashed, password):
            self.records.add_failure(subject, client, FAILURES_KEPT)
            metrics.SIGN_IN_FAILURES.inc()
            self.audit.record("anonymous", "sign-in.failed", subject, {"client": client})
            return Refusal("sign-in.failed")
        if self.hasher.check_needs_rehash(hashed):
            self.records.set_password(user.id, self.hasher.hash(password), changed=False)
        self.records.clear_failures(subject)
        self.audit.record(f"user:{user.id}", "sign-in", f"user:{user.id}", {"client": client})
        return self._session(user.id)

    def _keyed(self, identifier: str) -> str:
        """A keyed hash (HMAC-SHA256 with a secret kept in the database) of what was typed as an email."""
        name = "sign-in-identifiers"
        key = self.store.stored_secret(name) or self.store.keep_secret(name, secrets.token_hex(32))
        return hmac.new(key.encode(), identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _wait(self, subject: str, client: str) -> int:
        """Seconds until an attempt for this account from this client is checked: each failure past the free ones
        doubles the wait (capped), so a stranger can slow an account but never lock its owner out, and one client
        trying many accounts is slowed too. Only checked attempts count, so retrying sooner changes nothing."""
        cap = self.settings.lockout_minutes * 60
        now = utcnow()
        waits = [0]
        recent = self.records.recent_failures(subject, client, now - FAILURES_KEPT)
        for (count, last), free in zip(
            recent, (self.settings.max_failures, self.settings.client_max_failures), strict=True
        ):
            if last is not None and count >= free:
                delay = min(cap, 2 ** min(count - free + 1, 30))
                waits.append(math.ceil(delay - (now - last).total_seconds()))
        return max(waits)

    @open_call("signing in and out: the password, the token or the session itself decides")
    def client_address(self, seen: str | None, forwarded_for: list[str]) -> str:
        """The real client of a request, for throttling: a forwarded address counts only when it was handed on by
        a proxy of GAPURA_TRUSTED_PROXIES (walking X-Forwarded-For from the right, the first hop not a proxy).

        `seen` is the address Streamlit reports (None for this machine). Streamlit's server, uvicorn, already
        reports the last forwarded hop instead of a peer in FORWARDED_ALLOW_IPS (loopback by default): that is
        undone here unless those proxies are trusted here too, so nobody picks their own address."""
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
        peer, believed = seen or LOOPBACK, False
        uvicorn = networks(self.settings.forwarded_allow_ips)
        if seen is not None and hops and seen == next((h for h in reversed(hops) if not within(h, uvicorn)), hops[0]):
            # The peer was one of uvicorn's proxies (which one is not known): believed if every one is ours.
            peer = self.settings.forwarded_allow_ips[0]
            believed = all(any(n.subnet_of(o) for o in self._proxies if n.version == o.version) for n in uvicorn)
        while hops and (believed or within(peer, self._proxies)):
            peer, believed = hops.pop(), False
        return peer[:100]

    @functools.cached_property
    def _proxies(self) -> list[Network]:
        return networks(self.settings.trusted_proxies)

    @open_call("signing in and out: the password, the token or the session itself decides")
    def actor_for_session(self, token: str) -> Actor | None:
        """The signed-in user of a browser's token; None when unknown, expired, revoked or the account inactive."""
        if not token:
            return None
        live = self.records.session_user(_hash_token(token))
        return None if live is None else actor_of(live[1], live[0])

    @open_call("signing in and out: the password, the token or the session itself decides")
    def sign_out(self, token: str) -> None:
        user_id = self.records.revoke_session(_hash_token(token)) if token else None
        if user_id is not None:
            self.audit.record(f"user:{user_id}", "sign-out", f"user:{user_id}")

    @open_call("signing in and out: the password, the token or the session itself decides")
    def hand_off(self, token: str) -> str | None:
        """Open to whoever holds a live session token (a tab that just signed in): ends that session and returns a
        one-time code, valid for HAND_OFF_SECONDS, that the browser trades at the server for its session cookie."""
        code, code_hash = _new_token()
        expires_at = utcnow() + timedelta(seconds=HAND_OFF_SECONDS)
        return code if token and self.records.hand_off(_hash_token(token), code_hash, expires_at) else None

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def redeem(self, code: str) -> SignedIn | None:
        """Open to whoever holds a hand-off code: a new session for its user, once; None when the code is unknown,
        used or expired, or the account is no longer active."""
        if not code or len(code) > 200:
            return None
        token, token_hash = _new_token()
        expires_at = utcnow() + timedelta(days=self.settings.session_days)
        user_id = self.records.redeem_hand_off(_hash_token(code), token_hash, expires_at)
        return None if user_id is None else SignedIn(actor_of(self.records.user(user_id)), token, expires_at)

    @open_call("signing in and out: the password, the token or the session itself decides")
    def actor_for_oidc(self, email: str, email_verified: bool) -> Actor | None:
        """The active account with this email, when the identity provider verified it."""
        if not email_verified or not email:
            return None
        user = self.records.user_by_email(email_key(email))
        return actor_of(user) if user and user.active else None

    @open_call("signing in and out: the password, the token or the session itself decides")
    def change_password(self, actor: Actor, current: str, new: str) -> SignedIn:
        """Any signed-in user's own password (no policy grant: it is their own account); every other session of
        theirs ends, and the browser that changed it gets a fresh one."""
        if not isinstance(actor, Actor) or actor.user_id is None:
            raise Denied(actor, "write", "accounts")
        self.current(actor)  # a tab signed out elsewhere changes nothing
        user = self.records.user(actor.user_id)
        if user is None or not user.active or not self._verify(user.password_hash, current):
            raise Refused("password.wrong")
        _check_length(new)
        self.records.set_password(user.id, self.hasher.hash(new))
        self.records.revoke_sessions(user.id)
        self.audit.record(actor.label, "password.changed", f"user:{user.id}")
        return self._session(user.id)

    # Preferences

    @guarded("preferences", "write")
    def set_language(self, actor: Actor, language: str) -> None:
        """Remember the language the user chose, so their next sign-in, on any device, opens in it."""
        if language not in LOCALES:
            raise ValueError(f"no such language: {language!r}")  # the pages offer only LOCALES
        if actor.user_id is not None:  # the command line has no account to remember it in
            self.records.set_language(actor.user_id, language)

    @guarded("preferences", "read")
    def language(self, actor: Actor) -> str | None:
        """The language the user last chose; None before they ever chose one."""
        return None if actor.user_id is None else self.records.language(actor.user_id)

    # Invitations

    def _ensure_may_invite(self, actor: Actor, key: str, role: str | None, organization_id: int | None) -> bool:
        """Refuses what the actor may not invite to; True for an officer's invitation of a company's first member."""
        if role is not None:
            if role not in ACCOUNT_ROLES:
                raise Refused("role.unknown", role=role)
            ensure(actor, "write", "accounts")
            if role == "admin" and not _is_admin(actor):
                raise Denied(actor, "write", "accounts")
        if organization_id is None:
            return False
        if not allowed(actor, "write", "accounts"):
            ensure(actor, "write", "members", Target(organization_id=organization_id))
            return False  # its own members (admins hold the accounts grant too)
        target = organization_target(self.store, organization_id)
        if target.association or allowed(actor, "write", "members", target):
            return False  # admins, officers who are its members, officers into the association's own organization
        # Other officers, through their invitations grant, only bring a member company its first member, and never
        # themselves: an invitation never gives them write access to a member's answers.
        if self.records.has_members(organization_id) or key == email_key(actor.email):
            raise Denied(actor, "write", "members")
        return True

    @guarded("members", "write", also=("accounts", "write"))  # into a company, or to a role
    def invite(
        self,
        actor: Actor,
        email: str,
        *,
        role: str | None = None,
        organization_id: int | None = None,
        base_url: str = "",
    ) -> Link:
        """A one-time link that gives `email` a role, a membership or both; emailed when SMTP is configured."""
        if role is None and organization_id is None:
            raise Refused("invitation.empty")
        first_member = self._ensure_may_invite(actor, email_key(email), role, organization_id)
        key = _valid_email(email)
        expires_at = utcnow() + timedelta(days=self.settings.invitation_days)
        link = self._link("invite", key, expires_at, actor.label, base_url, role=role, organization_id=organization_id,
                          first_member=first_member)  # fmt: skip
        detail = {"role": role, "organization_id": organization_id, "sent": link.sent, "first_member": first_member}
        self.audit.record(actor.label, "invitation.created", f"email:{key}", detail)
        return link

    @guarded("accounts", "write")
    def first_member_links(self, actor: Actor, emails: list[str], base_url: str = "") -> list[Link]:
        """Single-use links that bring each email's company its first member (an officer's invitations grant, as
        `invite`), not stored here: the caller stores each `token_hash` with its companies in one transaction, then
        hands the links to `deliver`. Refused for an invalid email, Denied for the officer's own."""
        ensure(actor, "write", "accounts")
        expires_at = utcnow() + timedelta(days=self.settings.invitation_days)
        links = []
        for email in emails:
            key = _valid_email(email)
            if key == email_key(actor.email):
                raise Denied(actor, "write", "members")  # an invitation never gives an officer a member's answers
            token = secrets.token_urlsafe(32)
            url = mail.link(self.settings.base_url or base_url, "invite", token)
            links.append(Link("invite", key, token, url, expires_at, sent=False))
        return links

    @guarded("accounts", "write")
    def deliver(self, actor: Actor, links: list[Link], note: str = "") -> list[Link]:
        """Email stored invitation links over one connection when SMTP is configured, `note` first (a campaign's
        message); the links, each saying whether it went out (otherwise the page lists it to copy)."""
        ensure(actor, "write", "accounts")
        sent = False
        if self.settings.smtp is not None and links:
            try:
                mails = [mail.message(self.settings, link.email, "invite", link.url, link.expires_at, note)
                         for link in links]  # fmt: skip
                mail.send_many(self.settings.smtp, mails)
                sent = True
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("could not email %d invitations: %s", len(links), type(exc).__name__)
        return [replace(link, sent=sent) for link in links]

    def _live_link(self, token: str, purpose: str) -> LinkRecord:
        link = self.records.link(_hash_token(token)) if token else None
        if link is None or link.purpose != purpose:
            raise Refused(f"{LINK_CODE[purpose]}.unknown")
        if link.used_at is not None:
            raise Refused(f"{LINK_CODE[purpose]}.used")
        if link.expires_at <= utcnow():
            raise Refused(f"{LINK_CODE[purpose]}.expired")
        return link

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def accept_invitation(self, token: str, password: str, name: str = "") -> SignedIn:
        """Creates the account (or, for an existing one, checks its password and adds the role or membership)."""
        link = self._live_link(token, "invite")
        existing = self.records.user_by_email(link.email)
        if existing is not None and not existing.active:
            raise Refused("account.inactive")
        if existing is not None and existing.password_hash is not None:
            # Whoever holds the link must not take over an account that already has a password.
            if not self._verify(existing.password_hash, password):
                raise Refused("password.wrong")
            password_hash = None
        else:
            _check_length(password)
            password_hash = self.hasher.hash(password)
        try:
            user_id = self.records.accept_invitation(link, name=clean_name(name)[:200], password_hash=password_hash)
        except HasMembers:
            raise Refused("invitation.company-has-members") from None
        if user_id is None:
            raise Refused("invitation.used")
        detail = {"role": link.role, "organization_id": link.organization_id, "invited_by": link.created_by}
        self.audit.record(f"user:{user_id}", "invitation.accepted", f"user:{user_id}", detail)
        return self._session(user_id)

    # Administration

    def _ensure_admin(self, actor: Actor) -> None:
        """Account administration is for admins: the officers' accounts grant covers invitations only."""
        ensure(actor, "write", "accounts")
        if not _is_admin(actor):
            raise Denied(actor, "write", "accounts")

    def _existing(self, user_id: int) -> UserRecord:
        user = self.records.user(user_id)
        if user is None:
            raise Refused("account.unknown")
        return user

    @guarded("accounts", "read")
    def list_users(self, actor: Actor) -> list[User]:
        ensure(actor, "read", "accounts")
        return [_user(u) for u in self.records.users()]

    @guarded("members", "read")
    def member_counts(self, actor: Actor) -> dict[int, int]:
        """People per organization (organizations with none are left out)."""
        ensure(actor, "read", "members")
        return self.records.member_counts()

    @guarded("members", "read")
    def organizations_without_members(self, actor: Actor) -> int:
        """How many organizations nobody can sign in for (after an upgrade from before accounts, all of them)."""
        ensure(actor, "read", "members")
        return self.records.organizations_without_members()

    @guarded("members", "read")
    def organization_members(self, actor: Actor, organization_id: int) -> list[User]:
        ensure(actor, "read", "members", Target(organization_id=organization_id))
        return [_user(u) for u in self.records.users(organization_id)]

    @guarded("accounts", "write")
    def set_roles(self, actor: Actor, user_id: int, roles: list[str]) -> User:
        self._ensure_admin(actor)
        unknown = sorted(set(roles) - set(ACCOUNT_ROLES))
        if unknown:
            raise Refused("role.unknown", role=unknown[0])
        user = self._existing(user_id)
        new = [r for r in ACCOUNT_ROLES if r in roles]
        if "admin" in user.roles and "admin" not in new and not self._other_admin(user_id):
            raise Refused("roles.last-admin")
        self.records.set_roles(user_id, new)
        self.audit.record(actor.label, "roles.set", f"user:{user_id}", {"old": list(user.roles), "new": new})
        return _user(self._existing(user_id))

    @guarded("accounts", "write")
    def set_active(self, actor: Actor, user_id: int, active: bool) -> User:
        """A deactivated account cannot sign in, and its sessions end at once; its data stays."""
        self._ensure_admin(actor)
        user = self._existing(user_id)
        if not active and "admin" in user.roles and not self._other_admin(user_id):
            raise Refused("roles.last-admin")
        self.records.set_active(user_id, active)
        if not active:
            self.records.revoke_sessions(user_id)
        self.audit.record(actor.label, "account.activated" if active else "account.deactivated", f"user:{user_id}")
        return _user(self._existing(user_id))

    def _other_admin(self, user_id: int) -> bool:
        return any("admin" in u.roles and u.active and u.id != user_id for u in self.records.users())

    @guarded("accounts", "write")
    def add_member(self, actor: Actor, user_id: int, organization_id: int) -> bool:
        """An admin puts an existing account into an organization (others invite: the person accepts); False when
        the user was a member already."""
        self._ensure_admin(actor)
        self._existing(user_id)
        added = self.records.add_membership(user_id, organization_id)
        if added:
            self.audit.record(actor.label, "member.added", f"user:{user_id}", {"organization_id": organization_id})
        return added

    @guarded("members", "write")
    def remove_member(self, actor: Actor, user_id: int, organization_id: int) -> bool:
        """False when the user was no member."""
        ensure(actor, "write", "members", Target(organization_id=organization_id))
        removed = self.records.remove_membership(user_id, organization_id)
        if removed:
            self.audit.record(actor.label, "member.removed", f"user:{user_id}", {"organization_id": organization_id})
        return removed

    @guarded("accounts", "write")
    def reset_link(self, actor: Actor, user_id: int, base_url: str = "") -> Link:
        """A one-time link (24 hours) to choose a new password; emailed when SMTP is configured."""
        self._ensure_admin(actor)
        user = self._existing(user_id)
        expires_at = utcnow() + timedelta(hours=RESET_HOURS)
        link = self._link("reset", user.email, expires_at, actor.label, base_url, user_id=user.id)
        self.audit.record(actor.label, "reset.created", f"user:{user_id}", {"sent": link.sent})
        return link

    @open_call("a one-time link, the first run or the settings decide, not a signed-in user")
    def use_reset(self, token: str, new_password: str) -> SignedIn:
        """Sets the new password and ends every session of the account."""
        link = self._live_link(token, "reset")
        _check_length(new_password)
        user = self.records.user(link.user_id)
        if user is None or not user.active:
            raise Refused("account.inactive")
        if not self.records.use_reset(link, self.hasher.hash(new_password)):
            raise Refused("reset.used")
        self.audit.record(f"user:{user.id}", "reset.used", f"user:{user.id}", {"created_by": link.created_by})
        return self._session(user.id)
