"""A copy of the whole database and the way back, for the server's operator (the command line only, no role).

A backup holds every company's answers and evidence: keep it like the database (encrypted at rest, never emailed)."""

from __future__ import annotations

from pathlib import Path

from services.audit import Audit
from services.policy import Actor, ensure, guarded
from store import backup
from store.backup import Copy, CopyFailed, NotACopy, ToolMissing
from store.repository import Store

__all__ = ["Backups", "Copy", "CopyFailed", "NotACopy", "ToolMissing", "WouldReplace"]


class WouldReplace(ValueError):
    """The database holds data and replacing it was not confirmed; nothing was changed."""

    def __init__(self, rows: dict[str, int]) -> None:
        super().__init__(f"the database holds {sum(rows.values())} rows in {len(rows)} tables")
        self.rows = rows


class Backups:
    def __init__(self, store: Store, audit: Audit) -> None:
        self.store, self.audit = store, audit

    @guarded("database_copy", "read")
    def back_up(self, actor: Actor, out: Path) -> Copy:
        """A consistent copy of the whole database at `out` (readable by its owner only), taken while the app runs."""
        ensure(actor, "read", "database_copy")
        copy = backup.back_up(self.store.engine, out)
        self.audit.record(actor.label, "database.backup", str(out), {"bytes": copy.bytes, "revision": copy.revision})
        return copy

    @guarded("database_copy", "write")
    def restore(self, actor: Actor, path: Path, replace: bool = False) -> Copy:
        """Replace the whole database with the backup at `path` (an older one is then migrated); a database that
        holds data is replaced only when `replace` says so. Refused before anything changes; audited after."""
        ensure(actor, "write", "database_copy")
        backup.revision_of(self.store.engine, path)
        rows = backup.held(self.store.engine)
        if rows and not replace:
            raise WouldReplace(rows)
        copy = backup.restore(self.store.engine, path)
        self.audit.record(actor.label, "database.restore", str(path),
                          {"bytes": copy.bytes, "revision": copy.revision, "migrated_to": copy.migrated_to})  # fmt: skip
        return copy
