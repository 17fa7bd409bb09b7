"""The load run's servers: one private PostgreSQL, three `streamlit run app.py` replicas on it (a and b for the
members, s for the association's staff) and Debian's HAProxy in front with sticky sessions (deploy/haproxy.cfg);
every process is stopped when the run ends."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.conftest import free_port, start_server, stop
from tests.conftest import ROOT
from tools.devserver import Cluster, _as_postgres, throwaway_cluster

HAPROXY = "/usr/sbin/haproxy"
CONFIG = ROOT / "deploy" / "haproxy.cfg"
STANDARDS = ROOT / "standards"
TICKS = os.sysconf("SC_CLK_TCK")
MEMBERS_REPLICAS, STAFF_REPLICA = ("a", "b"), "s"


@dataclass
class Usage:
    """What a process tree has used so far: CPU seconds (user + system) and its peak resident memory."""

    cpu_seconds: float = 0.0
    peak_mb: float = 0.0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def tree_usage(pid: int) -> Usage:
    """CPU and peak RSS (VmHWM) of a process and its descendants, from /proc."""
    usage, todo = Usage(), [pid]
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        usage.cpu_seconds += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
        usage.peak_mb += int(peak) / 1024
        todo += _children(current)
    return usage


@dataclass
class Replica:
    name: str  # as in the proxy's cookie
    process: subprocess.Popen
    url: str
    log: Path
    usage: Usage = field(default_factory=Usage)  # the last reading while it ran
    killed_at: float | None = None

    def sample(self) -> None:
        if self.killed_at is None:
            self.usage = tree_usage(self.process.pid)

    def kill(self) -> None:
        """SIGKILL, as a crashed machine would: no shutdown, no goodbye to its websockets."""
        self.sample()
        self.killed_at = time.monotonic()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@dataclass
class Deployment:
    cluster: Cluster
    replicas: dict[str, Replica]
    url: str  # the proxy
    work: Path

    def restart_database(self, pause: float) -> float:
        """`pg_ctl stop -m fast` (sessions cut, as `restart -m fast` does), `pause` seconds away (long enough for
        clicks to meet it), then start with the cluster's own options; the seconds it was away."""
        began = time.monotonic()
        subprocess.run(_as_postgres([self.cluster._pg_ctl, "-D", str(self.cluster.data), "-m", "fast", "-w", "stop"]),
                       check=True, capture_output=True)  # fmt: skip
        time.sleep(pause)
        self.cluster.start()
        return time.monotonic() - began

    def sample(self) -> None:
        for replica in self.replicas.values():
            replica.sample()


def haproxy_config(listen: str, replicas: dict[str, str]) -> str:
    """deploy/haproxy.cfg with the addresses filled in."""
    return CONFIG.read_text().format(
        listen=listen, **{f"replica_{name}": address for name, address in replicas.items()}
    )


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def deployment(work: Path, prepare=None) -> Iterator[Deployment]:
    """Start PostgreSQL, run `prepare(database_url)` (accounts, assessments) before any replica, then the
    replicas and the proxy; stop them all afterwards, whatever happened."""
    if not Path(HAPROXY).exists():
        raise RuntimeError(f"{HAPROXY} is missing: apt-get install -y haproxy")
    work.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        cluster = stack.enter_context(throwaway_cluster())
        if prepare:
            prepare(cluster.url)
        replicas = {}
        for name in (*MEMBERS_REPLICAS, STAFF_REPLICA):
            process, url = start_server(STANDARDS, work / f"replica-{name}.log", database=cluster.url)
            stack.callback(stop, process)
            replicas[name] = Replica(name, process, url, work / f"replica-{name}.log")
        port = free_port()
        config = work / "haproxy.cfg"
        config.write_text(haproxy_config(f"127.0.0.1:{port}", {n: r.url.removeprefix("http://")
                                                                for n, r in replicas.items()}))  # fmt: skip
        proxy = subprocess.Popen([HAPROXY, "-f", str(config), "-db"], stdout=(work / "haproxy.log").open("wb"),
                                 stderr=subprocess.STDOUT)  # fmt: skip
        stack.callback(stop, proxy)
        url = f"http://127.0.0.1:{port}"
        _wait_for(url + "/_stcore/health")
        yield Deployment(cluster, replicas, url, work)
