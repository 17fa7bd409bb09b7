"""`python -m gapura bench --exports --assessments N`: the research data package of N demo members.

1. Time: the XLSX against the CSV of the same package (`Research.write` into a folder, as the page and the command
   do), in the same process, alternating (`timed_together`).
2. Peak memory of each format's whole export (`python -m gapura export`: reading the database, building the package,
   writing the files) as the peak resident size of a process doing only that."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from scoring.formats import FORMATS
from services.app import Gapura
from services.policy import cli_actor
from services.research import Selection
from services.settings import load as load_settings
from tools.bench import timed_together

ROOT = Path(__file__).resolve().parent.parent


def _prepare(database: Path, organizations: int) -> tuple[str, str]:
    """Demo data in a new SQLite file; the standard version with the most assessments."""
    app = Gapura(replace(load_settings(), database_url=f"sqlite:///{database}", standards_dir=ROOT / "standards"))
    try:
        app.demo.load(cli_actor(), organizations=organizations, seed=1, force=True)
        standard_id, version, _ = max(app.research.versions(cli_actor()), key=lambda v: v[2])
        return standard_id, version
    finally:
        app.close()


# The peak resident size of this process's memory, read where it runs: after fork and exec, getrusage's ru_maxrss
# still counts the parent's pages copied at the fork (Linux keeps the larger of the two), VmHWM does not.
PEAK = """import sys
from gapura.cli import main
code = main(sys.argv[1:])
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
sys.exit(code)
"""


def peak_memory_mb(database: Path, standard_id: str, version: str, fmt: str, out: Path) -> float:
    """Peak resident memory (MB) of `python -m gapura export` of one format, in a process of its own."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GAPURA_STANDARDS_DIR": str(ROOT / "standards")}
    command = [sys.executable, "-c", PEAK, "export", "--format", fmt, "--standard", standard_id, "--version", version,
               "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"export --format {fmt} failed: {done.stderr}")
    return int(done.stdout.split()[-1]) / 1024  # kB


def run(organizations: int = 2000, repeat: int = 3) -> str:
    folder = Path(tempfile.mkdtemp())
    database = folder / "exports.db"
    started = time.perf_counter()
    standard_id, version = _prepare(database, organizations)
    loaded = time.perf_counter() - started
    app = Gapura(replace(load_settings(), database_url=f"sqlite:///{database}", standards_dir=ROOT / "standards"))
    try:
        package = app.research.package(cli_actor(), Selection(standard_id, version))
        cells = sum(frame.size for frame in (package.dataset.table(t) for t in package.dataset.tables))
        seconds = timed_together({fmt: _writer(app, package, fmt, folder / fmt) for fmt in ("csv", "xlsx")}, repeat)
    finally:
        app.close()
    lines = [
        f"{organizations} demo members ({loaded:.0f} s to load), {standard_id} {version}: "
        f"{len(package.dataset.wide)} assessments, {cells:,} cells in the tables",
        f"Research package written to files, median of {repeat}, alternating:",
        f"  csv   {seconds['csv']:7.2f} s (1.00x)",
        f"  xlsx  {seconds['xlsx']:7.2f} s ({seconds['xlsx'] / seconds['csv']:.2f}x csv)",
        "Peak memory of a whole export (python -m gapura export, its own process):",
    ]
    for fmt in FORMATS:
        out = folder / ("zips" if fmt != "xlsx" else "book") / f"package-{fmt}.{'xlsx' if fmt == 'xlsx' else 'zip'}"
        out.parent.mkdir(exist_ok=True)
        lines.append(f"  {fmt:12s} {peak_memory_mb(database, standard_id, version, fmt, out):6.0f} MB")
    return "\n".join(lines)


def _writer(app: Gapura, package, fmt: str, out: Path):
    def write() -> None:
        out.mkdir(parents=True, exist_ok=True)
        app.research.write(package, fmt, out)

    return write
