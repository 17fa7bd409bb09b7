"""The application: one object owns the settings, the database, the standards library and the use cases; the
pages and the command line both go through it."""

from __future__ import annotations

from scoring.library import Library
from services.accounts import Accounts
from services.assessing import Assessing
from services.audit import Audit
from services.settings import Settings
from services.standards import Standards, library_from
from services.transfer import Transfer
from store.db import make_engine
from store.repository import Store


class Gapura:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(make_engine(settings.database_url))
        self.assessing = Assessing(self.store, self.library)
        self.transfer = Transfer(self.store, self.library)
        self.standards = Standards(self.store, self.library, lambda: self.settings.standards_dir)
        self.audit = Audit(self.store)
        self.accounts = Accounts(self.store, settings, self.audit)

    def library(self) -> Library:
        return library_from(self.settings.standards_dir)

    def close(self) -> None:
        self.store.engine.dispose()
