"""invitations.first_member: an officer's invitation into a member company brings it its first member and is
accepted only while the company has none. Invitations made before are not marked (they were made under the old
rule and keep working).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: a batch on SQLite copies and drops the table (see 0005).
    op.add_column("invitations", sa.Column("first_member", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("invitations", "first_member")  # SQLite 3.35+ drops a column in place
