"""The attacks a curious researcher tried, kept as tests on SQLite and PostgreSQL: differencing through
capabilities, through research files by filter and by date range, across two accounts and across a restart; a
filter that undid coarsening; small level cells; a cohort that grows by one company. Each failed on the old main."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from scoring.model import Answer
from services.app import Gapura
from services.panels import Filters
from services.policy import cli_actor
from services.research import Selection
from services.settings import Settings
from store import schema
from store.repository import panel_changed
from tests.conftest import MINI
from tests.signin import session_token

COMPLETE = {"A1": 2, "A2": 3, "B1": 1, "B2": 4}


def company(app: Gapura, name: str, province: str, size: str = "11-50", segments=("concert-festival",),
            answers: dict | None = None, submitted: datetime | None = None) -> int:  # fmt: skip
    mini = app.standard("mini", None)
    app.standards.remember(mini)
    org = app.store.ensure_organization({"name": name, "region": province, "size": size, "segments": list(segments)})
    levels = answers if answers is not None else {cid: (level + org) % 5 for cid, level in COMPLETE.items()}
    aid = app.store.workspace(org).start("mini", mini.version, answers={c: Answer(level=v) for c, v in levels.items()})
    if submitted is not None:
        with app.store.session.begin() as s:
            s.execute(update(schema.Assessment).where(schema.Assessment.id == aid)
                      .values(status="submitted", submitted_at=submitted))  # fmt: skip
            panel_changed(s, [aid])
    return org


def researcher(app: Gapura, email: str):
    token = session_token(app.settings.database_url, app.settings.standards_dir, email, roles=("researcher",))
    return app.accounts.actor_for_session(token)


@pytest.fixture
def java(gapura):
    """Ten companies in Jawa Barat and two in Banten, every assessment complete."""
    for i in range(10):
        company(gapura, f"PT Barat {i}", "Jawa Barat")
    for i in range(2):
        company(gapura, f"PT Banten {i}", "Banten")
    return gapura.standard("mini", None).version


def test_capabilities_are_refused_when_they_differ_from_an_earlier_release_by_fewer_than_five(gapura, java):
    someone = researcher(gapura, "peneliti@kementerian.test")
    _, n, reason = gapura.aggregates.capabilities(someone, Filters(island_group="jawa"))
    assert reason is None and n == 12
    _, n, reason = gapura.aggregates.capabilities(someone, Filters(province="Jawa Barat"))  # the 2 in Banten
    assert reason is not None and reason.code == "disclosure.differencing" and n is None  # no count beside it


def test_differencing_holds_across_two_accounts_and_a_restart(gapura, java):
    first, second = researcher(gapura, "a@kementerian.test"), researcher(gapura, "b@kementerian.test")
    assert gapura.aggregates.shared_gaps(first, "mini", java, Filters(island_group="jawa")).suppressed is None
    refused = gapura.aggregates.shared_gaps(second, "mini", java, Filters(province="Jawa Barat"))
    assert refused.suppressed.code == "disclosure.differencing" and refused.criteria.empty
    restarted = Gapura(Settings(database_url=gapura.settings.database_url, standards_dir=MINI.parent))
    try:
        again = restarted.aggregates.shared_gaps(researcher(restarted, "b@kementerian.test"), "mini", java,
                                                 Filters(province="Jawa Barat"))  # fmt: skip
        assert again.suppressed is not None and again.suppressed.code == "disclosure.differencing"
        assert [len(r.members) for r in restarted.aggregates.released(cli_actor())] == [
            12
        ]  # what left, remembered by the database
    finally:
        restarted.close()


def member_actor(app: Gapura, name: str):
    token = session_token(app.settings.database_url, app.settings.standards_dir,
                          f"{name.replace(' ', '').lower()}@eo.test", organization=name)  # fmt: skip
    return app.accounts.actor_for_session(token)


def benchmark_of(app: Gapura, name: str):
    org = app.store.find_organization(name)
    return app.aggregates.benchmark(member_actor(app, name), app.store.workspace(org).assessments()[0].id)


def test_companies_of_one_cohort_all_get_their_benchmark_and_a_cohort_a_few_wider_is_refused(gapura, java):
    for name in ("PT Barat 0", "PT Barat 5", "PT Barat 9"):
        bench = benchmark_of(gapura, name)
        assert bench.suppressed is None and bench.overall.n == 10, name
    # Banten's own province holds 2; Java and the nation hold the 10 above and these 2: releasing them to a
    # company in Banten would let it (or anyone it shares them with) subtract the two in Banten.
    refused = benchmark_of(gapura, "PT Banten 1")
    assert refused.overall is None and refused.suppressed.code == "disclosure.differencing"


def test_a_cohort_that_grew_by_fewer_than_five_keeps_the_figures_it_had(gapura, java):
    someone = researcher(gapura, "peneliti@kementerian.test")
    before = gapura.aggregates.shared_gaps(someone, "mini", java, Filters())
    company(gapura, "PT Baru", "Jawa Barat")  # one newcomer: new figures would describe it
    after = gapura.aggregates.shared_gaps(someone, "mini", java, Filters())
    assert after.suppressed is None and after.n == before.n == 12 and after.as_of is not None
    assert after.criteria.equals(before.criteria)
    for i in range(4):
        company(gapura, f"PT Baru {i}", "Jawa Barat")
    grown = gapura.aggregates.shared_gaps(someone, "mini", java, Filters())
    assert grown.n == 17 and grown.as_of is None


def test_a_level_chosen_by_fewer_than_five_members_is_not_shown(gapura, java):
    gaps = gapura.aggregates.shared_gaps(cli_actor(), "mini", java, Filters())
    cells = gaps.levels.drop(columns="criterion").to_numpy().ravel()
    shown = [c for c in cells if c is not None]
    assert None in list(cells) and all(c == 0 or c >= 5 for c in shown)


def test_two_small_island_groups_are_not_recovered_from_the_total(gapura):
    for i in range(8):
        company(gapura, f"PT Jawa {i}", "Jawa Barat")
    for i in range(6):
        company(gapura, f"PT Sumatera {i}", "Sumatera Utara")
    company(gapura, "PT Maluku", "Maluku")
    company(gapura, "PT Papua", "Papua")
    parts, reason = gapura.aggregates.breakdown(cli_actor(), "mini", gapura.standard("mini", None).version, Filters())
    hidden = parts[parts["n"].isna()]
    assert reason is None and set(hidden["part"]) == {"maluku", "papua", "sumatera"}
    assert parts.loc[parts["total"], "n"].item() == 16


@pytest.fixture
def islands(gapura):
    """Ten companies in Jawa Barat and five in Bali (1-4 staff), three more in Bali and three in Nusa Tenggara Barat
    (11-50): nationally the last six lose their province and keep their island group."""
    for i in range(10):
        company(gapura, f"PT Jawa {i}", "Jawa Barat", "1-4")
    for i in range(5):
        company(gapura, f"PT Bali {i}", "Bali", "1-4")
    for i in range(3):
        company(gapura, f"PT Bali Besar {i}", "Bali", "11-50")
    for i in range(3):
        company(gapura, f"PT NTB {i}", "Nusa Tenggara Barat", "11-50")
    return gapura.standard("mini", None).version


def test_a_province_filter_never_names_a_province_the_national_file_withheld(gapura, islands):
    someone = researcher(gapura, "peneliti@kementerian.test")
    national = gapura.research.package(someone, Selection("mini", islands)).dataset.wide
    withheld = set(national.loc[national["province"].isna(), "organization"])
    assert len(withheld) == 6 and set(national.loc[national["province"].isna(), "island_group"]) == {
        "bali-nusa-tenggara"}  # fmt: skip
    bali = gapura.research.package(someone, Selection("mini", islands, filters=Filters(province="Bali")))
    assert bali.dataset is not None and len(bali.dataset.wide) == 5
    assert not withheld & set(bali.dataset.wide["organization"])


def test_a_research_file_that_differs_from_a_shown_figure_by_fewer_than_five_is_refused(gapura, java):
    # Nationally the two companies in Banten are withheld from the research file (alone in their class); the Shared
    # gaps page already showed the agenda of all twelve: the file's ten rows subtracted from it would describe them.
    assert gapura.aggregates.shared_gaps(researcher(gapura, "a@kementerian.test"), "mini", java,
                                         Filters()).suppressed is None  # fmt: skip
    package = gapura.research.package(researcher(gapura, "b@kementerian.test"), Selection("mini", java))
    assert package.dataset is None and package.refused.code == "disclosure.differencing"
    # The command line's research files leave the association too: the same check.
    assert gapura.research.package(cli_actor(), Selection("mini", java)).refused.code == "disclosure.differencing"


def test_two_submission_date_ranges_never_single_out_one_company(gapura):
    july = datetime(2026, 7, 14, tzinfo=UTC)
    for i in range(10):
        company(gapura, f"PT Juli {i}", "Jawa Barat", submitted=july)
    company(gapura, "PT Agustus", "Jawa Barat", submitted=datetime(2026, 8, 20, tzinfo=UTC))
    version = gapura.standard("mini", None).version
    someone = researcher(gapura, "peneliti@kementerian.test")
    first = gapura.research.package(someone, Selection("mini", version, submitted_from=date(2026, 7, 1),
                                                       submitted_to=date(2026, 7, 31)))  # fmt: skip
    second = gapura.research.package(someone, Selection("mini", version, submitted_from=date(2026, 7, 1),
                                                        submitted_to=date(2026, 9, 30)))  # fmt: skip
    assert first.dataset is not None and len(first.dataset.wide) == 10
    assert second.refused is not None or set(second.dataset.wide["organization"]) == set(
        first.dataset.wide["organization"])  # fmt: skip
    assert "2026-07-14" not in set(first.dataset.wide["submitted"].astype(str))  # the month at most


def test_two_replicas_releasing_sets_a_few_apart_at_the_same_moment_release_one(gapura, java):
    from concurrent.futures import ThreadPoolExecutor

    replica = Gapura(Settings(database_url=gapura.settings.database_url, standards_dir=MINI.parent))
    try:
        asks = [(gapura, researcher(gapura, "a@kementerian.test"), Filters(island_group="jawa")),
                (replica, researcher(replica, "b@kementerian.test"), Filters(province="Jawa Barat"))]  # fmt: skip
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda ask: ask[0].aggregates.shared_gaps(ask[1], "mini", java, ask[2]), asks))
        assert sorted(a.suppressed is None for a in answers) == [False, True]  # the scope's lock: one goes first
    finally:
        replica.close()
