"""Plotly figures as images (JPEG: a PDF holds it as it is, where a PNG is decoded and compressed again, about
0.4 s a chart) through kaleido on the machine's chromium, one browser kept for the process: starting one
costs seconds, an image from a running one a fraction of a second (docs/toolchain.md). Where no image can be made
(no chromium, a kaleido error, a timeout) `picture` gives None and the report says so in the chart's place."""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
import time
from typing import Any

import plotly.graph_objects as go

log = logging.getLogger(__name__)

START_SECONDS = 30.0  # a cold chromium on a busy 2-core machine
IMAGE_SECONDS = 20.0
# After a failed start, reports build without charts for this long instead of waiting on a browser again each time.
RETRY_AFTER = 300.0


class Painter:
    """One kaleido browser on its own event loop thread, started at the first image and shared by every caller."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None
        self._failed_at: float | None = None

    def picture(self, fig: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes | None:
        kaleido = self._started()
        if kaleido is None or self._loop is None:
            return None
        spec = {"format": "jpeg", "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(kaleido.calc_fig(fig.to_dict(), opts=spec), self._loop)
        try:
            return future.result(timeout=IMAGE_SECONDS)
        except Exception as exc:  # kaleido's and chromium's errors have no common base: any of them means no image
            future.cancel()
            log.warning("chart not drawn: %s", exc)
            if isinstance(exc, TimeoutError):
                self.close()  # a browser that stopped answering is replaced at the next image
            return None

    def _started(self) -> Any:
        with self._lock:
            if self._kaleido is not None:
                return self._kaleido
            if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER:
                return None
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()
            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(_open(), loop).result(timeout=START_SECONDS)
            except Exception as exc:  # no chromium, a refused start, a timeout: the reports go on without charts
                log.warning("no browser for charts: %s", exc)
                loop.call_soon_threadsafe(loop.stop)
                self._failed_at = time.monotonic()
                return None
            self._loop, self._failed_at = loop, None
            return self._kaleido

    def close(self) -> None:
        """Stops the browser (at exit, or when it stopped answering)."""
        with self._lock:
            kaleido, loop = self._kaleido, self._loop
            self._kaleido = self._loop = None
        if kaleido is None or loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(timeout=10)
        except Exception as exc:  # closing is best effort: the process may be ending
            log.warning("chart browser not closed cleanly: %s", exc)
        loop.call_soon_threadsafe(loop.stop)


async def _open() -> Any:
    from kaleido import Kaleido  # imported on first use: the app starts without it until a report is made

    # The app makes no request off the machine: MathJax off (kaleido would fetch it from a CDN), and every web
    # request of this chromium goes to a local port where nothing listens (plotly.js and the page are local files).
    kaleido = Kaleido(mathjax=False, timeout=IMAGE_SECONDS, proxy_server="127.0.0.1:9", enable_extensions=False)
    await kaleido.open()
    return kaleido


PAINTER = Painter()
atexit.register(PAINTER.close)


def picture(fig: go.Figure, width: int, height: int) -> bytes | None:
    """The figure as a JPEG from the process's one browser, or None when it cannot be drawn."""
    return PAINTER.picture(fig, width, height)
