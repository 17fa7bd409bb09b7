from pathlib import Path

import pytest

from scoring.library import load_standard_file

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
