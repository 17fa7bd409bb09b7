"""Accounts for tests, made through the accounts service as an admin would: a signed-in session token to hand to
an AppTest session or a browser cookie."""

from __future__ import annotations

from pathlib import Path

from services.app import Gapura
from services.settings import Settings

PASSWORD = "kata-sandi-uji-123"
ADMIN = "admin@gapura.test"


def session_token(database_url: str, standards_dir: Path, email: str, *, organization: str | None = None,
                  roles: tuple[str, ...] = ()) -> str:  # fmt: skip
    """A session for `email`, a member of `organization` (created if new) and/or holding `roles`."""
    app = Gapura(Settings(database_url=database_url, standards_dir=Path(standards_dir)))
    try:
        accounts = app.accounts
        if accounts.needs_first_run():
            accounts.first_run(ADMIN, PASSWORD)
        existing = accounts.sign_in(email, PASSWORD, "tests")
        if hasattr(existing, "token") and organization is None and not roles:
            return existing.token  # the same person signing in again, in another browser
        admin = accounts.sign_in(ADMIN, PASSWORD, "tests").actor
        org = app.store.ensure_organization({"name": organization}) if organization else None
        link = accounts.invite(admin, email, organization_id=org, role=None if org else (roles or ("researcher",))[0])
        signed = accounts.accept_invitation(link.token, PASSWORD)
        if roles:
            accounts.set_roles(admin, signed.actor.user_id, list(roles))
        return accounts.sign_in(email, PASSWORD, "tests").token
    finally:
        app.close()
