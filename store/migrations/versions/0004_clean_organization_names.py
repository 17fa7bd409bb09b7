"""Organization names stored before names were cleaned get the current rule (NFKC; zero-width, direction and
control characters removed; single spaces): their name and name_key are recomputed.

Two organizations whose cleaned names are the same are not merged (whose answers are whose is a policy decision):
the earlier one, or the one already stored clean, takes the key; the other keeps its old key, so it stays a
separate organization, gets the cleaned name and is recorded in the audit log (organization.look-alike). The
Organizations page lists such look-alikes for an admin.

Revision ID: 0004
Revises: 0003
"""

import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MAX_NAME = 200  # organizations.name and name_key are String(200)
# The rule of scoring.model.Organization.clean as it stood when this migration was written, copied here: a
# migration must do the same thing whenever it runs, whatever the application's rule becomes later.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean(text: str) -> str:
    """NFKC; zero-width, direction and control characters removed; single spaces, none at the ends."""
    text = unicodedata.normalize("NFKC", text)
    kept = (c for c in text if c.isspace() or not (unicodedata.category(c) == "Cc" or c in INVISIBLE))
    return " ".join("".join(kept).split())


def upgrade() -> None:
    organizations = sa.table(
        "organizations",
        sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )  # fmt: skip
    events = sa.table(
        "audit_events",
        sa.column("at", sa.DateTime(timezone=True)), sa.column("actor", sa.String), sa.column("action", sa.String),
        sa.column("target", sa.String), sa.column("detail", sa.JSON),
    )  # fmt: skip
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(organizations.c.id, organizations.c.name, organizations.c.name_key).order_by(
            organizations.c.created_at, organizations.c.id
        )
    ).all()
    cleaned = {row.id: clean(row.name) for row in rows}
    # Every key stored now is taken (keys are unique); a key already stored clean stays with its organization, and
    # the clean keys still free are given out oldest first.
    owner = {row.name_key: row.id for row in rows}
    look_alikes = []
    for row in rows:
        name = cleaned[row.id]
        key = name.casefold()
        if not name or len(key) > MAX_NAME or len(name) > MAX_NAME:
            continue  # nothing left to show, or too long for the columns: kept as it was
        if owner.setdefault(key, row.id) != row.id:
            look_alikes.append((row.id, owner[key]))
            key = row.name_key
        if (name, key) != (row.name, row.name_key):
            connection.execute(
                organizations.update().where(organizations.c.id == row.id).values(name=name, name_key=key)
            )
    now = datetime.now(UTC)
    for organization_id, same_as in look_alikes:  # no names in the audit log: they must go when erased
        connection.execute(
            events.insert().values(
                at=now, actor="migration:0004", action="organization.look-alike",
                target=f"organization:{organization_id}", detail={"same_name_as": f"organization:{same_as}"},
            )
        )  # fmt: skip


def downgrade() -> None:
    pass  # the names as they were typed are not kept: cleaning cannot be undone, and 0003's schema is unchanged
