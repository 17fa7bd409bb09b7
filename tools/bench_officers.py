"""`python -m gapura bench --officers`: with N demo members stored (SQLite), what an officer waits for after a member
answers one criterion, as ratios in the same run (the issue's targets: the first view after a change within 2x a
warm view; a warm view within 1.5x the Results page of one member).

1. Service level: the Members page's read (`association.members`, every standard version's panel) right after one
   answer saved through the store (the panel stamp moved: the changed assessment is scored again and spliced in),
   against the same read with nothing changed (the stamp checked, the panels served from memory), and against
   scoring the changed version's panel from scratch (what every first view cost before the stamp).
2. Page level (AppTest: the whole script run on the server, no browser): the Members page warm, and after one
   answer, against the Results page of one member warm.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from scoring.model import Answer
from services.app import Gapura
from services.panels import Panels
from services.policy import cli_actor
from services.settings import load as load_settings
from tools.pages_bench import _prepare

ROOT = Path(__file__).resolve().parent.parent
OFFICER = "pengurus@bench.test"


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


class _Answers:
    """One member's draft of the most used standard version, answered again and again (each save changes it)."""

    def __init__(self, app: Gapura) -> None:
        sid, version, _ = max(app.association.versions(cli_actor()), key=lambda v: v[2])
        frame = app.store.panel(sid, version)
        draft = frame[(frame["status"] == "draft") & (frame["kind"] == "company")].iloc[0]
        standard = app.standard(sid, version)
        self.version = (sid, version)
        self.workspace = app.store.workspace(int(draft["organization_id"]))
        self.assessment = int(draft["assessment"])
        self.criterion = next(c.id for _, c in standard.criteria() if not c.mandatory)
        self.levels = standard.scale.values
        self.count = 0

    def answer(self) -> None:
        self.count += 1
        level = self.levels[self.count % len(self.levels)]
        self.workspace.save_answer(self.assessment, self.criterion, Answer(level=level), by="bench")


def _services(app: Gapura, answers: _Answers, repeat: int) -> dict[str, float]:
    officer = cli_actor()
    members = lambda: app.association.members(officer)  # noqa: E731
    members()  # every panel built once, as on a replica that has served officers before
    first, warm, whole = [], [], []
    for _ in range(repeat):
        answers.answer()
        first.append(_seconds(members))
        warm.append(statistics.median(_seconds(members) for _ in range(3)))
        whole.append(_seconds(lambda: Panels(app.store, app.standard).get(*answers.version)))
    return {"first": statistics.median(first), "warm": statistics.median(warm), "whole": statistics.median(whole)}


def _pages(database: Path, company: str, token: str, answers: _Answers, repeat: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from tests.signin import session_token

    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["GAPURA_STANDARDS_DIR"] = str(ROOT / "standards")
    session = session_token(os.environ["DATABASE_URL"], ROOT / "standards", OFFICER, organization=company,
                            roles=("officer",))  # fmt: skip

    def tab(page: str, **query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "gapura_app.py"), default_timeout=600)
        at.session_state["session-token"] = session
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(page)
        at.run()
        return at

    results, members = tab("ui/pages/results.py", a=token), tab("ui/pages/members.py")
    times: dict[str, list[float]] = {"results": [], "members": [], "members_first": []}
    for _ in range(repeat):
        times["results"].append(_seconds(results.run))
        times["members"].append(_seconds(members.run))
        answers.answer()
        times["members_first"].append(_seconds(members.run))
    if members.exception or results.exception:
        raise RuntimeError(f"a page failed: {members.exception or results.exception}")
    return {name: statistics.median(values) for name, values in times.items()}


def run(organizations: int = 5000, repeat: int = 5) -> str:
    folder = Path(tempfile.mkdtemp())
    database = folder / "officers.db"
    started = time.perf_counter()
    company, token = _prepare(database, organizations)
    loaded = time.perf_counter() - started
    app = Gapura(replace(load_settings(), database_url=f"sqlite:///{database}", standards_dir=ROOT / "standards"))
    try:
        answers = _Answers(app)
        service = _services(app, answers, repeat)
    finally:
        app.close()
    page = _pages(database, company, token, answers, repeat)
    ms = lambda seconds: f"{seconds * 1000:7.0f} ms"  # noqa: E731
    sid, version = answers.version
    return "\n".join([
        f"{organizations} demo members stored in SQLite ({loaded:.0f} s to load); one answer to {sid} {version} "
        f"before each first view; medians of {repeat}",
        "service level, association.members (every version's panel):",
        f"  warm (stamp unchanged)         {ms(service['warm'])}",
        f"  first view after one answer    {ms(service['first'])}  ({service['first'] / service['warm']:.2f}x warm)",
        f"  {sid} {version} panel from scratch {ms(service['whole'])}  "
        f"({service['whole'] / service['warm']:.2f}x warm; what a first view cost before)",
        "page level, AppTest (the whole script on the server):",
        f"  Results of one member          {ms(page['results'])}",
        f"  Members warm                   {ms(page['members'])}  ({page['members'] / page['results']:.2f}x results)",
        f"  Members after one answer       {ms(page['members_first'])}  "
        f"({page['members_first'] / page['members']:.2f}x warm)",
    ])  # fmt: skip
