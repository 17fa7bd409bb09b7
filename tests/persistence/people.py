"""Real accounts for service tests: every guarded call re-reads its actor from the database, so an actor made up
in a test (a user id no account has) is refused like a signed-out tab."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from argon2 import PasswordHasher

from services.app import Gapura
from services.policy import Actor
from store import schema
from store.db import utcnow

PASSWORD = "kata-sandi-uji-123"


def person(app: Gapura, *, roles: Iterable[str] = (), organizations: Iterable[int] = (), email: str = "") -> Actor:
    """A new account with these roles and memberships, signed in (a live session)."""
    email = email or f"orang-{uuid.uuid4().hex[:8]}@gapura.test"
    now = utcnow()
    with app.store.session.begin() as s:
        user = schema.User(email=email, name="", password_hash=PasswordHasher().hash(PASSWORD), roles=list(roles),
                           active=True, created_at=now, password_changed_at=now)  # fmt: skip
        s.add(user)
        s.flush()
        s.add_all(schema.Membership(user_id=user.id, organization_id=o, created_at=now) for o in organizations)
    return app.accounts.sign_in(email, PASSWORD, "tests").actor
