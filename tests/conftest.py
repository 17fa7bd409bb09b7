import os
from pathlib import Path

import pytest
from hypothesis import settings

from scoring.library import load_standard_file
from tools.devserver import PostgresMissing, throwaway_cluster

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "standards" / "mini.json"
MINI_ANSWERS = DATA / "assessments" / "mini.json"
STANDARDS = ROOT / "standards"


@pytest.fixture(scope="session")
def mini():
    report = load_standard_file(MINI)
    assert report.valid, report.issues
    return report.standard


# Hypothesis profiles for the hostile-input suite: a few hundred examples by default, GAPURA_FUZZ_EXAMPLES=10000 for
# a long run. Used through settings(FUZZ) so that the other property tests keep their own example counts.
settings.register_profile("hostile", max_examples=300, deadline=None)
settings.register_profile(
    "hostile-long", max_examples=int(os.environ.get("GAPURA_FUZZ_EXAMPLES") or 300), deadline=None
)
FUZZ = settings.get_profile("hostile-long" if os.environ.get("GAPURA_FUZZ_EXAMPLES") else "hostile")


@pytest.fixture
def cluster():
    """A private PostgreSQL a test can stop and start (a database outage, for real)."""
    try:
        with throwaway_cluster() as pg:
            yield pg
    except PostgresMissing as missing:
        pytest.skip(str(missing))
