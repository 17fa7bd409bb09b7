"""The action plan's steps follow the scoring contract's order and say how to go up a level."""

from datetime import date

from scoring.engine import score_one
from scoring.evidence import Document
from scoring.library import load_library
from scoring.plan import Tracking, steps
from tests.conftest import ROOT


def test_each_unmet_criterion_is_one_step_in_the_contract_order_with_the_next_level_described():
    std = load_library(ROOT / "standards").get("event-safety")
    answers = {c.id: 1 for _, c in std.criteria()}
    result = score_one(std, answers)
    plan = steps(std, result)
    assert [s.criterion_id for s in plan] == result.actions
    assert [s.rank for s in plan] == list(range(1, len(plan) + 1))
    first = plan[0]
    criterion = dict((c.id, c) for _, c in std.criteria())[first.criterion_id]
    assert (first.level, first.next_level) == (1, 2)
    assert first.next_level_text == criterion.levels[2]
    assert first.guidance == criterion.guidance
    assert first.impact > 0 and first.target == criterion.target
    met = dict.fromkeys(answers, std.scale.top)
    assert steps(std, score_one(std, met)) == []


def test_a_step_is_overdue_only_while_open_and_past_its_date():
    today = date(2026, 12, 6)
    assert Tracking("A1", due=date(2026, 12, 5)).overdue(today)
    assert not Tracking("A1", due=date(2026, 12, 6)).overdue(today)
    assert not Tracking("A1", due=date(2026, 12, 5), status="done").overdue(today)
    assert not Tracking("A1", due=date(2026, 12, 5), closed_round=2).overdue(today)


def test_a_document_expires_after_its_date_and_is_expiring_within_thirty_days():
    def doc(expires):
        return Document(1, "A1", "izin.pdf", "application/pdf", 10, expires, None)

    today = date(2026, 12, 6)
    assert doc(date(2026, 12, 5)).expired(today) and not doc(date(2026, 12, 5)).expiring(today)
    assert doc(date(2026, 12, 6)).expiring(today) and not doc(date(2026, 12, 6)).expired(today)
    assert doc(date(2027, 1, 4)).expiring(today) and not doc(date(2027, 1, 5)).expiring(today)
    assert not doc(None).expired(today) and not doc(None).expiring(today)
