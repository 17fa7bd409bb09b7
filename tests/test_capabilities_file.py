"""A malformed standards/capabilities.json is that file's error on the Standards page and in `validate`; every page
still opens."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI, ROOT
from tests.signin import session_token
from tests.test_app_pages import APP

BROKEN = {
    "syntax": ('{"capabilities": [', "`$`: "),
    "shape": ('{"capabilities": [{"id": "Risk Register"}]}', "`capabilities[0].id`: "),
}


@pytest.fixture(params=sorted(BROKEN))
def library_dir(request, tmp_path, monkeypatch):
    shutil.copy(MINI, tmp_path / "mini.json")
    (tmp_path / "capabilities.json").write_text(BROKEN[request.param][0], encoding="utf-8")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path, BROKEN[request.param][1]


def test_every_page_opens_and_the_standards_page_shows_the_files_error(library_dir):
    folder, where = library_dir
    token = session_token(f"sqlite:///{folder / 'app.db'}", folder, "semua@peran.test", organization="PT Contoh Acara",
                          roles=("officer", "admin"))  # fmt: skip
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session-token"] = token
    at.run()
    assert not at.exception
    pages = sorted(Path(str(p["script_path"])).name for p in at._registered_pages.values() if p.get("script_path"))
    assert len(pages) >= 14
    for page in pages:
        at.switch_page(f"ui/pages/{page}").run()
        assert not at.exception, (page, at.exception)
    at.switch_page("ui/pages/standards.py").run()
    assert any(e.label == "capabilities.json" for e in at.expander)
    assert where in " ".join(m.value for m in at.markdown)
    assert list(at.dataframe[0].value["Standar"]) == ["Standar mini"]  # the standards themselves still load


def test_validate_reports_the_capabilities_file_and_exits_2(library_dir):
    folder, _ = library_dir
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'none.db'}"}
    out = subprocess.run([sys.executable, "-m", "gapura", "validate", str(folder)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert f"{folder / 'capabilities.json'}: " in out.stderr
