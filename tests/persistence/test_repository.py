import threading

import pytest

from scoring.model import Answer
from store.repository import NotFound


def start(store, name="PT Uji Acara", standard=("event-safety", "2026.1")):
    org = store.ensure_organization({"name": name, "region": "Bali", "size": "5-10", "segments": ["wedding-social"]})
    workspace = store.workspace(org)
    return workspace, workspace.start(*standard)


def test_an_answer_is_durable_the_moment_it_is_saved(store):
    workspace, aid = start(store)
    assert workspace.save_answer(aid, "PLAN-01", Answer(level=3, note=" ok ", evidence=["https://x", " "]))
    loaded = workspace.load(aid)
    assert loaded.answers["PLAN-01"].level == 3
    assert loaded.answers["PLAN-01"].note == "ok" and loaded.answers["PLAN-01"].evidence == ("https://x",)
    assert loaded.summary.answered == 1 and loaded.organization["region"] == "Bali"


def test_na_counts_as_answered_only_with_a_justification(store):
    workspace, aid = start(store)
    workspace.save_answer(aid, "A", Answer(level="na", justification="  "))
    assert workspace.load(aid).summary.answered == 0
    workspace.save_answer(aid, "A", Answer(level="na", justification="indoor only"))
    assert workspace.load(aid).summary.answered == 1
    assert workspace.load(aid).answers["A"].level == "na"


def test_every_change_is_logged_and_nothing_is_overwritten_silently(store):
    workspace, aid = start(store)
    workspace.save_answer(aid, "PLAN-01", Answer(level=1), by="tab-1")
    workspace.save_answer(aid, "PLAN-01", Answer(level=2), by="tab-2")
    assert not workspace.save_answer(aid, "PLAN-01", Answer(level=2), by="tab-2")  # no change, no log line
    log = workspace.history(aid, "PLAN-01")
    assert [(e["old"] and e["old"]["level"], e["new"]["level"], e["by"]) for e in log] == [
        (None, 1, "tab-1"), (1, 2, "tab-2"),
    ]  # fmt: skip


def test_rounds_are_numbered_per_standard(store):
    workspace, first = start(store)
    second = workspace.start("event-safety", "2026.1")
    other = workspace.start("id-licensing", "2026.1")
    rounds = {s.id: s.round for s in workspace.assessments()}
    assert (rounds[first], rounds[second], rounds[other]) == (1, 2, 1)


def test_organizations_are_matched_by_name_whatever_the_case_and_spacing(store):
    a = store.ensure_organization({"name": "PT  Maju Jaya"})
    b = store.ensure_organization({"name": "pt maju jaya ", "region": "Aceh", "segments": ["sport"]})
    assert a == b and store.find_organization("PT MAJU JAYA") == a


def test_a_short_profile_form_keeps_what_is_stored(store):
    org = store.ensure_organization({"name": "PT Lengkap", "region": "Bali", "size": "11-50", "segments": ["sport"]})
    store.ensure_organization({"name": "PT Lengkap", "region": None, "segments": []})
    workspace = store.workspace(org)
    aid = workspace.start("event-safety", "2026.1")
    assert workspace.load(aid).organization == {"name": "PT Lengkap", "region": "Bali", "size": "11-50",
                                                 "segments": ["sport"]}  # fmt: skip


def test_a_workspace_never_reaches_another_organizations_assessment(store):
    _, theirs = start(store, "PT Lain")
    mine, _ = start(store, "PT Saya")
    with pytest.raises(NotFound):
        mine.load(theirs)
    with pytest.raises(NotFound):
        mine.save_answer(theirs, "PLAN-01", Answer(level=4))


def test_twenty_concurrent_writers_lose_nothing(store):
    workspace, aid = start(store)
    errors = []

    def writer(n):
        try:
            for i in range(5):
                workspace.save_answer(aid, f"C{n:02d}-{i}", Answer(level=i % 5), by=f"writer-{n}")
                workspace.save_answer(aid, "SHARED", Answer(level=(n + i) % 5), by=f"writer-{n}")
        except Exception as exc:  # collected, so one failing thread cannot hide behind the others
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    answers = workspace.load(aid).answers
    assert len(answers) == 20 * 5 + 1
    shared_log = workspace.history(aid, "SHARED")
    assert shared_log[-1]["new"]["level"] == answers["SHARED"].level  # the later write wins, the log has all
    assert len(shared_log) >= 5


def test_next_round_carries_answers_over_marked_as_such(store):
    workspace, first = start(store)
    workspace.save_answer(first, "PLAN-01", Answer(level=2, note="draft plan"))
    workspace.save_answer(first, "PLAN-02", Answer(level=1))
    second = workspace.next_round(first, "2026.1")
    answers = workspace.load(second).answers
    assert answers["PLAN-01"].level == 2 and answers["PLAN-01"].origin == "round"
    assert workspace.load(second).summary.round == 2
    workspace.save_answer(second, "PLAN-01", Answer(level=3))
    assert workspace.load(second).answers["PLAN-01"].origin is None  # confirmed in this round
    assert workspace.load(first).answers["PLAN-01"].level == 2  # the old round is untouched
    third = workspace.next_round(second, "2027.1", carry=["PLAN-02"])
    assert set(workspace.load(third).answers) == {"PLAN-02"}
    assert [r.summary.round for r in workspace.rounds("event-safety")] == [1, 2, 3]


def test_import_does_not_duplicate_the_same_content(store):
    from scoring.assessment import parse_assessment
    from tests.conftest import MINI_ANSWERS

    parsed, _ = parse_assessment(MINI_ANSWERS.read_bytes(), "mini.json")
    first = store.import_assessment(parsed)
    again = store.import_assessment(parsed)
    assert not first.duplicate and again.duplicate and again.assessment_id == first.assessment_id
    loaded = store.workspace(first.organization_id).load(first.assessment_id)
    assert loaded.answers["B1"].level == "na" and loaded.summary.answered == 4


def test_a_link_token_opens_only_its_assessment(store):
    workspace, aid = start(store)
    opened_workspace, opened = store.open_link(workspace.token(aid))
    assert opened == aid and opened_workspace.organization_id == workspace.organization_id
    assert store.open_link("guess") is None


def test_bulk_answers_score_the_same_as_each_assessment_alone(store, mini):
    from scoring.engine import score, score_one

    given = {"PT A": {"A1": 3, "A2": 1}, "PT B": {"A1": 2, "B1": "na", "B2": 4}, "PT C": {}}
    ids = {}
    for name, answers in given.items():
        workspace, aid = start(store, name, ("mini", "1"))
        for cid, level in answers.items():
            workspace.save_answer(aid, cid, Answer(level=level, justification="indoor" if level == "na" else ""))
        ids[name] = aid
    workspace.save_answer(ids["PT C"], "B1", Answer(level="na"))  # no justification: not counted
    frame = store.answers_frame("mini", "1")
    scores = score(mini, frame, store.assessment_ids("mini", "1"))
    for i, aid in enumerate(scores.assessment_ids):
        name = next(n for n, x in ids.items() if x == aid)
        assert scores.result(i).to_json() == score_one(mini, given[name]).to_json()


def test_a_submitted_assessment_is_read_only_until_reopened(store):
    from store.repository import Submitted

    workspace, aid = start(store)
    workspace.save_answer(aid, "PLAN-01", Answer(level=2))
    workspace.set_status(aid, "submitted", by="owner")
    with pytest.raises(Submitted):
        workspace.save_answer(aid, "PLAN-01", Answer(level=4))
    assert workspace.load(aid).answers["PLAN-01"].level == 2
    workspace.set_status(aid, "draft", by="owner")
    assert workspace.save_answer(aid, "PLAN-01", Answer(level=4))
    statuses = [(e["old"], e["new"]) for e in workspace.history(aid, "*status*")]
    assert statuses == [({"status": "draft"}, {"status": "submitted"}), ({"status": "submitted"}, {"status": "draft"})]


def test_database_errors_and_logs_never_carry_sql_parameters(store, caplog):
    """A failing write names no company data: the engine hides parameters in errors and in its log."""
    import logging

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        with (
            caplog.at_level(logging.INFO, logger="sqlalchemy.engine"),
            pytest.raises(DBAPIError) as failed,
            store.engine.begin() as c,
        ):
            c.execute(text("INSERT INTO no_such_table (secret) VALUES (:s)"), {"s": "rahasia-dagang-PT-X"})
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert "rahasia-dagang" not in str(failed.value) and "hidden" in str(failed.value)
    assert "rahasia-dagang" not in caplog.text
