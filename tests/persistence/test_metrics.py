"""What a replica counts for whoever runs it (services/metrics.py, served as /metrics): an answer saved and its
time, a save that did not reach the database, a refused sign-in; nothing else moves them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from scoring.model import Answer
from services.assessing import Refused
from services.metrics import REGISTRY
from services.policy import cli_actor
from tests.conftest import MINI_ANSWERS
from tests.persistence.people import PASSWORD, person

COUNTED = ("gapura_answers_saved_total", "gapura_save_seconds_count", "gapura_saves_failed_total",
           "gapura_sign_in_failures_total")  # fmt: skip


def counts() -> dict[str, float]:
    return {name: REGISTRY.get_sample_value(name) or 0.0 for name in COUNTED}


def moved(before: dict[str, float]) -> dict[str, float]:
    """How far each count moved since `before` (only those that moved)."""
    return {name: value - before[name] for name, value in counts().items() if value != before[name]}


@pytest.fixture
def work(gapura):
    """A member and its open draft of the mini standard: (actor, work)."""
    organization_id = gapura.store.ensure_organization({"name": "PT Hitung Acara"})
    actor = person(gapura, organizations=[organization_id])
    return actor, gapura.assessing.start(actor, gapura.standard("mini", "1"), organization_id, {}, "id").work


def test_each_answer_saved_counts_once_with_its_time_and_the_same_answer_again_does_not(gapura, work):
    actor, opened = work
    before = counts()
    gapura.assessing.answer(actor, opened, "A1", Answer(level=2))
    gapura.assessing.change(actor, opened, "A1", {"note": "Izin keramaian diurus H-30"})
    gapura.assessing.answer(actor, opened, "A2", Answer(level=3))
    gapura.assessing.change(actor, opened, "A2", {"level": 3})  # nothing new: nothing written
    assert moved(before) == {"gapura_answers_saved_total": 3, "gapura_save_seconds_count": 3}


def test_an_answer_the_standard_refuses_is_neither_saved_nor_failed(gapura, work):
    actor, opened = work
    before = counts()
    with pytest.raises(Refused):
        gapura.assessing.answer(actor, opened, "A2", Answer(level=7))
    assert moved(before) == {}


def test_a_save_the_database_cannot_take_counts_as_failed_and_not_as_saved(gapura, work):
    actor, opened = work
    with gapura.store.engine.begin() as c:  # the answers' table gone from under the app (a restore gone wrong)
        c.execute(text("ALTER TABLE answers RENAME TO answers_away"))
    before = counts()
    with pytest.raises(Exception) as failed:
        gapura.assessing.answer(actor, opened, "A1", Answer(level=2))
    assert not isinstance(failed.value, Refused)
    assert moved(before) == {"gapura_saves_failed_total": 1}


def test_imported_files_are_not_counted_as_answers_people_saved(gapura):
    before = counts()
    (line,) = gapura.transfer.import_files(cli_actor(), [("mini.json", MINI_ANSWERS.read_bytes())])
    assert line.outcome == "imported" and line.answers > 0
    assert moved(before) == {}


def test_every_refused_sign_in_counts_and_a_right_password_does_not(gapura):
    email = "pemilik@hitung.test"
    person(gapura, email=email)
    before = counts()
    assert gapura.accounts.sign_in(email, "salah-sandi-1", "203.0.113.7").code == "sign-in.failed"
    assert gapura.accounts.sign_in("tidak-ada@hitung.test", PASSWORD, "203.0.113.7").code == "sign-in.failed"
    assert gapura.accounts.sign_in(email, PASSWORD, "203.0.113.8").token
    assert moved(before) == {"gapura_sign_in_failures_total": 2}
    for _ in range(gapura.settings.max_failures):  # the account's free failures used up: the next one waits
        gapura.accounts.sign_in(email, "salah-sandi-1", "203.0.113.7")
    assert gapura.accounts.sign_in(email, PASSWORD, "203.0.113.7").code in ("sign-in.wait", "sign-in.throttled")
    assert moved(before) == {"gapura_sign_in_failures_total": 3 + gapura.settings.max_failures}
