"""Two tabs, or two people, answering one assessment: a stale tab never reverts a newer answer, a change restored
from the browser does not overwrite one written after it, and the change log stays a chain under concurrent writes."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from scoring.model import Answer
from services.assessing import Stale
from tests.persistence.test_assessing import member_of


def two_tabs(gapura):
    actor, org = member_of(gapura)
    first = gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {}, "en").work
    second = gapura.assessing.open(actor, org, first.assessment_id)
    return actor, first, second


def test_a_stale_tab_adding_a_note_keeps_the_level_another_tab_set(gapura):
    actor, tab_a, tab_b = two_tabs(gapura)
    gapura.assessing.change(actor, tab_a, "A1", {"level": 2})
    tab_b.answers = gapura.assessing.reload(actor, tab_b).answers
    gapura.assessing.change(actor, tab_b, "A1", {"level": 4})
    assert tab_a.answers["A1"].level == 2  # tab A still shows the old level
    saved = gapura.assessing.change(actor, tab_a, "A1", {"note": "vendor list checked"})
    stored = gapura.assessing.reload(actor, tab_a).answers["A1"]
    assert (stored.level, stored.note) == (4, "vendor list checked")
    assert saved.answer.level == 4 and tab_a.answers["A1"].level == 4  # the tab now shows the newer level
    assert [e["new"]["level"] for e in gapura.assessing.history(actor, tab_a, "A1")] == [2, 4, 4]


def test_a_change_based_on_an_older_answer_is_refused_with_the_newer_one(gapura):
    actor, tab_a, tab_b = two_tabs(gapura)
    base = gapura.assessing.change(actor, tab_a, "A1", {"level": 1}).answer.updated_at
    gapura.assessing.change(actor, tab_b, "A1", {"level": 3, "note": "newer"})
    with pytest.raises(Stale) as stale:
        gapura.assessing.change(actor, tab_a, "A1", {"level": 2}, base=base)
    assert (stale.value.current.level, stale.value.current.note) == (3, "newer")
    assert gapura.assessing.reload(actor, tab_a).answers["A1"].level == 3
    with pytest.raises(Stale):  # "no answer yet" is a version too
        gapura.assessing.change(actor, tab_a, "A1", {"level": 2}, base=None)
    assert len(gapura.assessing.history(actor, tab_a, "A1")) == 2


def test_concurrent_writers_of_one_criterion_leave_a_chained_change_log(gapura):
    actor, org = member_of(gapura)
    work = gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {}, "en").work
    tabs = [gapura.assessing.open(actor, org, work.assessment_id) for _ in range(8)]
    start = Barrier(len(tabs))

    def write(n: int) -> None:
        start.wait()  # the first write of a criterion races hardest: there is no row to lock yet
        for i in range(4):
            gapura.assessing.change(actor, tabs[n], "A2", {"level": (n + i) % 5, "note": f"writer {n} step {i}"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(8)))
    log = gapura.assessing.history(actor, work, "A2")
    assert len(log) == 32
    assert log[0]["old"] is None and all(e["old"] is not None for e in log[1:])
    assert all(later["old"] == earlier["new"] for earlier, later in zip(log, log[1:], strict=False))
    assert (
        Answer.model_validate(log[-1]["new"]).model_dump()
        == gapura.assessing.reload(actor, work).answers["A2"].model_dump()
    )
