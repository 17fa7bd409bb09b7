"""Accounts, roles, memberships, sessions, invitations, sign-in failures and the audit log.

Revision ID: 0002
Revises: 0001
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the accounts work


def downgrade() -> None:
    pass
