"""Reading and writing accounts, memberships, sessions, one-time links, sign-in failures and audit events.

Tokens reach this module only as their sha256; passwords only as their argon2 hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from store import schema
from store.db import as_utc, utcnow
from store.repository import Store


@dataclass(frozen=True)
class UserRecord:
    id: int
    email: str
    name: str
    password_hash: str | None
    roles: tuple[str, ...]
    active: bool
    organizations: tuple[int, ...]
    created_at: datetime
    password_changed_at: datetime | None


@dataclass(frozen=True)
class Access:
    """What a signed-in user may do right now: read afresh at every service call."""

    email: str
    roles: tuple[str, ...]
    organizations: tuple[int, ...]


@dataclass(frozen=True)
class LinkRecord:
    id: int
    purpose: str
    email: str
    role: str | None
    organization_id: int | None
    user_id: int | None
    created_by: str
    expires_at: datetime
    used_at: datetime | None
    first_member: bool = False


class HasMembers(Exception):
    """A first-member invitation into an organization that has members by now."""


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any] | None


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


class AccountRecords:
    """The accounts tables of one deployment's database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.session = store.session

    # Users and memberships

    def _users(self, s: Session, *where) -> list[UserRecord]:
        rows = s.scalars(select(schema.User).where(*where).order_by(schema.User.email)).all()
        memberships: dict[int, list[int]] = {}
        if rows:
            query = select(schema.Membership.user_id, schema.Membership.organization_id).where(
                schema.Membership.user_id.in_([r.id for r in rows])
            )
            for user_id, organization_id in s.execute(query.order_by(schema.Membership.organization_id)):
                memberships.setdefault(user_id, []).append(organization_id)
        return [
            UserRecord(
                id=r.id,
                email=r.email,
                name=r.name,
                password_hash=r.password_hash,
                roles=tuple(r.roles or ()),
                active=r.active,
                organizations=tuple(memberships.get(r.id, ())),
                created_at=as_utc(r.created_at),
                password_changed_at=_optional_utc(r.password_changed_at),
            )  # fmt: skip
            for r in rows
        ]

    def any_user(self) -> bool:
        with self.session() as s:
            return s.scalar(select(schema.User.id).limit(1)) is not None

    def user(self, user_id: int) -> UserRecord | None:
        with self.session() as s:
            found = self._users(s, schema.User.id == user_id)
        return found[0] if found else None

    def user_by_email(self, email: str) -> UserRecord | None:
        with self.session() as s:
            found = self._users(s, schema.User.email == email)
        return found[0] if found else None

    def users(self, organization_id: int | None = None) -> list[UserRecord]:
        """Every account by email, or the members of one organization."""
        with self.session() as s:
            if organization_id is None:
                return self._users(s)
            members = select(schema.Membership.user_id).where(schema.Membership.organization_id == organization_id)
            return self._users(s, schema.User.id.in_(members))

    def create_first_user(self, email: str, password_hash: str, roles: list[str]) -> int | None:
        """The first account, or None when one exists already (also when another first run got there first)."""
        with self.session.begin() as s:
            if self.store.engine.dialect.name == "postgresql":
                # Two first runs at once would both see an empty table; SQLite's BEGIN IMMEDIATE already serialises.
                s.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
            if s.scalar(select(schema.User.id).limit(1)) is not None:
                return None
            return self._add_user(s, email, "", password_hash, roles)

    def _add_user(self, s: Session, email: str, name: str, password_hash: str | None, roles: list[str]) -> int:
        now = utcnow()
        row = schema.User(
            email=email, name=name, password_hash=password_hash, roles=roles, active=True, created_at=now,
            password_changed_at=now if password_hash else None,
        )  # fmt: skip
        s.add(row)
        s.flush()
        return row.id

    def _add_membership(self, s: Session, user_id: int, organization_id: int) -> bool:
        statement = (
            self.store.insert(schema.Membership)
            .values(user_id=user_id, organization_id=organization_id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "organization_id"])
            .returning(schema.Membership.user_id)
        )
        # RETURNING, since drivers differ in the rowcount they report for ON CONFLICT DO NOTHING.
        return s.execute(statement).first() is not None

    def _has_members(self, s: Session, organization_id: int | None) -> bool:
        # The organization's row locked first, so two first members cannot join at the same moment (SQLite's
        # BEGIN IMMEDIATE already serialises writers).
        s.execute(select(schema.Organization.id).where(schema.Organization.id == organization_id).with_for_update())
        member = select(schema.Membership.user_id).where(schema.Membership.organization_id == organization_id)
        return s.scalar(member.limit(1)) is not None

    def has_members(self, organization_id: int) -> bool:
        with self.session() as s:
            member = select(schema.Membership.user_id).where(schema.Membership.organization_id == organization_id)
            return s.scalar(member.limit(1)) is not None

    def member_counts(self) -> dict[int, int]:
        """How many people belong to each organization that has any."""
        query = select(schema.Membership.organization_id, func.count()).group_by(schema.Membership.organization_id)
        with self.store.session() as s:
            return {organization_id: count for organization_id, count in s.execute(query)}

    def organizations_without_members(self) -> int:
        """How many real organizations have nobody in them, in one query (demo companies have no people)."""
        member = select(schema.Membership.organization_id).where(
            schema.Membership.organization_id == schema.Organization.id
        )
        query = select(func.count()).select_from(schema.Organization).where(~member.exists(),
                                                                            ~schema.Organization.synthetic)  # fmt: skip
        with self.store.session() as s:
            return s.scalar(query)

    def add_membership(self, user_id: int, organization_id: int) -> bool:
        """False when the user was a member already."""
        with self.session.begin() as s:
            return self._add_membership(s, user_id, organization_id)

    def remove_membership(self, user_id: int, organization_id: int) -> bool:
        with self.session.begin() as s:
            statement = delete(schema.Membership).where(
                schema.Membership.user_id == user_id, schema.Membership.organization_id == organization_id
            )
            return s.execute(statement).rowcount == 1

    def set_roles(self, user_id: int, roles: list[str]) -> None:
        with self.session.begin() as s:
            s.execute(update(schema.User).where(schema.User.id == user_id).values(roles=roles))

    def set_active(self, user_id: int, active: bool) -> None:
        with self.session.begin() as s:
            s.execute(update(schema.User).where(schema.User.id == user_id).values(active=active))

    def set_password(self, user_id: int, password_hash: str, *, changed: bool = True) -> None:
        """A new hash; `changed` False for a rehash of the same password (its change date stays)."""
        values: dict[str, Any] = {"password_hash": password_hash}
        if changed:
            values["password_changed_at"] = utcnow()
        with self.session.begin() as s:
            s.execute(update(schema.User).where(schema.User.id == user_id).values(**values))

    def set_language(self, user_id: int, language: str) -> None:
        with self.session.begin() as s:
            s.execute(update(schema.User).where(schema.User.id == user_id).values(language=language))

    def language(self, user_id: int) -> str | None:
        with self.session() as s:
            return s.scalar(select(schema.User.language).where(schema.User.id == user_id))

    # Sessions

    def add_session(self, user_id: int, token_hash: str, expires_at: datetime) -> int:
        """The new session's id. Also forgets this user's expired sessions, so the table keeps only what can still
        be checked."""
        sessions = schema.AuthSession
        with self.session.begin() as s:
            s.execute(delete(sessions).where(sessions.user_id == user_id, sessions.expires_at < utcnow()))
            row = schema.AuthSession(user_id=user_id, token_hash=token_hash, created_at=utcnow(), expires_at=expires_at)
            s.add(row)
            s.flush()
            return row.id

    def session_user(self, token_hash: str) -> tuple[int, UserRecord] | None:
        """The session's id and its active account, for a session that is neither expired nor revoked."""
        sessions = schema.AuthSession
        with self.session() as s:
            live = s.execute(
                select(sessions.id, sessions.user_id).where(
                    sessions.token_hash == token_hash, sessions.revoked_at.is_(None), sessions.expires_at > utcnow()
                )
            ).first()
            found = self._users(s, schema.User.id == live.user_id, schema.User.active.is_(True)) if live else []
        return (live.id, found[0]) if found else None

    def access(self, user_id: int, session_id: int | None) -> Access | None:
        """The roles and memberships of an active account, in one query; with a session id, only while that session
        of the account is live. None when the session ended or the account is inactive (or gone)."""
        u, m, a = schema.User, schema.Membership, schema.AuthSession
        query = (
            select(u.email, u.roles, m.organization_id)
            .select_from(u)
            .outerjoin(m, m.user_id == u.id)
            .where(u.id == user_id, u.active.is_(True))
        )
        if session_id is not None:
            query = query.join(a, a.user_id == u.id).where(
                a.id == session_id, a.revoked_at.is_(None), a.expires_at > utcnow()
            )
        with self.session() as s:
            rows = s.execute(query).all()
        if not rows:
            return None
        organizations = sorted(r.organization_id for r in rows if r.organization_id is not None)
        return Access(rows[0].email, tuple(rows[0].roles or ()), tuple(organizations))

    def revoke_session(self, token_hash: str) -> int | None:
        """The user whose session this was, if it was live."""
        sessions = schema.AuthSession
        with self.session.begin() as s:
            user_id = s.scalar(
                select(sessions.user_id).where(sessions.token_hash == token_hash, sessions.revoked_at.is_(None))
            )
            s.execute(update(sessions).where(sessions.token_hash == token_hash).values(revoked_at=utcnow()))
            return user_id

    def revoke_sessions(self, user_id: int) -> None:
        sessions = schema.AuthSession
        with self.session.begin() as s:
            s.execute(
                update(sessions)
                .where(sessions.user_id == user_id, sessions.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )

    def hand_off(self, token_hash: str, code_hash: str, expires_at: datetime) -> int | None:
        """In one transaction: end a live session and keep a one-time code (a link of purpose "session") for its
        user, forgetting the user's used or expired ones. The user's id, or None when the session was not live."""
        sessions, links = schema.AuthSession, schema.Invitation
        now = utcnow()
        live = (sessions.token_hash == token_hash, sessions.revoked_at.is_(None), sessions.expires_at > now)
        with self.session.begin() as s:
            user = s.execute(
                select(schema.User.id, schema.User.email)
                .join(sessions, sessions.user_id == schema.User.id)
                .where(*live)
            ).first()
            if user is None or s.execute(update(sessions).where(*live).values(revoked_at=now)).rowcount != 1:
                return None
            s.execute(
                delete(links).where(links.purpose == "session", links.user_id == user.id,
                                    or_(links.used_at.is_not(None), links.expires_at < now))
            )  # fmt: skip
            s.add(schema.Invitation(
                token_hash=code_hash, purpose="session", email=user.email, user_id=user.id,
                created_by=f"user:{user.id}", created_at=now, expires_at=expires_at,
            ))  # fmt: skip
            return user.id

    def redeem_hand_off(self, code_hash: str, token_hash: str, session_expires_at: datetime) -> int | None:
        """In one transaction: use a live session code and start a session for its user, if still active. The
        user's id, or None when the code is unknown, used or expired."""
        links, users = schema.Invitation, schema.User
        with self.session.begin() as s:
            found = s.execute(
                select(links.id, links.user_id)
                .join(users, users.id == links.user_id)
                .where(links.token_hash == code_hash, links.purpose == "session", links.used_at.is_(None),
                       links.expires_at > utcnow(), users.active.is_(True))
            ).first()  # fmt: skip
            if found is None or not self._claim(s, found.id):
                return None
            s.add(schema.AuthSession(user_id=found.user_id, token_hash=token_hash, created_at=utcnow(),
                                     expires_at=session_expires_at))  # fmt: skip
            return found.user_id

    # One-time links: invitations, password resets and session hand-offs

    def add_link(self, token_hash: str, purpose: str, email: str, expires_at: datetime, created_by: str, *,
                 role: str | None = None, organization_id: int | None = None, user_id: int | None = None,
                 first_member: bool = False) -> None:  # fmt: skip
        with self.session.begin() as s:
            s.add(schema.Invitation(
                token_hash=token_hash, purpose=purpose, email=email, role=role, organization_id=organization_id,
                user_id=user_id, created_by=created_by[:100], created_at=utcnow(), expires_at=expires_at,
                first_member=first_member,
            ))  # fmt: skip

    def link(self, token_hash: str) -> LinkRecord | None:
        with self.session() as s:
            r = s.scalar(select(schema.Invitation).where(schema.Invitation.token_hash == token_hash))
        if r is None:
            return None
        return LinkRecord(
            id=r.id, purpose=r.purpose, email=r.email, role=r.role, organization_id=r.organization_id,
            user_id=r.user_id, created_by=r.created_by, expires_at=as_utc(r.expires_at),
            used_at=_optional_utc(r.used_at), first_member=r.first_member,
        )  # fmt: skip

    def _claim(self, s: Session, link_id: int) -> bool:
        """Marks the link used; False when another request used it first (single use under concurrency)."""
        statement = (
            update(schema.Invitation)
            .where(schema.Invitation.id == link_id, schema.Invitation.used_at.is_(None))
            .values(used_at=utcnow())
        )
        return s.execute(statement).rowcount == 1

    def accept_invitation(self, link: LinkRecord, *, name: str, password_hash: str | None) -> int | None:
        """In one transaction: use the link, create the account (or keep the existing one), add its role and
        membership. The user's id, or None when the link was used meanwhile. `password_hash` is set only on an
        account that has none. Raises HasMembers for a first-member invitation into an organization with members."""
        with self.session.begin() as s:
            if link.first_member and self._has_members(s, link.organization_id):
                raise HasMembers(link.organization_id)
            if not self._claim(s, link.id):
                return None
            row = s.scalar(select(schema.User).where(schema.User.email == link.email))
            if row is None:
                user_id = self._add_user(s, link.email, name, password_hash, [link.role] if link.role else [])
            else:
                user_id = row.id
                if link.role and link.role not in row.roles:
                    row.roles = [*row.roles, link.role]
                if row.password_hash is None and password_hash:
                    row.password_hash, row.password_changed_at = password_hash, utcnow()
            if link.organization_id is not None:
                self._add_membership(s, user_id, link.organization_id)
            return user_id

    def use_reset(self, link: LinkRecord, password_hash: str) -> bool:
        """In one transaction: use the link, set the password, revoke every session of the account."""
        with self.session.begin() as s:
            if not self._claim(s, link.id):
                return False
            now = utcnow()
            s.execute(
                update(schema.User)
                .where(schema.User.id == link.user_id)
                .values(password_hash=password_hash, password_changed_at=now)
            )
            s.execute(
                update(schema.AuthSession)
                .where(schema.AuthSession.user_id == link.user_id, schema.AuthSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return True

    # Sign-in failures

    def add_failure(self, email_key: str, client: str, window: timedelta) -> None:
        """Records a failure and forgets those too old to count."""
        now = utcnow()
        with self.session.begin() as s:
            s.execute(delete(schema.SignInFailure).where(schema.SignInFailure.at < now - window))
            # What was typed may be longer than any email (no account has it); its first 254 characters still count.
            s.add(schema.SignInFailure(email_key=email_key[:254], client=client[:100], at=now))

    def clear_failures(self, email_key: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(schema.SignInFailure).where(schema.SignInFailure.email_key == email_key[:254]))

    def recent_failures(self, subject: str, client: str, since: datetime) -> list[tuple[int, datetime | None]]:
        """How many failures since `since`, and the last one's time: for the subject, then for the client."""
        f = schema.SignInFailure
        found = []
        with self.session() as s:
            for condition in (f.email_key == subject[:254], f.client == client[:100]):
                count, last = s.execute(select(func.count(), func.max(f.at)).where(condition, f.at > since)).one()
                found.append((count, _optional_utc(last)))
        return found

    # Audit

    def add_event(self, actor: str, action: str, target: str, detail: dict[str, Any] | None) -> None:
        with self.session.begin() as s:
            s.add(schema.AuditEvent(at=utcnow(), actor=actor[:100], action=action[:60], target=target[:200],
                                    detail=detail))  # fmt: skip

    def events(self, limit: int | None = None) -> list[EventRecord]:
        """Newest first."""
        e = schema.AuditEvent
        query = select(e).order_by(e.at.desc(), e.id.desc()).limit(limit)
        with self.session() as s:
            rows = s.scalars(query).all()
        return [EventRecord(r.id, as_utc(r.at), r.actor, r.action, r.target, r.detail) for r in rows]
