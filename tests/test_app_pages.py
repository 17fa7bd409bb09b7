"""Every page through Streamlit's AppTest, as a user would drive it."""

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI, MINI_ANSWERS, ROOT
from tests.signin import session_token

APP = str(ROOT / "gapura_app.py")
COMPANY = "PT Contoh Acara"  # the organization of tests/data/assessments/mini.json


@pytest.fixture
def library_dir(tmp_path, monkeypatch):
    shutil.copy(MINI, tmp_path / "mini.json")
    (tmp_path / "broken.json").write_text('{"id": "Bad Id", "version": "1"}', encoding="utf-8")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path


def signed_in(folder, email="anggota@contoh.test", organization=COMPANY, roles=(), **query):
    """A new tab of a browser where this person is signed in (a member of `organization` unless None)."""
    token = session_token(f"sqlite:///{folder / 'app.db'}", folder, email, organization=organization, roles=roles)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session-token"] = token
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture
def app(library_dir):
    return signed_in(library_dir)


def pages_of(at) -> set[str]:
    """The pages the navigation offers this session (AppTest keeps what st.navigation registered)."""
    return {Path(str(info["script_path"])).name for info in at._registered_pages.values() if info.get("script_path")}


def table_with(at, column):
    """The first table on the page with this column (a chart's data table may come before it)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def chart_titles(at) -> list[str]:
    """The charts' titles, shown as headings above them (ui/chart.py), as a reader sees them."""
    return [re.sub(r"\\(.)", r"\1", m.value[6:]) for m in at.markdown if m.value.startswith("##### ")]


def progress_texts(at):
    return [p.proto.text for p in at.get("progress")]


def start(at):
    """Start (or reopen) an assessment of the standard chosen, for the member's only organization."""
    next(b for b in at.button if b.label in ("Mulai penilaian", "Start assessment")).click().run()
    assert not at.exception
    return at


def key(at, kind, criterion_id):
    """The key of a card's widget as the page draws it now (ui.session.widget_key)."""
    state = at.session_state
    redrawn = state["work-redrawn"].get(criterion_id, 0) if "work-redrawn" in state else 0
    return f"w{state['work-salt']}_{state['work-gen']}_{redrawn}__{kind}__{criterion_id}"


def keys(at) -> set[str]:
    """The keys of the buttons the page shows now."""
    return {b.key for b in at.button}


def radio_for(at, criterion_id):
    return at.radio(key=key(at, "level", criterion_id))


def test_assess_page_starts_in_indonesian_with_the_start_form(app):
    assert not app.exception
    assert app.title[0].value == "Penilaian mandiri"
    assert app.button[0].label == "Mulai penilaian"


def test_a_member_starts_for_its_own_company_without_typing_a_name(app):
    assert [x.value for x in app.text] == ["Untuk: PT Contoh Acara"]
    assert not [i for i in app.text_input if "perusahaan" in i.label.lower()]
    at = start(app)
    assert at.session_state["work"].organization["name"] == COMPANY


def test_starting_again_opens_the_unfinished_draft_and_says_so(app):
    at = start(app)
    radio_for(at, "A1").set_value(2).run()
    first = at.session_state["work"].assessment_id
    next(b for b in at.button if b.label == "Tutup penilaian ini").click().run()
    at = start(at)
    assert at.session_state["work"].assessment_id == first
    assert "belum selesai dibuka kembali" in at.info[0].value
    assert radio_for(at, "A1").value == 2


def test_answering_changes_the_progress(app):
    at = start(app)
    assert progress_texts(at)[0] == "0 dari 4 kriteria sudah dijawab"
    radio_for(at, "A1").set_value(2).run()
    assert progress_texts(at)[0] == "1 dari 4 kriteria sudah dijawab"
    radio_for(at, "A2").set_value(4).run()
    assert progress_texts(at)[0] == "2 dari 4 kriteria sudah dijawab"


def test_na_counts_only_with_a_justification(app):
    at = start(app)
    at.selectbox(key="domain-picker").set_value("B").run()
    radio_for(at, "B1").set_value("na").run()
    assert progress_texts(at)[0] == "0 dari 4 kriteria sudah dijawab"
    assert "alasannya" in at.warning[0].value
    at.text_input(key=key(at, "justification", "B1")).set_value("Kami tidak menggelar acara luar ruang").run()
    assert progress_texts(at)[0] == "1 dari 4 kriteria sudah dijawab"


def test_mandatory_criteria_offer_no_na(app):
    at = start(app)
    assert "na" not in radio_for(at, "A1").options
    assert "N/A · tidak berlaku" in radio_for(at, "A2").options


def test_next_unanswered_jumps_to_the_right_domain(app):
    at = start(app)
    radio_for(at, "A1").set_value(3).run()
    radio_for(at, "A2").set_value(3).run()
    next(b for b in at.button if b.label == "Ke yang belum dijawab").click().run()
    assert at.selectbox(key="domain-picker").value == "B"
    assert any("Jawab ini berikutnya" in m.value for m in at.markdown)


def test_language_switch_changes_the_interface(app):
    app.session_state["lang-choice"] = "en"
    app.session_state["lang"] = "en"
    at = app.run()
    assert at.title[0].value == "Self-assessment"
    at = start(at)
    assert progress_texts(at)[0] == "0 of 4 criteria answered"


def answer_everything(at):
    radio_for(at, "A1").set_value(2).run()
    radio_for(at, "A2").set_value(4).run()
    at.selectbox(key="domain-picker").set_value("B").run()
    radio_for(at, "B1").set_value(1).run()
    radio_for(at, "B2").set_value(1).run()
    return at


def test_results_without_an_assessment_says_where_to_start(app):
    app.switch_page("ui/pages/results.py").run()
    assert "Belum ada penilaian" in app.info[0].value


def test_results_show_the_verdict_charts_and_action_plan(app):
    at = answer_everything(start(app))
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    assert at.error[0].value.startswith("**Belum siap** — 1 kriteria wajib belum mencapai target (Izin diajukan)")
    assert [m.value for m in at.metric][:2] == ["50%", "100%"]
    radar = json.loads(at.get("plotly_chart")[0].proto.spec)
    scores = next(t for t in radar["data"] if t.get("fill") == "toself")
    assert scores["r"] == [62.5, 25.0, 62.5]
    first = next(i for i, m in enumerate(at.markdown) if m.value.startswith("**1. "))
    assert at.markdown[first].value == "**1. Izin diajukan**" and "Wajib" in at.markdown[first + 1].value


def test_results_are_complete_in_english(app):
    app.session_state["lang-choice"] = "en"
    app.session_state["lang"] = "en"
    at = answer_everything(start(app.run()))
    at.switch_page("ui/pages/results.py").run()
    assert at.error[0].value.startswith("**Not ready** — 1 mandatory criterion is not yet at target (Permit filed)")
    assert chart_titles(at)[1] == "Beta is your largest gap"
    gaps = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert not gaps["layout"]["title"].get("text")  # the heading above is the title: inside, it covered a bar
    # A table's toolbar floats over the right end of the tab row: a third tab there was hidden on a phone.
    assert [tab.label for tab in at.tabs] == ["Action plan", "Domain scores"]
    assert "How is this calculated?" in [e.label for e in at.expander]


def upload(at, name, data):
    next(u for u in at.file_uploader if u.key == "resume-upload").set_value((name, data, "application/json")).run()
    return at


def test_a_bad_upload_shows_an_error_and_keeps_the_current_answers(app):
    at = start(app)
    radio_for(at, "A1").set_value(2).run()
    at = upload(at, "rusak.json", b"{ not json")
    assert not at.exception
    assert "tidak bisa dimuat" in at.error[0].value and "rusak.json" in at.error[0].value
    assert "Jawaban Anda saat ini tetap tersimpan" in at.error[0].value
    assert progress_texts(at)[0] == "1 dari 4 kriteria sudah dijawab"


def test_an_upload_for_an_unknown_version_is_refused(app):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["standard"]["version"] = "9"
    at = upload(app, "lama.json", json.dumps(data).encode())
    assert "versi 9" in at.error[0].value
    assert "work" not in at.session_state


def test_a_good_upload_resumes_the_assessment(app):
    at = upload(app, "mini.json", MINI_ANSWERS.read_bytes())
    assert not at.exception
    assert progress_texts(at)[0] == "4 dari 4 kriteria sudah dijawab"
    assert radio_for(at, "A1").value == 2


def test_standards_page_lists_good_files_and_failed_files(app, library_dir):
    app.switch_page("ui/pages/standards.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["Standar"]) == ["Standar mini"]
    assert any(e.label == "broken.json" for e in app.expander)  # relative to the standards folder
    assert not any(str(library_dir) in e.label for e in app.expander)
    failed = " ".join(m.value for m in app.markdown)
    assert "`id`: 'Bad Id' bukan ID standar yang valid" in failed  # the validator speaks the user's language
    assert "`title`: kolom wajib 'title' belum ada" in failed


def test_standards_search_filters_by_criterion_text(app):
    app.switch_page("ui/pages/standards.py").run()
    app.text_input(key="standards-search").set_value("tidak ada yang cocok").run()
    assert "Tidak ada standar" in app.info[0].value
    app.text_input(key="standards-search").set_value("evaluasi").run()
    assert list(app.dataframe[0].value["Standar"]) == ["Standar mini"]


def new_tab(at, **query):
    """Another tab of the same browser: the same session token, a new Streamlit session."""
    other = AppTest.from_file(APP, default_timeout=60)
    other.session_state["session-token"] = at.session_state["session-token"]
    for k, v in query.items():
        other.query_params[k] = v
    return other.run()


def test_answers_survive_a_new_tab_opened_from_the_link(app):
    at = start(app)
    radio_for(at, "A1").set_value(3).run()
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    other = new_tab(at, a=token)
    assert not other.exception
    assert progress_texts(other)[0] == "1 dari 4 kriteria sudah dijawab"
    assert radio_for(other, "A1").value == 3


def test_continue_where_you_left_off_from_the_list_of_your_assessments(app):
    at = start(app)
    radio_for(at, "A1").set_value(1).run()
    radio_for(at, "A2").set_value(2).run()
    other = new_tab(at)
    assert "2 dari 4 kriteria sudah dijawab" in progress_texts(other)
    next(b for b in other.button if b.label == "Lanjutkan").click().run()
    assert radio_for(other, "A2").value == 2


def test_an_unknown_link_says_so_and_offers_the_start_page(app):
    at = new_tab(app, a="no-such-token")
    assert "tidak membuka penilaian yang bisa Anda lihat" in at.warning[0].value
    assert at.button[0].label == "Mulai penilaian"


def test_another_companys_link_looks_like_an_unknown_link(app, library_dir):
    at = start(app)
    radio_for(at, "A1").set_value(3).run()
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    stranger = signed_in(library_dir, "orang@lain.test", organization="PT Lain", a=token)
    assert "tidak membuka penilaian yang bisa Anda lihat" in stranger.warning[0].value
    assert "work" not in stranger.session_state
    assert COMPANY not in " ".join([x.value for x in stranger.text] + [x.value for x in stranger.markdown])


def test_importing_the_same_file_twice_opens_the_same_assessment(app):
    at = upload(app, "mini.json", MINI_ANSWERS.read_bytes())
    first = at.session_state["work"].assessment_id
    at = upload(new_tab(at), "mini-copy.json", MINI_ANSWERS.read_bytes())
    assert at.session_state["work"].assessment_id == first


def test_next_round_carries_answers_and_results_show_the_trend(app):
    at = answer_everything(start(app))
    assert at.session_state["work"].round == 1
    assert "next-round-start" not in keys(at)  # a draft: no next round yet
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    at.button(key="next-round-start").click().run()
    assert at.session_state["work"].round == 2
    assert "Putaran 2 dimulai" in at.success[0].value
    assert any("Dibawa dari putaran lalu" in m.value for m in at.markdown)
    assert progress_texts(at)[0] == "0 dari 4 kriteria sudah dijawab"  # carried over: proposals to confirm
    assert "next-round-start" not in keys(at)  # no "Start round 3" right after round 2
    at.selectbox(key="domain-picker").set_value("A").run()
    at.button(key="confirm-domain").click().run()
    assert progress_texts(at)[0] == "2 dari 4 kriteria sudah dijawab"
    radio_for(at, "A1").set_value(4).run()
    at.selectbox(key="domain-picker").set_value("B").run()
    at.button(key="confirm-domain").click().run()
    at.switch_page("ui/pages/results.py").run()
    trend = json.loads(at.get("plotly_chart")[2].proto.spec)
    overall = trend["data"][-1]
    assert overall["x"] == ["Putaran 1", "Putaran 2"] and overall["y"] == [50.0, 75.0]
    assert chart_titles(at)[2].endswith("naik 25 poin sejak putaran 1")


def test_next_round_on_a_newer_version_lists_the_changes_and_carries_only_unchanged(library_dir):
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data["version"] = "2"
    data["domains"][1]["criteria"][1]["target"] = 3  # B2's bar moved
    data["domains"][1]["criteria"].append({"id": "B3", "title": {"en": "Report", "id": "Laporan"}})
    at = answer_everything(start(signed_in(library_dir)))  # made with version 1
    (library_dir / "mini-2.json").write_text(json.dumps(data), encoding="utf-8")  # the committee publishes 2
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    assert at.selectbox(key="next-round-version:2").value == "2"
    summary = " ".join(m.value for m in at.markdown)
    assert "3 jawaban dibawa · 1 kriteria baru · 1 berubah (perlu dijawab ulang) · 0 dihapus" in summary
    assert "`B2` Evaluasi pasca-acara" in summary and "`B3` Laporan" in summary
    at.button(key="next-round-start").click().run()
    work = at.session_state["work"]
    assert work.standard_key == ("mini", "2") and set(work.answers) == {"A1", "A2", "B1"}
    assert progress_texts(at)[0] == "0 dari 5 kriteria sudah dijawab"  # 3 carried over, to confirm


def test_import_page_reports_each_file(library_dir):
    app = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    app.switch_page("ui/pages/import_files.py").run()
    assert app.title[0].value == "Impor & ekspor penilaian"
    uploader = app.get("file_uploader")[0]
    uploader.set_value([("baik.json", MINI_ANSWERS.read_bytes(), "application/json"),
                        ("rusak.json", b"\xff\xfe{", "application/json")]).run()  # fmt: skip
    next(b for b in app.button if b.label == "Impor").click().run()
    assert not app.exception
    report = app.dataframe[0].value
    assert list(report["Hasil"]) == ["Diimpor", "Dilewati"]
    assert "UTF-16" in report.iloc[1]["Alasan"]
    assert "1 diimpor, 0 sudah ada, 1 dilewati" in app.warning[0].value


def test_a_company_member_has_no_import_page_and_the_service_refuses_it(app):
    from services.policy import Denied

    assert "import_files.py" not in pages_of(app)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("ui/pages/import_files.py")
    actor = app.session_state["actor"]
    from ui.context import _app, settings

    with pytest.raises(Denied):
        list(_app(settings()).transfer.import_files(actor, [("x.json", MINI_ANSWERS.read_bytes())]))


def test_prefill_from_segments_and_from_the_same_capability_in_another_standard(tmp_path, monkeypatch):
    def criterion(cid, title, **extra):
        return {"id": cid, "title": {"en": title, "id": title}, **extra}

    def standard(sid, title, criteria):
        return {"id": sid, "version": "1", "title": {"en": title, "id": title},
                "domains": [{"id": "D", "title": {"en": "D", "id": "D"}, "criteria": criteria}]}  # fmt: skip

    (tmp_path / "a.json").write_text(json.dumps(standard("alpha", "Alpha", [
        criterion("X1", "Risk register", capabilities=["risk-assessment"]),
        criterion("X2", "Stage build", applies_to=["concert-festival"]),
    ])))  # fmt: skip
    (tmp_path / "b.json").write_text(
        json.dumps(standard("beta", "Beta", [criterion("Y1", "Risk log", capabilities=["risk-assessment"])]))
    )
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")

    at = signed_in(tmp_path, organization="PT Sekali Jawab")
    at.selectbox[0].set_value(1)  # beta
    at = start(at)
    radio_for(at, "Y1").set_value(3).run()
    next(b for b in at.button if b.label == "Tutup penilaian ini").click().run()

    at.selectbox[0].set_value(0)  # alpha
    at.get("multiselect")[0].set_value(["wedding-social"])
    at = start(at)
    answers = at.session_state["work"].answers
    assert answers["X1"].level == 3 and answers["X1"].origin == "capability:beta/Y1"
    assert answers["X2"].level == "na" and answers["X2"].origin == "segment"
    assert (
        answers["X2"].justification
        == "Hanya berlaku untuk: Konser & festival. Jenis acara Anda: Pernikahan & acara keluarga."
    )
    badges = " ".join(m.value for m in at.markdown)
    assert "Dari jawaban Anda di Beta · Y1" in badges and "Otomatis N/A sesuai jenis acara Anda" in badges
    assert progress_texts(at)[0] == "0 dari 2 kriteria sudah dijawab"  # proposals count once confirmed
    at.button(key=key(at, "confirm", "X1")).click().run()
    assert at.session_state["work"].answers["X1"].origin is None
    assert progress_texts(at)[0] == "1 dari 2 kriteria sudah dijawab"
    at.run()  # a full rerun reloads from the store: the confirmation was saved
    assert at.session_state["work"].answers["X1"].origin is None


@pytest.fixture
def shipped_pair(tmp_path, monkeypatch):
    from tests.conftest import STANDARDS

    for name in ["event-safety.json", "id-licensing.json", "capabilities.json"]:
        shutil.copy(STANDARDS / name, tmp_path / name)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return signed_in(tmp_path)


def test_library_crosswalk_shows_capabilities_shared_between_standards(shipped_pair):
    at = shipped_pair.switch_page("ui/pages/standards.py").run()
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    heat = figure["data"][0]
    assert len(heat["x"]) == 2 and "Penilaian risiko" in heat["y"]
    row = heat["y"].index("Penilaian risiko")
    assert all(count and count > 0 for count in heat["z"][row])
    assert chart_titles(at)[0].split()[0] == str(len(heat["y"]))


def test_library_criteria_filter_by_capability_and_segment(shipped_pair):
    at = shipped_pair.switch_page("ui/pages/standards.py").run()
    at.multiselect(key="filter-capability").set_value(["insurance"]).run()
    rows = at.dataframe[1].value
    assert len(rows) >= 2 and all("Perlindungan asuransi" in c for c in rows["Kapabilitas"])
    assert set(rows["Standar"]) == {"Keselamatan, kesehatan & manajemen kerumunan acara",
                                    "Legalitas, perizinan & kepatuhan dasar EO di Indonesia"}  # fmt: skip
    at.multiselect(key="filter-capability").set_value([]).run()
    at.text_input(key="standards-search").set_value("PP 60/2017").run()
    assert all("PP 60/2017" in r for r in at.dataframe[1].value["Sumber"])


def test_association_standard_is_started_from_the_association_page_only(library_dir):
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data.update(id="assoc", subject="association", title={"en": "Association readiness", "id": "Kesiapan asosiasi"})
    (library_dir / "assoc.json").write_text(json.dumps(data), encoding="utf-8")
    member = signed_in(library_dir)
    assert member.selectbox[0].options == ["Standar mini (1)"]  # companies do not see the association standard
    assert "association.py" not in pages_of(member)
    at = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    at.switch_page("ui/pages/association.py").run()
    assert not at.exception
    assert at.selectbox[0].options == ["Kesiapan asosiasi (1)"]
    at.text_input[0].set_value("Asosiasi Uji")
    next(b for b in at.button if b.label == "Mulai penilaian").click().run()
    assert not at.exception
    assert at.session_state["work"].standard_key == ("assoc", "1")
    assert at.session_state["work"].organization["name"] == "Asosiasi Uji"


def test_an_unreachable_database_is_explained_and_nothing_is_taken(library_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://gapura:rahasia@127.0.0.1:1/gapura")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = at.error[0].value
    assert "Database sedang tidak bisa dihubungi" in shown and re.search(r"kode ini: [0-9a-f]{8}", shown)
    for secret in ("rahasia", "gapura@", "127.0.0.1", ":1/", "OperationalError", "psycopg", "connection"):
        assert secret not in shown, secret  # no URL, user, host, port, database name or exception class
    assert "work" not in at.session_state


def test_submitting_makes_the_round_read_only_until_reopened(app):
    at = answer_everything(start(app))
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    assert "sudah dikirim sebagai final" in at.success[0].value
    at.switch_page("ui/pages/assess.py").run()
    assert at.selectbox(key="domain-picker").value == "B"  # back on the domain left before Results
    assert radio_for(at, "B2").disabled
    at.selectbox(key="domain-picker").set_value("A").run()
    assert "tidak bisa diubah" in at.info[0].value
    next(b for b in at.button if b.label == "Buka kembali untuk diubah").click().run()
    assert not radio_for(at, "A1").disabled
    radio_for(at, "A1").set_value(3).run()
    assert at.session_state["work"].answers["A1"].level == 3


def test_the_language_is_kept_in_the_address(library_dir):
    at = signed_in(library_dir, lang="en")
    assert at.title[0].value == "Self-assessment"
    at.button_group(key="lang-choice").set_value("id").run()
    assert at.title[0].value == "Penilaian mandiri" and at.query_params["lang"] in ("id", ["id"])


def test_markdown_in_a_company_name_is_shown_as_text(library_dir):
    name = "![p](http://127.0.0.1:9/x.png) **PT** [klik](http://evil.test)"
    at = start(signed_in(library_dir, "md@contoh.test", organization=name))
    caption = at.caption[0].value
    assert "\\!\\[p\\]\\(http" in caption and "\\*\\*PT\\*\\*" in caption  # escaped: no image, no link, no bold
    at.switch_page("ui/pages/account.py").run()
    assert any(e.label.startswith("Undang rekan kerja ke \\!\\[p\\]") for e in at.expander)


def test_an_officer_reads_a_members_assessment_but_cannot_change_it(app, library_dir):
    at = start(app)
    radio_for(at, "A1").set_value(2).run()
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    officer = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",), a=token)
    assert not officer.exception
    assert "hanya orang dari perusahaan itu sendiri" in officer.info[0].value
    assert radio_for(officer, "A1").value == 2 and radio_for(officer, "A1").disabled
    assert not [b for b in officer.button if b.label in ("Buka kembali untuk diubah", "Mulai putaran 2")]
    officer.switch_page("ui/pages/results.py").run()
    assert not officer.exception and not [b for b in officer.button if b.key == "submit"]


@pytest.mark.parametrize(
    ("organization", "roles", "pages"),
    [
        (COMPANY, (), {"assess.py", "results.py", "evidence.py", "standards.py", "account.py"}),
        (None, ("researcher",), {"shared_gaps.py", "research_data.py", "standards.py", "account.py"}),
        (None, ("officer",), {"assess.py", "results.py", "association.py", "members.py", "compare.py", "progress.py",
                              "evidence.py", "campaigns.py", "verify.py", "import_files.py", "shared_gaps.py",
                              "research_data.py", "standards.py", "people.py", "account.py", "support.py",
                              "ministry_report.py"}),
        (None, ("verifier",), {"verify.py", "evidence.py", "standards.py", "account.py"}),  # no aggregates, no members
        (None, ("admin",), {"research_data.py", "standards.py", "people.py", "organizations.py", "standards_admin.py",
                            "audit_log.py", "account.py"}),
    ],
)  # fmt: skip
def test_the_navigation_shows_each_role_only_its_pages(library_dir, organization, roles, pages):
    at = signed_in(library_dir, "orang@peran.test", organization=organization, roles=roles)
    assert not at.exception
    assert pages_of(at) == pages


def test_an_evidence_line_that_is_a_script_link_is_refused_on_the_card_in_indonesian(app):
    at = start(app)
    at.text_area(key=key(at, "evidence", "A1")).set_value("https://drive.test/rencana\njavascript:alert(1)").run()
    assert any("tautan bukti harus diawali http:// atau https://" in e.value for e in at.error)
    assert "A1" not in at.session_state["work"].answers  # nothing taken, nothing stored


INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def rendered_texts(at) -> list[str]:
    """Every text the page shows: each element's message as text, and the cells of its tables."""
    from google.protobuf import text_format

    texts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(text_format.MessageToString(proto, as_utf8=True))
        if getattr(node, "type", "") == "arrow_data_frame":
            texts.append(node.value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return texts


def assert_shown_clean(at, name: str) -> None:
    assert not at.exception
    texts = rendered_texts(at)
    assert any(name in text for text in texts), f"{name!r} is not on the page"
    assert not [text for text in texts if INVISIBLE.search(text)], "a bidi control or zero-width character is shown"


def test_no_page_shows_a_direction_or_zero_width_character_of_an_organization_name(library_dir):
    """A name that arrived with U+202E (which shows what follows reversed) and zero-width characters: through an
    imported file, and as a row stored before names were cleaned (upgraded by migration 0004)."""
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config, make_engine

    association = json.loads(MINI.read_text(encoding="utf-8")) | {"id": "assoc", "subject": "association"}
    (library_dir / "assoc.json").write_text(json.dumps(association), encoding="utf-8")
    engine = make_engine(f"sqlite:///{library_dir / 'app.db'}")
    command.upgrade(alembic_config(engine), "0003")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (name, name_key, segments, kind, created_at, updated_at) VALUES "
                       "('PT Lama\u202eJaya\u200b', 'pt lama\u202ejaya\u200b', '[]', 'company', :t, :t)"),
                  {"t": "2026-01-01 10:00:00"})  # fmt: skip
    engine.dispose()
    officer = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer", "admin"))
    officer.switch_page("ui/pages/import_files.py").run()
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["organization"]["name"] = "PT\u200b Baru\u202e Acara\u2066"
    upload = [("baru.json", json.dumps(data).encode(), "application/json")]
    officer.get("file_uploader")[0].set_value(upload).run()
    next(b for b in officer.button if b.label == "Impor").click().run()
    assert_shown_clean(officer, "PT Baru Acara")
    for page in ("organizations.py", "people.py"):
        officer.switch_page(f"ui/pages/{page}").run()
        assert_shown_clean(officer, "PT Baru Acara")
        assert_shown_clean(officer, "PT LamaJaya")
    officer.switch_page("ui/pages/association.py").run()
    officer.text_input[0].set_value("Asosiasi\u202e Uji\u200d")
    next(b for b in officer.button if b.label == "Mulai penilaian").click().run()
    assert not officer.exception
    officer.switch_page("ui/pages/association.py").run()
    assert_shown_clean(officer, "Asosiasi Uji")
    for name in ("PT Lama\u202eJaya", "PT\u200b Baru\u202e Acara"):
        member = signed_in(library_dir, f"anggota{len(name)}@contoh.test", organization=name)
        assert_shown_clean(member, name.replace("\u202e", "").replace("\u200b", ""))
        assert_shown_clean(start(member), name.replace("\u202e", "").replace("\u200b", ""))


def test_the_organizations_page_lists_look_alikes_kept_apart_by_the_upgrade(library_dir):
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{library_dir / 'app.db'}")
    command.upgrade(alembic_config(engine), "0003")
    with engine.begin() as c:
        for i, name in ((1, "PT\u200bMaju"), (2, "PT\u2060Maju"), (3, "PT Lain")):
            c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, created_at, updated_at) "
                           "VALUES (:i, :n, :k, '[]', 'company', :t, :t)"),
                      {"i": i, "n": name, "k": name.lower(), "t": f"2026-01-0{i} 10:00:00"})  # fmt: skip
    engine.dispose()
    admin = signed_in(library_dir, "admin2@gapura.test", organization=None, roles=("admin",))
    admin.switch_page("ui/pages/organizations.py").run()
    assert not admin.exception
    assert any(w.value.startswith("1 nama dipakai oleh beberapa organisasi") for w in admin.warning)
    look_alikes = admin.dataframe[1].value
    assert list(look_alikes["Organisasi"]) == ["PTMaju", "PTMaju"] and list(look_alikes["Nomor"]) == [1, 2]
    assert admin.selectbox(key="erase-choice").options == ["PT Lain (#3)", "PTMaju (#1)", "PTMaju (#2)"]


def test_export_is_prepared_on_a_button_press_then_offered_for_download(library_dir):
    def downloads(at):
        return [b for b in at.get("download_button") if b.proto.label == "Unduh berkas penilaian (ZIP)"]

    app = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    app.switch_page("ui/pages/import_files.py").run()
    assert not downloads(app) and next(b for b in app.button if b.label == "Siapkan ZIP").disabled
    app.get("file_uploader")[0].set_value([("baik.json", MINI_ANSWERS.read_bytes(), "application/json")]).run()
    next(b for b in app.button if b.label == "Impor").click().run()
    assert "Ada 1 penilaian tersimpan." in " ".join(m.value for m in app.markdown)
    next(b for b in app.button if b.label == "Siapkan ZIP").click().run()
    assert not app.exception
    assert not app.get("progress")  # the bar is gone once the ZIP is written
    assert "ZIP berisi 1 berkas penilaian sudah siap." in [s.value for s in app.success]
    assert len(downloads(app)) == 1
    app.selectbox(key="export-standard").set_value("mini").run()
    assert not downloads(app)  # the ZIP prepared was of all standards: prepare this one first


def test_an_officer_is_offered_only_companies_without_members(library_dir):
    """People & invitations: an officer invites only a company's first member (issue 15), an admin anyone."""
    from services.app import Gapura
    from services.settings import load

    signed_in(library_dir, "pemilik@berisi.test", organization="PT Sudah Berisi")
    app = Gapura(load())
    try:
        app.store.ensure_organization({"name": "PT Belum Berisi"})
    finally:
        app.close()
    officer = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    officer.switch_page("ui/pages/people.py").run()
    assert not officer.exception
    (company,) = [s for s in officer.selectbox if s.key == "invite-org"]
    assert company.options == ["PT Belum Berisi"]
    assert any("belum punya anggota" in c.value for c in officer.caption)

    admin = signed_in(library_dir, "admin@gapura.test", organization=None, roles=("admin", "officer"))
    admin.switch_page("ui/pages/people.py").run()
    (company,) = [s for s in admin.selectbox if s.key == "invite-org"]
    assert sorted(company.options) == ["PT Belum Berisi", "PT Sudah Berisi"]
