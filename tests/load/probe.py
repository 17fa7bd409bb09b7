"""`python -m tests.load.probe URL TOKEN PAGE N`: open a signed-in staff member's page N times in new tabs (with the
cookie that sends the staff to their own replica) and print the seconds each took (connect, run, drawn) as JSON.
The load run times the officer's and the researcher's pages through this process of its own, at the machine's
normal priority: the crowd's generator shares the run's process and is lowered (run.py), as the members' browsers
would be on machines of their own."""

from __future__ import annotations

import asyncio
import json
import sys

from tests.load.tab import Tab


async def timings(url: str, token: str, page: str, probes: int) -> list[float]:
    measured = []
    for _ in range(probes):
        tab = Tab(url, token, page=page, query="lang=id", pool="staff")
        measured.append(await tab.open())
        if tab.exceptions:
            raise RuntimeError(f"{page}: {tab.exceptions}")
        await tab.close()
    return measured


if __name__ == "__main__":
    url, token, page, probes = sys.argv[1:5]
    print(json.dumps(asyncio.run(timings(url, token, page, int(probes)))))
