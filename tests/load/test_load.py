"""Two replicas behind HAProxy on one PostgreSQL, fifty members answering (one in chromium, one starting from an
assessment file) and now and then attaching an evidence file, one replica killed and PostgreSQL restarted under
them: nothing a page showed as saved or attached is lost (a file with the very bytes uploaded), nobody sees an error,
the killed replica's members carry on on the other, a note typed as its replica died comes back from the browser,
and answers clicked while the database was away are saved by the pages themselves.

Short here (about two and a half minutes on two shared cores, a minute of it making 50 accounts); longer with
GAPURA_LOAD_SECONDS, or `python -m gapura bench --load`."""

import os

from tests.load.run import Plan, describe, run_load


def test_a_crowd_loses_nothing_through_a_killed_replica_and_a_database_restart(tmp_path):
    plan = Plan(members=int(os.environ.get("GAPURA_LOAD_MEMBERS", 50)),
                seconds=float(os.environ.get("GAPURA_LOAD_SECONDS", 20)), think=2.0, probes=1, drain=30)  # fmt: skip
    summary = run_load(plan, tmp_path / "load-summary.json", tmp_path / "servers")
    print(describe(summary))

    assert summary["answers"] >= plan.members
    assert (summary["lost"], summary["errors"]) == (0, 0), summary["lost_detail"] + summary["error_detail"]
    assert summary["uploads"] > 0 and summary["uploads_lost"] == 0, summary["upload_not_shown_detail"]
    assert summary["answers_from_file"] > 0, "the assessment file uploaded on the start page was not taken"
    kill = summary["kill"]
    assert kill["members_on_it"] > 0 and kill["moved_to_other"] == kill["members_on_it"]
    assert kill["saved_after_by_them"] > 0
    assert summary["journal"]["note_back"], "the note typed as the replica died did not come back"
    restart = summary["restart"]
    assert restart["answers_saved_after"] > 0
    assert restart["members_told"] > 0 and restart["saved_by_retry"] > 0
