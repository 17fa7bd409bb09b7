"""Proposals do not count as answered: an answer carried over from the last round or pre-filled (it has an origin)
counts only once the company confirms it (scoring.assessment.is_answered), so answers.given is false for them.

Revision ID: 0009
Revises: 0006
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE answers SET given = false WHERE origin IS NOT NULL")


def downgrade() -> None:
    # The rule before: a level, or N/A with a reason, whoever gave it.
    op.execute(
        "UPDATE answers SET given = (level IS NOT NULL OR (na AND justification IS NOT NULL AND justification != ''))"
        " WHERE origin IS NOT NULL"
    )
