"""The audit log: who did what to which account, organization or link; readable and downloadable by admins."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.export import safe_cell
from services.policy import Actor, ensure, guarded, open_call
from store.accounts import AccountRecords
from store.repository import Store

CSV_COLUMNS = ("at", "actor", "action", "target", "detail")


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class Audit:
    def __init__(self, store: Store) -> None:
        self.records = AccountRecords(store)

    @open_call("append-only: each service records its own actions; reading is guarded")
    def record(self, actor_label: str, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
        """Callers never pass a password or a token in `detail`."""
        self.records.add_event(actor_label, action, target, detail or None)

    @guarded("audit_log", "read")
    def events(self, actor: Actor, limit: int | None = 200) -> list[AuditEvent]:
        """Newest first."""
        ensure(actor, "read", "audit_log")
        return [AuditEvent(e.at, e.actor, e.action, e.target, dict(e.detail or {})) for e in self.records.events(limit)]

    @guarded("audit_log", "read")
    def csv(self, actor: Actor) -> bytes:
        """The whole log, newest first, safe to open in a spreadsheet (UTF-8 with BOM, like the result files)."""
        ensure(actor, "read", "audit_log")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # CRLF: a cell with a bare CR is quoted
        writer.writerow(CSV_COLUMNS)
        for e in self.events(actor, limit=None):
            detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
            writer.writerow([e.at.isoformat(), *map(safe_cell, (e.actor, e.action, e.target, detail))])
        return out.getvalue().encode("utf-8-sig")
