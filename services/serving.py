"""Whom this Gapura serves: one company (its own self-assessment, results and library; the admin pages stay) or an
association of members (the association's, research and demo pages too). Asked at the first run, changed by an
admin; a database from before the question serves an association, as it always did."""

from __future__ import annotations

from typing import Literal

from services.audit import Audit
from services.policy import Actor, guarded, open_call
from store import app_settings
from store.repository import Store

Serves = Literal["company", "association"]
SERVES: tuple[Serves, ...] = ("company", "association")
SETTING = "serves"
DEFAULT: Serves = "association"


class Serving:
    def __init__(self, store: Store, audit: Audit) -> None:
        self.store, self.audit = store, audit

    @open_call("which menus this Gapura offers: the same for everyone, and it names no one")
    def serves(self) -> Serves:
        value = app_settings.read(self.store, SETTING)
        return value if value in SERVES else DEFAULT  # type: ignore[return-value]

    @guarded("app_settings", "write")
    def set_serves(self, actor: Actor, serves: Serves) -> None:
        if serves not in SERVES:
            raise ValueError(serves)
        app_settings.write(self.store, SETTING, serves, actor.label)
        self.audit.record(actor.label, "settings.serves", SETTING, {"serves": serves})
