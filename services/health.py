"""Whether this replica can serve (/readyz): its database answers and holds the schema this release expects."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from services.policy import open_call
from store.db import alembic_config
from store.repository import Store


class Health:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.expected = frozenset(ScriptDirectory.from_config(alembic_config(store.engine)).get_heads())

    @open_call("a probe of the load balancer: it names no one and shows no data, only the schema's revision")
    def unready(self) -> str | None:
        """Why this replica should get no users now, in one line (None: ready). Raises when the database is away."""
        with self.store.session() as s:
            found = frozenset(MigrationContext.configure(s.connection()).get_current_heads())
        if found == self.expected:
            return None
        return f"database schema at {_named(found)}, this release needs {_named(self.expected)}"


def _named(revisions: frozenset[str]) -> str:
    return ", ".join(sorted(revisions)) or "none"
