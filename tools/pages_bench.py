"""`python -m gapura bench --pages`: in chromium, with N demo members stored, how long the officers' Members and
Compare pages take to show, as ratios to the Results page of one member in the same run (the issue's target:
within 2x). Each page is opened several times; the first opening (which scores the panels) is reported apart."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from services.app import Gapura
from services.policy import cli_actor
from services.settings import load as load_settings

ROOT = Path(__file__).resolve().parent.parent
STANDARD = "id-licensing"


def _prepare(database: Path, organizations: int) -> tuple[str, str]:
    """Demo data in a new SQLite file; the name and link token of a demo company with a complete assessment."""
    from dataclasses import replace

    settings = replace(load_settings(), database_url=f"sqlite:///{database}", standards_dir=ROOT / "standards")
    app = Gapura(settings)
    try:
        app.demo.load(cli_actor(), organizations=organizations, seed=1, force=True)
        members = app.association.members(cli_actor())
        done = members[(members["standard_id"] == STANDARD) & (members["coverage"] >= 1)].iloc[0]
        org = int(done["organization_id"])
        return str(done["organization"]), app.store.workspace(org).token(int(done["assessment"]))
    finally:
        app.close()


def run(organizations: int = 5000, repeat: int = 5) -> str:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in_as, start_server, stop

    folder = Path(tempfile.mkdtemp())
    database = folder / "pages.db"
    started = time.perf_counter()
    company, token = _prepare(database, organizations)
    loaded = time.perf_counter() - started
    server, url = start_server(ROOT / "standards", folder / "server.log", database=database)
    pages = {
        "results": (f"{url}/results?a={token}", "Hasil"),
        "members": (f"{url}/members", "Anggota"),
        "compare": (f"{url}/compare", "Bandingkan anggota"),
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1366, "height": 900})
            sign_in_as(page.context, url, database, ROOT / "standards", "pengurus@bench.test",
                       organization=company, roles=("officer",))  # fmt: skip
            for _ in range(repeat + 1):
                for name, (address, heading) in pages.items():  # interleaved, so each sees the same load
                    start = time.perf_counter()
                    page.goto(address)
                    page.get_by_role("heading", name=heading).first.wait_for(timeout=300_000)
                    page.locator(".js-plotly-plot, [data-testid='stDataFrame']").first.wait_for(timeout=300_000)
                    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=300_000)
                    times[name].append(time.perf_counter() - start)
            chromium.close()
    finally:
        stop(server)
    warm = {name: statistics.median(values[1:]) for name, values in times.items()}
    base = warm["results"]
    lines = [f"{organizations} demo members stored ({loaded:.0f} s to load); chromium, goto to the page drawn, "
             f"median of {repeat} after a first opening:"]  # fmt: skip
    for name, value in warm.items():
        lines.append(f"  {name:8s} {value * 1000:8.0f} ms  ({value / base:.2f}x results)   first: "
                     f"{times[name][0] * 1000:.0f} ms")  # fmt: skip
    return "\n".join(lines)
