"""What Gapura adds to Streamlit's web server (app.py): the routes that set and clear the session cookie, the
probes and metrics for whoever runs it (/healthz, /readyz, /metrics: not for the public), the security headers of
every response, and no upload from a tab that is not signed in."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from prometheus_client.exposition import choose_encoder
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.url_util import make_url_path

from services import metrics
from services.app import unavailable
from services.settings import networks, within
from ui import context

COOKIE = "gapura_session"
# "staff" for a person with an account role: the proxy sends them to a replica of their own (deploy/haproxy.cfg).
POOL_COOKIE = "gapura_pool"
SESSION_ROUTE = "gapura/session"  # ?code=...&next=...: trades a hand-off code for the session cookie
SIGN_OUT_ROUTE = "gapura/sign-out"  # ?next=...: clears a cookie whose session has ended
UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/[^/]+$")
READY_SECONDS = 6  # a database that is away is told within PostgreSQL's connect_timeout (5 s) and a little
LOOPBACK = ("127.0.0.0/8", "::1")
FORWARDED = (b"forwarded", b"x-forwarded-for", b"x-real-ip")  # a proxy passed the request on


def _inline_scripts() -> str:
    """The hashes of the inline scripts of Streamlit's own page, so that the policy allows them and no other."""
    page = (Path(st.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.DOTALL)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)


# Streamlit's page needs inline styles (its CSS-in-JS), data:/blob: images and fonts, web workers from blob: and its
# websocket; its components and st.html draw in same-origin frames, and a component's script (the browser journal,
# ui/browser_journal.py) is loaded from a blob: URL its own page made (only a script already running here can make
# one). Nothing loads from another host, and no other site may frame Gapura (clickjacking); its own pages may, as
# Streamlit's component frames do.
CSP = "; ".join([
    "default-src 'self'",
    f"script-src 'self' blob: {_inline_scripts()}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])  # fmt: skip
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # a hand-off code in an address never leaves for another site
]
NOT_PUBLIC = ("/_stcore/metrics",)  # process and cache statistics: for whoever runs the server, not the web

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

_signed_in_tabs: set[str] = set()


# In the script: where a tab stands, and sending the browser to a route


def mark_tab(signed_in: bool) -> None:
    """Remember whether this tab (its websocket session) is signed in, for the upload guard below."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    if not signed_in:
        _signed_in_tabs.discard(ctx.session_id)
    elif ctx.session_id not in _signed_in_tabs:
        if Runtime.exists():  # forget tabs that are gone, so the set holds only live ones
            _signed_in_tabs.difference_update(
                [tab for tab in list(_signed_in_tabs) if not Runtime.instance().is_active_session(tab)]
            )
        _signed_in_tabs.add(ctx.session_id)


def go(route: str, **params: str) -> None:
    """Send the browser to one of the routes below (as st.login does for its own): it leaves this page."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = make_url_path(config.get_option("server.baseUrlPath"), route) + "?" + urlencode(params)
    ctx.enqueue(message)


def here(page: str = "", **extra: str) -> str:
    """The address to come back to: a page of the app (its url path) with this tab's query parameters and `extra`."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in ("invite", "reset")} | extra
    query = urlencode(params)
    return make_url_path(config.get_option("server.baseUrlPath"), page) + (f"?{query}" if query else "")


# The routes


def _local(target: str | None) -> str:
    """A path on this server to send the browser back to; anything else (another host) becomes the start page."""
    home = make_url_path(config.get_option("server.baseUrlPath"), "")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    return target


def _secure(request: Request) -> bool:
    """HTTPS as the browser sees it: served with TLS, forwarded as https by a proxy uvicorn trusts
    (FORWARDED_ALLOW_IPS), or a public address (GAPURA_BASE_URL) that is https."""
    return request.url.scheme == "https" or context.settings().base_url.startswith("https://")


def _cookie_path() -> str:
    return make_url_path(config.get_option("server.baseUrlPath"), "")


def _cookie_options(request: Request) -> dict[str, Any]:
    """What each of our cookies is set with, and cleared with (a browser clears a cookie only with its own path)."""
    return {"path": _cookie_path(), "secure": _secure(request), "httponly": True, "samesite": "lax"}


def _redirect(request: Request) -> RedirectResponse:
    response = RedirectResponse(_local(request.query_params.get("next")), status_code=303)
    response.headers["cache-control"] = "no-store"
    return response


async def _accounts(method: str, argument: str) -> Any:
    """A call into the accounts service off the event loop; None when the database cannot be reached (the page the
    browser is sent back to says so)."""
    try:
        return await run_in_threadpool(lambda: getattr(context.shared_app().accounts, method)(argument))
    except Exception as exc:  # any driver error: the redirect still goes, without a cookie
        context.reference(exc, f"the session route could not {method}")
        return None


async def _session(request: Request) -> Response:
    signed = await _accounts("redeem", request.query_params.get("code", ""))
    response = _redirect(request)
    if signed is not None:
        options, max_age = _cookie_options(request), int(context.session_length().total_seconds())
        response.set_cookie(COOKIE, signed.token, max_age=max_age, **options)
        if signed.actor.roles:
            response.set_cookie(POOL_COOKIE, "staff", max_age=max_age, **options)
        else:
            response.delete_cookie(POOL_COOKIE, **options)
    return response


async def _sign_out(request: Request) -> Response:
    """Clears only a cookie whose session has ended (the page signed out first), so a link from anywhere else
    cannot sign anyone out."""
    token = request.cookies.get(COOKIE, "")
    live = await _accounts("actor_for_session", token) if token else None
    response = _redirect(request)
    if token and live is None:
        for name in (COOKIE, POOL_COOKIE):
            response.delete_cookie(name, **_cookie_options(request))
    return response


async def _healthz(_: Request) -> Response:
    """The process serves: touches nothing else, so a database outage never gets a replica restarted."""
    return PlainTextResponse("ok", headers={"cache-control": "no-store"})


_check: asyncio.Future[str | None] | None = None


def _checking() -> asyncio.Future[str | None]:
    """The readiness check under way, or a new one: probes that come while one is checking share its answer, so
    a database that is away never piles up waiting threads."""
    global _check
    if _check is None or _check.done() or _check.get_loop() is not asyncio.get_running_loop():
        _check = asyncio.ensure_future(run_in_threadpool(_unready))
    return _check


@asynccontextmanager
async def lifespan(_: object) -> AsyncIterator[None]:
    """The server opens its database as it starts (migrating it), without holding the start up: a database that is
    away is told by /readyz and tried again by the first page or probe."""
    _checking()
    yield


async def _readyz(_: Request) -> Response:
    """200 while the database answers with this release's schema, else 503 and why in one line."""
    try:
        reason = await asyncio.wait_for(asyncio.shield(_checking()), READY_SECONDS)
    except TimeoutError:
        reason = f"database did not answer within {READY_SECONDS} s"
    return PlainTextResponse(
        reason or "ready", status_code=503 if reason else 200, headers={"cache-control": "no-store"}
    )


def _unready() -> str | None:
    """Opening the application migrates its database the first time (at start, or at the first page or probe after
    a failure); the reason never names the server, its address or its password (the log has the detail)."""
    try:
        return context.shared_app().health.unready()
    except Exception as exc:  # any driver or migration error: the probe says which kind, the log says the rest
        ref = context.reference(exc, "the readiness probe found the database not ready")
        return (
            f"database unreachable (reference {ref})" if unavailable(exc) else f"database not usable (reference {ref})"
        )


async def _metrics(request: Request) -> Response:
    """The counts in the format the scraper asks for (Prometheus' text format unless it asks for OpenMetrics), for
    whoever runs the server only (see _may_scrape); otherwise the 404 the guard gives Streamlit's own metrics."""
    if not _may_scrape(request.scope):
        return PlainTextResponse("Not found", status_code=404)
    metrics.SESSIONS.set(_connected_tabs())
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(metrics.REGISTRY), headers={"content-type": content_type, "cache-control": "no-store"})


def _may_scrape(scope: Scope) -> bool:
    """Straight from this machine or a network of GAPURA_METRICS_ALLOW, never through a proxy: a request a proxy
    passed on came from whoever reached the proxy (the web), whatever address it shows, and Prometheus scrapes each
    replica itself anyway (each counts its own)."""
    if any(name in FORWARDED for name, _ in scope.get("headers", [])):
        return False
    client = (scope.get("client") or ("",))[0]
    return within(client, networks(LOOPBACK)) or within(client, networks(context.settings().metrics_allow))


def _connected_tabs() -> int:
    """Browser tabs with a live websocket to this replica (none outside a running Streamlit server)."""
    if not Runtime.exists():
        return 0
    manager = getattr(Runtime.instance(), "_session_mgr", None)  # Streamlit has no public count of its sessions
    return manager.num_active_sessions() if manager is not None else 0


def routes() -> list[Route]:
    return [
        Route(f"/{SESSION_ROUTE}", _session),
        Route(f"/{SIGN_OUT_ROUTE}", _sign_out),
        Route("/healthz", _healthz),
        Route("/readyz", _readyz),
        Route("/metrics", _metrics),
    ]


# The middleware


class Guard:
    """Every response gets the security headers; the metrics are not served; an upload is taken only into a
    signed-in tab, and only while that tab holds less than its upload budget."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        refusal = None
        if any(path.endswith(hidden) for hidden in NOT_PUBLIC):
            refusal = PlainTextResponse("Not found", status_code=404)
        elif scope["method"] == "PUT" and (upload := UPLOAD.search(path)):
            refusal = _refuse_upload(upload.group(1), dict(scope["headers"]).get(b"content-length", b""))

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await (refusal or self.app)(scope, receive, send_with_headers)


def _refuse_upload(tab: str, length: bytes) -> Response | None:
    if tab not in _signed_in_tabs:
        return PlainTextResponse("Sign in first", status_code=403)
    limit = config.get_option("server.maxUploadSize") * 1024 * 1024
    incoming = int(length) if length.isdigit() else limit
    held = _held_bytes(tab)
    if held + min(incoming, limit) > context.settings().upload_budget_mb * 1024 * 1024:
        return PlainTextResponse("Upload budget of this tab used up", status_code=413)
    return None


def release(upload: Any) -> None:
    """Let go of an upload's bytes once they are stored elsewhere (an evidence file in the database): Streamlit keeps
    a file until its tab drops it, and a widget drawn afresh does not, so the tab's budget would fill up."""
    ctx = get_script_run_ctx()
    remove = getattr(ctx.uploaded_file_mgr, "remove_file", None) if ctx is not None else None
    if remove is not None:  # the in-memory manager, Streamlit's default
        remove(session_id=ctx.session_id, file_id=upload.file_id)


def _held_bytes(tab: str) -> int:
    """What this tab's uploads hold in the server's memory now (Streamlit keeps them until the tab drops them)."""
    storage = getattr(Runtime.instance().uploaded_file_mgr, "file_storage", {}) if Runtime.exists() else {}
    return sum(len(record.data) for record in dict(storage.get(tab, {})).values())


def middleware() -> list[Middleware]:
    return [Middleware(Guard)]
