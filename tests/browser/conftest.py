"""A real `streamlit run` server and Debian's chromium driven by Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import DATA, ROOT
from tests.signin import session_token
from ui.auth import COOKIE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


# A shared 2-core machine can be slow to rerun a script; waiting longer costs nothing when it is fast.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(standards_dir: Path, log: Path, script: str | None = None, database: Path | str | None = None,
                 port: int | None = None, secrets: Path | None = None, ready: bool = True):  # fmt: skip
    """Start `streamlit run` (the app, or another script) on a free loopback port; return (process, url) once it
    serves and, for the app when `ready`, once /readyz says its database is migrated: a test that writes to the
    database next must not meet the server's own migration at start (SQLite: "database is locked").

    The database is a SQLite file beside the log unless given; `secrets` is a secrets.toml for the app."""
    port = port or free_port()
    database = database or log.with_suffix(".db")
    env = {**os.environ, "GAPURA_STANDARDS_DIR": str(standards_dir), "DATABASE_URL": database_url(database)}
    if secrets:
        env["GAPURA_SECRETS_FILE"] = str(secrets)
    cmd = [sys.executable, "-m", "streamlit", "run", script or str(ROOT / "app.py"), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]  # fmt: skip
    if secrets:
        cmd += ["--secrets.files", str(secrets)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    probe = "/readyz" if ready and script is None else "/_stcore/health"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + probe, timeout=10) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")


def database_url(database: Path | str) -> str:
    """A SQLite file, or a database URL as it is (a private PostgreSQL)."""
    return database if isinstance(database, str) else f"sqlite:///{database}"


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def fresh_server(tmp_path):
    """A server on an empty database: its first visitor sees the first-run form. Yields (url, database)."""
    database = tmp_path / "fresh.db"
    proc, url = start_server(DATA / "standards", tmp_path / "fresh.log", database=database)
    yield url, database
    stop(proc)


def sign_in_as(context, url: str, database: Path, standards: Path, email: str, **who) -> None:
    """Put a session cookie for `email` (made through the accounts service, see tests/signin.py) in a browser
    context, as the sign-in form would; the sign-in form itself is tested in test_access.py."""
    token = session_token(database_url(database), standards, email, **who)
    context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
