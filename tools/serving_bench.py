"""`python -m gapura bench --serving`: what serving costs, as ratios to a trivial one-widget Streamlit app in the
same run (needs /usr/bin/chromium).

1. Cold start: from starting `streamlit run` to the first page drawn in chromium (Gapura's sign-in form, the
   trivial app's widget), on a database already set up (accounts exist, migrations at head). The two alternate.
2. Server CPU per answer: the server process's user + system CPU (/proc/PID/stat) over N answers clicked on the
   self-assessment page, against N clicks on the trivial app's radio (one rerun each)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from scoring.model import localize
from tools.ui_bench import ROOT, _subject, _trivial_script, open_domain

SIGN_IN = "Masuk ke Gapura"


def server_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14 and 15


def _quiet(page) -> None:
    """Wait until the page has no script running (the status widget is gone)."""
    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=120_000)


def cold_start(chromium, folder: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """From `streamlit run` to the first page drawn, `repeat` times each, alternating: for "trivial" and "gapura",
    (seconds, the server's CPU seconds by then: less moved by other work on a shared machine)."""
    from tests.browser.conftest import database_url, start_server, stop
    from tests.signin import session_token

    database = folder / "cold.db"
    session_token(database_url(database), ROOT / "standards", "cold@gapura.test", organization="PT Cold")
    script = _trivial_script()
    times: dict[str, list[tuple[float, float]]] = {"trivial": [], "gapura": []}
    for i in range(repeat):
        for name in ("trivial", "gapura"):
            context = chromium.new_context()
            page = context.new_page()
            start = time.perf_counter()
            server, url = start_server(ROOT / "standards", folder / f"cold-{name}-{i}.log", database=database,
                                       script=script if name == "trivial" else None, ready=False)  # fmt: skip
            try:
                page.goto(url)
                if name == "trivial":
                    page.get_by_text("value None").wait_for(timeout=120_000)
                else:
                    page.get_by_role("heading", name=SIGN_IN).wait_for(timeout=120_000)
                times[name].append((time.perf_counter() - start, server_cpu(server.pid)))
            finally:
                context.close()
                stop(server)
    return times


def cpu_per_answer(chromium, folder: Path, answers: int) -> tuple[float, float]:
    """Server CPU seconds per click: (trivial rerun, answered criterion on the self-assessment page)."""
    from tests.browser.conftest import sign_in_as, start_server, stop

    standard, domain = _subject()
    trivial_server, trivial_url = start_server(ROOT / "standards", folder / "trivial.log", script=_trivial_script())
    try:
        page = chromium.new_page()
        page.goto(trivial_url)
        page.get_by_text("value None").wait_for()
        trivial = _cpu_of_clicks(page, trivial_server.pid, answers,
                                 lambda i: (page.get_by_role("radiogroup").get_by_text(f"{i % 5}", exact=True),
                                            page.get_by_text(f"value {i % 5}", exact=True)))  # fmt: skip
        page.close()
    finally:
        stop(trivial_server)
    app_server, app_url = start_server(ROOT / "standards", folder / "app.log")
    try:
        context = chromium.new_context()
        sign_in_as(context, app_url, folder / "app.db", ROOT / "standards", "cpu@gapura.test", organization="PT Cpu")
        page = context.new_page()
        open_domain(page, app_url, standard, domain)
        _quiet(page)
        criteria = domain.criteria

        def answer(i: int):
            # Each click answers a criterion (or changes its level): the first round answers them, later rounds
            # change the answers, so every click is a save.
            criterion = criteria[i % len(criteria)]
            level = 1 + (i // len(criteria)) % (len(criterion.levels) - 1)
            card = page.locator(f".st-key-card-{criterion.id}")
            option = f"{level} · {standard.scale.label(level, 'id')}"
            return (card.get_by_role("radiogroup").get_by_text(option, exact=True),
                    card.get_by_text(localize(criterion.levels[level], "id"), exact=True))  # fmt: skip

        gapura = _cpu_of_clicks(page, app_server.pid, answers, answer)
        context.close()
    finally:
        stop(app_server)
    return trivial, gapura


def _cpu_of_clicks(page, pid: int, clicks: int, target_and_shown) -> float:
    """Server CPU per click over `clicks` clicks, each waited for until its result shows and no script runs."""
    for i in range(2):  # warm-up clicks, not counted
        _click(page, *target_and_shown(i + clicks))
    before = server_cpu(pid)
    for i in range(clicks):
        _click(page, *target_and_shown(i))
    time.sleep(0.5)  # a save may finish after the screen changed
    return (server_cpu(pid) - before) / clicks


def _click(page, target, shown) -> None:
    target.scroll_into_view_if_needed()
    target.click()
    shown.wait_for(timeout=60_000)
    _quiet(page)


def run(repeat: int = 3, answers: int = 40) -> str:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    standard, domain = _subject()
    folder = Path(tempfile.mkdtemp())
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold = cold_start(chromium, folder, repeat)
            trivial_cpu, gapura_cpu = cpu_per_answer(chromium, folder, answers)
        finally:
            chromium.close()
    wall = {name: statistics.median(s for s, _ in runs) for name, runs in cold.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in cold.items()}
    lines = [f"Cold start, `streamlit run` to the first page drawn in chromium (median of {repeat}, alternating); "
             "the server's CPU by then:"]  # fmt: skip
    for name, what in (("trivial", "trivial one-widget app"), ("gapura", "Gapura, sign-in form")):
        lines.append(f"  {what:24s} {wall[name]:6.2f} s ({wall[name] / wall['trivial']:.2f}x)   CPU {cpu[name]:5.2f} s "
                     f"({cpu[name] / cpu['trivial']:.2f}x)   all: {', '.join(f'{s:.2f}' for s, _ in cold[name])}")  # fmt: skip
    return "\n".join([
        *lines,
        f"Server CPU per click ({answers} clicks each, /proc/PID/stat user + system):",
        f"  trivial one-widget rerun: {trivial_cpu * 1000:6.1f} ms (1.00x)",
        f"  answered criterion, {standard.id} domain {domain.id}: {gapura_cpu * 1000:6.1f} ms "
        f"({gapura_cpu / trivial_cpu:.2f}x)",
    ])  # fmt: skip
