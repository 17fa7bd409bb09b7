"""The standards admin page through AppTest: publishing and retiring go to the database, so another replica (another
application object on the same database) offers what was published and stops offering what was retired at once."""

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.app import Gapura
from services.settings import Settings
from tests.conftest import MINI, ROOT
from tests.signin import session_token

APP = str(ROOT / "gapura_app.py")
ADMIN = "pengelola@gapura.test"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copy(MINI, tmp_path / "mini.json")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path


@pytest.fixture
def other_replica(folder, tmp_path_factory):
    own = tmp_path_factory.mktemp("replica")  # its own standards folder, empty: all it offers comes from the database
    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=Path(own)))
    yield app
    app.close()


def admin_page(folder: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session-token"] = session_token(f"sqlite:///{folder / 'app.db'}", folder, ADMIN, roles=("admin",))
    return at.run().switch_page("ui/pages/standards_admin.py").run()


def version_two() -> bytes:
    data = json.loads(MINI.read_text(encoding="utf-8")) | {"version": "2"}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def offered(app: Gapura) -> list[str]:
    return [s.version for s in app.standards_library.offered("organization")]


def test_an_admin_publishes_and_retires_and_another_replica_follows_at_once(folder, other_replica):
    at = admin_page(folder)
    assert not at.exception
    assert any("Diterbitkan dari folder standar" in c.value for c in at.caption)  # the seed, with its day
    at.get("file_uploader")[0].set_value([("mini-2.json", version_two(), "application/json")]).run()
    assert "versi 2" in at.success[0].value
    next(b for b in at.button if b.label == "Terbitkan").click().run()
    assert not at.exception
    assert not (folder / "mini-2.json").exists()  # into the database, not this replica's folder
    assert offered(other_replica) == ["2"]
    assert any(f"Diterbitkan oleh {ADMIN}" in c.value for c in at.caption)

    at.button(key="retire-mini-2").click().run()
    assert not at.exception
    assert offered(other_replica) == ["1"]
    assert any(f"Dipensiunkan oleh {ADMIN}" in c.value for c in at.caption)
    assert at.button(key="retire-mini-2").label == "Tawarkan lagi"

    at.get("file_uploader")[0].set_value([("lagi.json", version_two(), "application/json")]).run()
    assert "'mini' versi '2' sudah ada di mini-2.json" in " ".join(m.value for m in at.markdown)


def test_a_file_that_differs_from_its_published_version_is_listed(folder):
    admin_page(folder)  # the first use publishes the folder's files
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data["title"]["id"] = "Diubah tanpa versi baru"
    (folder / "mini.json").write_text(json.dumps(data), encoding="utf-8")
    at = admin_page(folder)
    assert not at.exception
    assert any("mini.json" in w.value and "berbeda dari 'mini' versi '1'" in w.value for w in at.warning)
    assert all("Diubah tanpa versi baru" not in m.value for m in at.markdown)  # the library keeps the published one
