"""The Organizations page's demo data section through AppTest: offered on a new Gapura, loaded with one button,
marked in the list, removed in one confirmed action."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.signin import session_token

APP = str(ROOT / "gapura_app.py")


def admin_on_organizations(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(ROOT / "standards"))
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["session-token"] = session_token(url, ROOT / "standards", "admin2@gapura.test", roles=("admin",))
    at.run()
    at.switch_page("ui/pages/organizations.py").run()
    assert not at.exception
    return at


def test_an_admin_loads_demo_data_on_a_new_gapura_sees_it_marked_and_removes_it(tmp_path, monkeypatch):
    at = admin_on_organizations(tmp_path, monkeypatch)
    assert "perusahaan EO rekaan" in " ".join(m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Muat data contoh (200 perusahaan)").click().run()
    assert not at.exception
    assert any(i.value.startswith("Gapura ini berisi data contoh: 200 perusahaan rekaan") for i in at.info)
    listed = at.dataframe[0].value
    assert (listed["Data contoh"] == "Contoh").sum() == 201  # the companies and the demo association
    assert all(name.split()[1] == "Demo" for name in listed["Organisasi"][listed["Data contoh"] == "Contoh"])

    remove = next(b for b in at.button if b.label == "Hapus data contoh")
    remove.click().run()
    assert "Centang kotaknya dulu" in at.warning[0].value  # not confirmed: nothing removed
    assert at.dataframe[0].value.shape[0] == 201
    at.checkbox(key="demo-remove-sure").check()
    next(b for b in at.button if b.label == "Hapus data contoh").click().run()
    assert not at.exception
    assert not at.dataframe and "Belum ada organisasi." in [i.value for i in at.info]
    assert any(b.label == "Muat data contoh (200 perusahaan)" for b in at.button)  # offered again


def test_demo_data_is_not_offered_once_real_members_have_assessments(tmp_path, monkeypatch):
    from services.app import Gapura
    from services.settings import Settings

    app = Gapura(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", standards_dir=ROOT / "standards"))
    org = app.store.ensure_organization({"name": "PT Anggota Sungguhan"})
    app.store.workspace(org).start("id-licensing", "2026.1")
    app.close()
    at = admin_on_organizations(tmp_path, monkeypatch)
    assert not [b for b in at.button if b.label.startswith("Muat data contoh")]
    assert any("Data contoh tidak tersedia: Gapura ini sudah berisi 1 penilaian" in c.value for c in at.caption)
