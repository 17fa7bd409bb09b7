"""`python -m gapura bench --ui`: the rerun after one answer against a trivial one-widget script, measured twice.

1. AppTest (script time only). AppTest always reruns the whole script, so it shows the cost of a full rerun of
   the self-assessment page, which happens when the domain changes.
2. A real browser against `streamlit run` (needs /usr/bin/chromium): the time from a click to the changed text on
   screen. Here a click reruns only the criterion's fragment, which is what a user waits for after each answer.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring.model import localize
from services.settings import load as load_settings
from services.standards import library_from

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "gapura_app.py")
TRIVIAL = (
    "import streamlit as st\n"
    'v = st.radio("Level", [0, 1, 2, 3, 4], index=None, horizontal=True, key="level")\n'
    'st.write(f"value {v}")\n'
)


def _trivial_script() -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(TRIVIAL)
    return f.name


def _subject():
    """The standard and domain with the most criteria: the heaviest page a user sees."""
    standard = max(
        library_from(load_settings().standards_dir).standards, key=lambda s: max(len(d.criteria) for d in s.domains)
    )
    return standard, max(standard.domains, key=lambda d: len(d.criteria))


def apptest(repeat: int) -> tuple[float, float]:
    def median_rerun(at: AppTest, key: str) -> float:
        """`key`: the radio's key, or the end of it (a card's keys change as it is redrawn: ui/session.widget_key)."""
        times = []
        for i in range(repeat):
            next(r for r in at.radio if r.key and r.key.endswith(key)).set_value(i % 5)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    from tests.signin import session_token

    trivial = median_rerun(AppTest.from_file(_trivial_script(), default_timeout=60).run(), "level")
    standard, domain = _subject()
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session-token"] = session_token(os.environ["DATABASE_URL"], load_settings().standards_dir,
                                                      "bench@gapura.test", organization="PT Bench")  # fmt: skip
    at.run()
    at.selectbox[0].set_value(at.selectbox[0].options.index(f"{localize(standard.title, 'id')} ({standard.version})"))
    at.button[0].click().run()
    at.selectbox(key="domain-picker").set_value(domain.id).run()
    page = median_rerun(at, f"__level__{domain.criteria[0].id}")
    return trivial, page


def browser(repeat: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in_as, start_server

    standard, domain = _subject()
    criterion = domain.criteria[0]
    log = Path(tempfile.mkdtemp()) / "server.log"
    app_server, app_url = start_server(ROOT / "standards", log)
    trivial_server, trivial_url = start_server(ROOT / "standards", log.with_name("trivial.log"), _trivial_script())
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page()
            page.goto(trivial_url)
            page.get_by_text("value None").wait_for()
            trivial = _median_click(page, page, lambda v: (f"{v}", f"value {v}"), repeat)

            sign_in_as(page.context, app_url, log.with_suffix(".db"), ROOT / "standards", "bench@gapura.test",
                       organization="PT Bench")  # fmt: skip
            open_domain(page, app_url, standard, domain)
            card = page.locator(f".st-key-card-{criterion.id}")
            card.wait_for()

            def option_and_text(v: int) -> tuple[str, str]:
                return f"{v} · {standard.scale.label(v, 'id')}", localize(criterion.levels[v], "id")

            fragment = _median_click(page, card, option_and_text, repeat)
            chromium.close()
    finally:
        app_server.kill()
        trivial_server.kill()
    return trivial, fragment


def open_domain(page, url: str, standard, domain) -> None:
    """A signed-in member starts an assessment of `standard` on the self-assessment page and opens `domain`."""
    page.goto(url)
    page.get_by_label("Standar", exact=True).click()
    page.get_by_role("option", name=f"{localize(standard.title, 'id')} ({standard.version})").click()
    page.get_by_role("button", name="Mulai penilaian").click()
    page.get_by_label("Domain", exact=True).click()
    page.get_by_role("option", name=localize(domain.title, "id"), exact=True).click()


def _median_click(page, scope, option_and_text, repeat: int) -> float:
    times = []
    for i in range(repeat + 2):
        option, text = option_and_text(i % 5)
        target = scope.get_by_role("radiogroup").get_by_text(option, exact=True)
        start = time.perf_counter()
        target.click()
        scope.get_by_text(text, exact=True).wait_for()
        if i >= 2:  # the first clicks warm up caches
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(repeat: int = 30) -> str:
    standard, domain = _subject()
    where = f"{standard.id}, domain {domain.id} ({len(domain.criteria)} criteria)"
    trivial, page = apptest(repeat)
    lines = [
        "AppTest, script time of a rerun after one click (full rerun):",
        f"  trivial one-widget script: {trivial * 1000:7.1f} ms (1.0x)",
        f"  self-assessment page, {where}: {page * 1000:7.1f} ms ({page / trivial:.1f}x)",
    ]
    try:
        trivial_b, fragment_b = browser(repeat)
    except Exception as exc:  # the browser half is optional on machines without chromium
        lines.append(f"browser measurement skipped: {exc}")
    else:
        lines += [
            "Chromium, click to changed text on screen (the answer reruns only its criterion's fragment):",
            f"  trivial one-widget script: {trivial_b * 1000:7.1f} ms (1.0x)",
            f"  self-assessment page, {where}: {fragment_b * 1000:7.1f} ms ({fragment_b / trivial_b:.1f}x)",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
    sys.exit(0)
