"""organizations.synthetic (demo data, removable in one action) and assessments.submitted_at (when an assessment was
last submitted; the Progress page compares rounds by it). Assessments submitted before this upgrade get their last
activity (updated_at) as the best date known.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch with an expression default copies the table and drops the
    # old one, and with foreign keys on that drop cascades to every assessment and answer.
    op.add_column("organizations", sa.Column("synthetic", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("assessments", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
    # Submitting wrote updated_at and nothing writes a submitted assessment since (it is read-only), so
    # updated_at is when it was submitted.
    op.execute("UPDATE assessments SET submitted_at = updated_at WHERE status = 'submitted'")


def downgrade() -> None:
    op.drop_column("assessments", "submitted_at")  # SQLite 3.35+ drops a column in place (see upgrade)
    op.drop_column("organizations", "synthetic")
