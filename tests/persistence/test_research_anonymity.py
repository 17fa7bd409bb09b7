"""Research files measured from outside: k-anonymity (in organizations, over every quasi-identifier) and the
l-diversity of readiness, computed by an independent library (pycanon) on 200 demo companies, in every release a
researcher can ask for: the whole version, a filter, a round, submitted only."""

from __future__ import annotations

import pytest
from pycanon import anonymity

from scoring.disclosure import QUASI_IDENTIFIERS
from services.app import Gapura
from services.panels import Filters
from services.policy import cli_actor
from services.research import Selection
from services.settings import Settings
from tests.conftest import ROOT
from tests.signin import session_token

QI = [qi.column for qi in QUASI_IDENTIFIERS]


@pytest.fixture
def demo(database_url):
    app = Gapura(Settings(database_url=database_url, standards_dir=ROOT / "standards"))
    app.demo.load(cli_actor(), organizations=200, seed=1)
    yield app
    app.close()


def measured(wide) -> tuple[int, int]:
    """(k, l of readiness), counting each organization once per released combination (pycanon counts rows)."""
    rows = wide[["organization", *QI, "readiness"]].astype(object).fillna("(none)").astype(str)
    rows = rows.drop_duplicates(["organization", *QI]).reset_index(drop=True)  # pycanon indexes by position
    return anonymity.k_anonymity(rows, QI), anonymity.l_diversity(rows, QI, ["readiness"])


def test_every_research_package_a_researcher_can_get_is_k_anonymous(demo):
    token = session_token(demo.settings.database_url, demo.settings.standards_dir, "peneliti@brin.test",
                          roles=("researcher",))  # fmt: skip
    researcher = demo.accounts.actor_for_session(token)
    version = next(v for s, v, _ in demo.research.versions(researcher) if s == "id-licensing")
    selections = [
        Selection("id-licensing", version),
        Selection("id-licensing", version, filters=Filters(island_group="jawa")),
        Selection("id-licensing", version, submitted_only=True),
        Selection("id-licensing", version, round=1),
        Selection("id-licensing", version, filters=Filters(segment="exhibition")),
    ]
    released = 0
    for selection in selections:
        package = demo.research.package(researcher, selection)
        if package.dataset is None:  # refused (threshold or differencing): nothing left to measure
            assert package.refused is not None
            continue
        released += 1
        k, diversity = measured(package.dataset.wide)
        assert k >= 5, (selection, k)
        assert package.disclosure.k == 5 and diversity >= 1
        assert [q.column for q in package.disclosure.quasi_identifiers] == QI
    assert released >= 2
