"""The application: one object owns the settings, the database, the standards library and the use cases; the
pages and the command line both go through it."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from reports.association_report import STAGES as COMPLETION
from reports.association_report import Completion, SupportChange, SupportKind, Verified
from reports.association_report import Support as SupportFigures
from scoring.library import Library
from scoring.model import Standard
from services.accounts import Accounts
from services.aggregates import Aggregates
from services.assessing import Assessing
from services.association import Association
from services.audit import Audit
from services.backup import Backups
from services.campaigns import Campaigns
from services.demo import Demo
from services.evidence import Evidence
from services.gate import Gate
from services.health import Health
from services.keys import PseudonymKey
from services.library_admin import LibraryAdmin
from services.ministry_report import MinistryReport
from services.panels import Filters, Panels
from services.personal_data import PersonalData
from services.plans import Plans
from services.policy import Actor, check_actors
from services.reminders import Reminders
from services.reports import Reports
from services.research import Research
from services.serving import Serving
from services.settings import Settings
from services.standards import Standards, StandardsLibrary
from services.support import Support
from services.transfer import Transfer
from services.verification import Verifying
from store.db import disk_full, make_engine
from store.db import unavailable as _unavailable
from store.repository import NotFound, Store

__all__ = ["Gapura", "NotFound", "disk_full", "unavailable"]


def unavailable(exc: BaseException) -> bool:
    """The database could not be reached or went away: a failure to wait out (the page keeps what it has and says
    so), not a bug."""
    return _unavailable(exc)


class Gapura:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(make_engine(settings.database_url))
        self.health = Health(self.store)
        self.standards_library = StandardsLibrary(self.store, lambda: self.settings.standards_dir)
        self.standards = Standards(self.store, self.standards_library)
        self.audit = Audit(self.store)
        self.keys = PseudonymKey(self.store, settings, self.audit)
        self.keys._move_stored()
        self.accounts = Accounts(self.store, settings, self.audit)
        self.assessing = Assessing(self.store, self.standard, self.standards.remember)
        self.transfer = Transfer(self.store, self.library, self.standard, self.standards.remember, self.audit)
        self.personal_data = PersonalData(self.store, self.audit)
        self.plans = Plans(self.store, self.standard, self.audit)
        self.reminders = Reminders(self.store, settings, self.standard, self.audit)
        self.evidence = Evidence(self.store, self.audit, lambda: self.settings.evidence_mb)
        self.verification = Verifying(self.store, self.standard, self.assessing, self.evidence.documents, self.audit)
        threshold = lambda: self.settings.privacy_threshold  # noqa: E731
        self._panels = Panels(self.store, self.standard)
        self._gate = Gate(self.store, threshold)
        self.association = Association(self.store, self._panels, threshold, self._pseudonym_secret)
        self.aggregates = Aggregates(self.store, self._panels, self._gate)
        self.reports = Reports(
            self.store,
            self.standard,
            self.assessing,
            self.aggregates,
            tracking=self.plans.tracking,
            documents=self.evidence.documents,
            verification=self.verification.view,
        )
        # The programme's figures (campaigns, support, verification) are wired in here once their services exist.
        self.ministry_report = MinistryReport(
            self.store, self._panels, self._gate, self.association, self.audit,
            campaign=self._campaign_completion, support=self._support_given, verified=self._verified_figures,
        )  # fmt: skip
        self.research = Research(self.store, self._panels, self._gate, self.audit, self._pseudonym_secret)
        self.support = Support(self.store, self._panels, self.library, threshold, self.audit)
        self.library_admin = LibraryAdmin(self.standards_library, self.audit)
        self.serving = Serving(self.store, self.audit)
        self.campaigns = Campaigns(self.store, self.standard, self.standards.remember, self.accounts, self.audit)
        self.demo = Demo(self.store, self.offered_for_demo, self.standards.remember, self.audit)
        self.backups = Backups(self.store, self.audit)
        # Every part this application holds, so a service added later is checked without being named here.
        check_actors(self.accounts.current, *vars(self).values())

    def library(self) -> Library:
        """The published standard versions (services/standards.py), as every replica sees them now."""
        return self.standards_library.current()

    def standard(self, standard_id: str, version: str | None = None) -> Standard | None:
        """The standard version an assessment uses: its stored copy once one was used, so a file removed or edited
        later changes nothing; without a version, the library's latest."""
        return self.library().get(standard_id) if version is None else self.standards.get(standard_id, version)

    def offered_for_demo(self) -> list[Standard]:
        """The standards new assessments start with, of companies and of the association: what demo data answers."""
        return self.standards_library.offered("organization") + self.standards_library.offered("association")

    def _campaign_completion(self, actor: Actor, campaign_id: int) -> tuple[str, Completion]:
        """The ministry report's campaign section: the round's name and its members per stage, from the tracker."""
        tracker = self.campaigns.tracker(actor, campaign_id, datetime.now(UTC).date())
        return tracker.campaign.round_name, Completion(**{stage: tracker.counts[stage] for stage in COMPLETION})

    def _support_given(self, actor: Actor, standard_id: str, version: str) -> SupportFigures | None:
        """The ministry report's support section: what each kind of support reached, and between the version's last
        two campaign rounds the change in overall score with and without it (as the Support page computes it)."""
        given = self.support.given(actor)
        if not given:
            return None
        rounds = self.support.rounds(actor, standard_id, version)
        changes = []
        for kind, *_ in given if len(rounds) >= 2 else ():
            table = self.support.effect(actor, standard_id, version, rounds[-2], rounds[-1], kind).table
            overall = table[table["measure"] == "overall"].set_index("group")
            figures = [(overall.at[g, "change"], overall.at[g, "members"]) for g in ("with", "without")]
            changes.append(SupportChange(kind, *(None if pd.isna(v) else v for pair in figures for v in pair)))
        return SupportFigures([SupportKind(*row) for row in given], changes)

    def _verified_figures(self, actor: Actor, standard_id: str, version: str) -> Verified | None:
        """The ministry report's verification section: the share of submitted latest assessments the association
        verified, and the self-report gap (per criterion, in levels) with the inflation index, as Shared gaps shows
        them with "Verified levels only"."""
        panel = self._panels.require(standard_id, version)
        latest = panel.frame.iloc[panel.rows(Filters())]
        submitted = latest["status"].isin(["submitted", "verified"])
        verified = int((latest["verified"] & submitted).sum())
        if not verified:
            return None
        gaps = self.aggregates.self_report_gap(actor, standard_id, version, Filters())
        rows = [(row.criterion, "", None, None) if row.suppressed else (row.criterion, "", float(row.gap_levels),
                int(row.n)) for row in gaps.gaps.itertuples()]  # fmt: skip
        return Verified(verified / int(submitted.sum()), gaps.n, gaps.index, rows)

    def _pseudonym_secret(self) -> str:
        """The key of researchers' pseudonymous ids: the setting if given, else the key file (services/keys.py),
        never the database; the same key gives the same ids across exports and replicas."""
        return self.keys._secret()

    def close(self) -> None:
        self.store.engine.dispose()
