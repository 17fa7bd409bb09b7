"""Every list an officer or admin opens, and the bulk export, read in a bounded number of queries: as many at 1,000
member organizations as at 20 (the export: one more short read per LOAD_CHUNK assessments). Counted with SQLAlchemy's
before_cursor_execute event, so every statement sent to the database counts, BEGIN included."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from services.app import Gapura
from services.policy import Actor
from store.repository import LOAD_CHUNK
from tools.bulk import add_members

SMALL, LARGE = 20, 1000
OFFICER = Actor(label="user:officer", roles=frozenset({"officer"}))
ADMIN = Actor(label="user:admin", roles=frozenset({"admin", "officer"}))


@contextmanager
def counted(app: Gapura) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_connection, _cursor, statement, _parameters, _context, _executemany) -> None:
        statements.append(statement)

    event.listen(app.store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(app.store.engine, "before_cursor_execute", count)


def association_readiness(app: Gapura) -> list:
    """What the Association readiness page reads: the association, then its saved assessments with their scores
    and standard (ui/continue_list.py)."""
    rows = []
    for place in app.assessing.workplaces(OFFICER, association=True):
        for saved in app.assessing.saved(OFFICER, place.id):
            rows.append((saved, app.standard(saved.summary.standard_id, saved.summary.standard_version)))
    return rows


# Each read as its page makes it; each returns what the page shows, so the test also checks that it is all there.
READS: dict[str, Callable[[Gapura], object]] = {
    "import & export summary": lambda app: app.transfer.stored_count(OFFICER),
    "export ZIP": lambda app: app.transfer.export_zip(OFFICER),
    "organizations list": lambda app: (app.assessing.organizations(ADMIN), app.accounts.member_counts(ADMIN)),
    "people list": lambda app: (app.assessing.organizations(ADMIN), app.accounts.list_users(ADMIN)),
    "association readiness list": association_readiness,
    "organizations without members": lambda app: app.accounts.organizations_without_members(ADMIN),
    "audit log": lambda app: app.audit.events(ADMIN, limit=500),
}


def queries(app: Gapura) -> tuple[dict[str, int], dict[str, object]]:
    counts, shown = {}, {}
    for name, read in READS.items():
        with counted(app) as statements:
            shown[name] = read(app)
        counts[name] = len(statements)
    return counts, shown


def test_lists_and_the_export_read_in_the_same_number_of_queries_at_20_and_at_1000_organizations(gapura):
    standard = gapura.standard("mini", "1")
    gapura.standards.remember(standard)
    association = gapura.assessing.association(ADMIN, "Asosiasi Penyelenggara")
    gapura.store.workspace(association).start("mini", "1")

    add_members(gapura.store, SMALL, standard)
    small, shown = queries(gapura)
    assert shown["import & export summary"] == (SMALL + 1, ["mini"])

    add_members(gapura.store, LARGE - SMALL, standard)
    large, shown = queries(gapura)

    assert shown["import & export summary"] == (LARGE + 1, ["mini"])
    archive, count = shown["export ZIP"]
    assert count == LARGE + 1 and len(zipfile.ZipFile(io.BytesIO(archive)).namelist()) == LARGE + 1
    organizations, members = shown["organizations list"]
    assert len(organizations) == LARGE + 1 and sum(members.values()) == LARGE
    assert len(shown["people list"][1]) == LARGE
    assert [row.summary.organization for row, _ in shown["association readiness list"]] == ["Asosiasi Penyelenggara"]
    assert shown["organizations without members"] == 1  # the association

    growth = {name: large[name] - small[name] for name in READS}
    counts = "; ".join(f"{name}: {small[name]} at {SMALL}, {large[name]} at {LARGE}" for name in READS)
    chunks = math.ceil((LARGE + 1) / LOAD_CHUNK) - math.ceil((SMALL + 1) / LOAD_CHUNK)
    # Each chunk is one short read: its profiles and its answers (and BEGIN, on SQLite).
    assert growth.pop("export ZIP") <= 3 * chunks, counts
    assert growth == dict.fromkeys(growth, 0), counts
