"""The officers' panel kept up to date through the panel stamp, on SQLite and PostgreSQL: every write a panel shows
advances the stamp and marks what it touched; a panel updated with only the changed assessments equals one built
from scratch; a second replica's next panel read sees a write made through the first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from scoring.model import Answer, AssessmentFile
from services.app import Gapura
from services.metrics import PANEL_BUILDS
from services.panels import Panel, Panels
from services.policy import cli_actor
from services.settings import Settings
from store import schema
from store.repository import Submitted
from store.verifications import VerificationRecords
from tests.campaign_rows import campaign
from tests.conftest import MINI, MINI_ANSWERS, ROOT
from tests.verified_rows import latest_assessment, verify

CRITERIA = ["A1", "A2", "B1", "B2"]
LEVELS = [0, 1, 2, 3, 4, "na"]


def stamp(app: Gapura) -> int:
    return app.store.panel_version()


def revisions(app: Gapura, *where) -> set[int]:
    with app.store.session() as s:
        return set(s.scalars(select(schema.Assessment.revision).where(*where)))


def test_every_write_a_panel_shows_moves_the_stamp_and_marks_what_it_touched(database_url):
    app = Gapura(Settings(database_url=database_url, standards_dir=ROOT / "standards"))
    store, a = app.store, schema.Assessment
    seen = [stamp(app)]

    def moved(step: str, *touched: int) -> None:
        now = stamp(app)
        assert now > seen[-1], f"{step} left the panel stamp at {now}"
        assert revisions(app, a.id.in_(touched)) <= {now}, f"{step} did not mark its assessments"
        seen.append(now)

    try:
        app.demo.load(cli_actor(), organizations=3, seed=1)
        moved("demo load")
        assert revisions(app) == {seen[-1]}
        org = store.ensure_organization({"name": "PT Jalan Jalan"})
        moved("new organization")
        work = store.workspace(org)
        first = work.start("mini", "1")
        moved("start", first)
        work.save_answer(first, "A1", Answer(level=2))
        moved("answer", first)
        campaign(store, "Putaran 1", date(2027, 1, 31), [], ["PT Jalan Jalan"])
        seen.append(stamp(app))  # inviting an existing organization changes nothing a panel shows
        assert work.link_campaign(first) is not None
        moved("campaign link", first)
        work.set_status(first, "submitted")
        moved("submit", first)
        records, anyone = VerificationRecords(store), lambda *_: None
        records.start(first, "benih", 1, ["A1"], "user:1")
        moved("verification started", first)
        records.record(first, "A1", 1, "Bukti kurang", "user:1", anyone)
        moved("verified level", first)
        records.send(first, date(2027, 2, 1), anyone)
        moved("comments sent", first)
        records.reply(first, "A1", "Sudah kami lengkapi", "user:2", anyone)
        moved("reply", first)
        work.set_status(first, "verified", then=lambda s: records.mark_verified(s, first, "user:1"))
        moved("verified", first)
        second = work.next_round(first, "1")
        moved("next round", second)
        store.update_profile(org, {"region": "Jawa Barat"})
        moved("profile", first, second)
        assert revisions(app, a.organization_id == org) == {seen[-1]}
        imported = store.import_assessment(AssessmentFile.model_validate_json(MINI_ANSWERS.read_text()))
        moved("import", imported.assessment_id)
        assert store.erase_organization(org)
        moved("erase")
        app.demo.remove(cli_actor())
        moved("demo remove")
    finally:
        app.close()


def same(built: Panel, scratch: Panel) -> None:
    """Frame, every score array, benchmark set and verified levels equal."""
    pd.testing.assert_frame_equal(built.frame, scratch.frame)
    assert built.scores.assessment_ids == scratch.scores.assessment_ids
    for name in ("level", "answered", "na", "coverage", "overall", "readiness", "domain_score", "domain_gap",
                 "impact", "blocking", "gap", "met"):  # fmt: skip
        np.testing.assert_array_equal(getattr(built.scores, name), getattr(scratch.scores, name), err_msg=name)
    np.testing.assert_array_equal(built.benchmark, scratch.benchmark)
    as_read = [frame.astype({"level": object}) for frame in (built.verified_levels, scratch.verified_levels)]
    pd.testing.assert_frame_equal(*as_read)


class Members:
    """A member base of the mini standard that writes go through (the store's own write paths), and the panels an
    officer's replica keeps, compared with panels built from scratch."""

    def __init__(self, app: Gapura) -> None:
        self.app, self.store = app, app.store
        self.panels = Panels(app.store, app.standard)
        self.names = {org: name for org, name, kind in self.store.organizations(kind="company")}

    def organization(self, pick: int) -> int | None:
        orgs = sorted(self.names)
        return orgs[pick % len(orgs)] if orgs else None

    def write(self, step: tuple) -> None:
        kind, pick, *rest = step
        org = self.organization(pick)
        if kind == "new" or org is None:
            name = f"{rest[0] if kind == 'new' else 'PT Baru'} {pick}"
            org = self.store.ensure_organization({"name": name, "region": "Bali"})
            self.names[org] = name
            self.store.workspace(org).start("mini", "1", answers={"A1": Answer(level=1)})
            return
        work, latest = self.store.workspace(org), self.latest(org)
        if kind == "answer" and latest is not None:
            criterion, level = rest
            try:
                work.save_answer(latest, criterion, Answer(level=level, justification="tidak relevan"))
            except Submitted:
                work.set_status(latest, "draft")
        elif kind == "start":
            work.start("mini", "1")
        elif kind == "submit" and latest is not None:
            work.set_status(latest, "submitted")
        elif kind == "profile":
            self.store.update_profile(org, {"region": rest[0]})
        elif kind == "verify" and latest is not None:
            with self.store.session() as s:
                done = s.get(schema.Verification, latest) is not None
            if not done:
                verify(self.app, latest, {"A1": rest[0], "B2": 4})
        elif kind == "erase":
            self.store.erase_organization(org)
            del self.names[org]

    def latest(self, org: int) -> int | None:
        found = self.store.workspace(org).assessments()
        return latest_assessment(self.app, org) if found else None

    def check(self) -> None:
        scratch = Panels(self.store, self.app.standard)
        for verified_only in (False, True):
            same(self.panels.require("mini", "1", verified_only), scratch.require("mini", "1", verified_only))


WRITES = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 40), st.sampled_from(CRITERIA), st.sampled_from(LEVELS)),
    st.tuples(st.sampled_from(["start", "submit", "erase"]), st.integers(0, 40)),
    st.tuples(st.just("profile"), st.integers(0, 40), st.sampled_from(["Bali", "Papua", "Aceh", "Jawa Timur"])),
    st.tuples(st.just("verify"), st.integers(0, 40), st.sampled_from([0, 1, 2, "na"])),
    st.tuples(st.just("new"), st.integers(0, 999), st.sampled_from(["PT Baru", "cv baru", "PT Ａkhir"])),
)


def seeded(url: str, members: int = 12) -> Gapura:
    app = Gapura(Settings(database_url=url, standards_dir=MINI.parent))
    for n in range(members):
        org = app.store.ensure_organization({"name": f"PT Anggota {'Zeta' if n % 3 else 'alfa'} {n:02}"})
        answers = {c: Answer(level=(n + k) % 5) for k, c in enumerate(CRITERIA[: 1 + n % 4])}
        app.store.workspace(org).start("mini", "1", answers=answers)
    return app


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    app = seeded(f"sqlite:///{tmp_path_factory.mktemp('panel') / 'panel.db'}")
    yield app
    app.close()


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.tuples(WRITES, st.booleans()), min_size=1, max_size=12))
def test_a_panel_updated_with_what_changed_equals_one_built_from_scratch(base, steps):
    members = Members(base)
    members.check()
    for write, read_now in steps:
        members.write(write)
        if read_now:
            members.check()
    members.check()


FIXED = [("answer", 1, "A2", 3), ("submit", 2), ("verify", 2, 1), ("profile", 3, "Papua"), ("start", 4),
         ("erase", 5), ("new", 7, "PT Baru"), ("answer", 6, "B1", "na"), ("verify", 6, "na")]  # fmt: skip


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_same_holds_on_postgresql_for_a_fixed_sequence(database_url):
    app = seeded(database_url)
    try:
        members = Members(app)
        members.check()
        changed = PANEL_BUILDS.labels(kind="changed")._value.get()
        for write in FIXED:
            members.write(write)
            members.check()
        assert PANEL_BUILDS.labels(kind="changed")._value.get() > changed  # it did update in place
    finally:
        app.close()


def test_a_write_through_one_replica_is_in_the_other_replicas_next_panel(database_url):
    one = seeded(database_url, members=6)
    other = Gapura(Settings(database_url=database_url, standards_dir=MINI.parent))
    try:
        panel = other._panels.require("mini", "1")
        aid = int(panel.frame["assessment"].iloc[0])
        org = int(panel.frame["organization_id"].iloc[0])
        assert panel.frame["answered"].iloc[0] == 1
        one.store.workspace(org).save_answer(aid, "B2", Answer(level=4))
        after = other._panels.require("mini", "1")
        assert after.frame["answered"].iloc[0] == 2
        one.store.update_profile(org, {"region": "Papua"})
        assert other._panels.require("mini", "1").frame["province"].iloc[0] == "Papua"
        one.store.erase_organization(org)
        assert aid not in set(other._panels.require("mini", "1").frame["assessment"])
    finally:
        one.close()
        other.close()


def test_unchanged_stamp_serves_the_cached_panel(tmp_path: Path):
    app = seeded(f"sqlite:///{tmp_path / 'p.db'}", members=3)
    try:
        assert app._panels.require("mini", "1") is app._panels.require("mini", "1")
    finally:
        app.close()


def test_a_submission_taken_back_leaves_the_panel_as_built_from_scratch(tmp_path: Path):
    app = seeded(f"sqlite:///{tmp_path / 'p.db'}", members=6)
    try:
        members = Members(app)
        members.write(("submit", 1))
        members.check()
        members.write(("answer", 1, "A1", 2))  # refused while submitted: the draft is reopened, no submission left
        members.check()
    finally:
        app.close()
