"""The association's and researchers' pages through AppTest, on the six members checked by hand in
tests/test_compare.py: what each role sees, the figures, suppression, and no names for researchers."""

import json
import zipfile

import pytest

from services.app import Gapura
from services.settings import Settings
from store.db import utcnow
from tests.persistence.test_association import stored
from tests.persistence.test_disclosure_attacks import company
from tests.test_app_pages import chart_titles, library_dir, pages_of, rendered_texts, signed_in, table_with  # noqa: F401
from tests.test_compare import MEMBERS
from tests.verified_rows import latest_assessment, verify

NAMES = [f"PT {name}" for name in MEMBERS]


@pytest.fixture
def six(library_dir):  # noqa: F811
    app = Gapura(Settings(database_url=f"sqlite:///{library_dir / 'app.db'}", standards_dir=library_dir))
    ids = {name: stored(app, name, answers) for name, answers in MEMBERS.items()}
    stored(app, "m3", {"A1": 4, "A2": 4, "B1": "na", "B2": 2}, round_=2)  # m3 improves in its second round
    app.close()
    return library_dir, ids


def officer(folder, page):
    at = signed_in(folder, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    at.switch_page(f"ui/pages/{page}").run()
    assert not at.exception, at.exception
    return at


def researcher(folder, page):
    at = signed_in(folder, "peneliti@kementerian.test", organization=None, roles=("researcher",))
    at.switch_page(f"ui/pages/{page}").run()
    assert not at.exception, at.exception
    return at


def figure(at, index=0):
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_officers_and_researchers_see_their_pages(six):
    folder, _ = six
    at = signed_in(folder, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    assert {"members.py", "compare.py", "progress.py", "shared_gaps.py"} <= pages_of(at)
    at = signed_in(folder, "peneliti@kementerian.test", organization=None, roles=("researcher",))
    assert "shared_gaps.py" in pages_of(at)
    assert not {"members.py", "compare.py", "progress.py"} & pages_of(at)


def test_the_members_page_lists_every_assessment_and_filters(six):
    at = officer(six[0], "members.py")
    assert at.title[0].value == "Anggota"
    table = at.dataframe[0].value
    assert len(table) == 7 and set(table["Perusahaan"]) == set(NAMES)
    assert sorted(table["Status"]) == ["Sedang diisi"] * 7
    at.selectbox(key="members-province").set_value("Jawa Barat").run()
    assert set(at.dataframe[0].value["Perusahaan"]) == {"PT m1", "PT m2", "PT m3"}


def test_the_compare_page_ranks_with_the_engines_scores(six):
    at = officer(six[0], "compare.py")
    ranked = table_with(at, "Peringkat").set_index("Perusahaan")
    # the six latest complete assessments: m3's second round (5/6) replaces its first
    assert ranked["Skor keseluruhan"].to_dict() == {"PT m1": 100.0, "PT m3": 83.3, "PT m4": 66.7, "PT m6": 50.0,
                                                     "PT m5": 33.3, "PT m2": 0.0}  # fmt: skip
    heat = figure(at, 0)["data"][0]
    assert heat["type"] == "heatmap" and heat["y"][0] == "PT m1" and heat["z"][0] == [100.0, 100.0]
    assert at.metric[0].value == "6"


def test_a_members_compare_score_equals_its_results_page(six):
    folder, _ = six
    compare = officer(folder, "compare.py")
    overall = compare.dataframe[0].value.set_index("Perusahaan").loc["PT m4", "Skor keseluruhan"]
    member = signed_in(folder, "anggota@m4.test", organization="PT m4")
    member.button[0].click().run()  # "Mulai penilaian" reopens... the company's only assessment is complete
    member.switch_page("ui/pages/results.py").run()
    assert not member.exception
    assert member.metric[0].value == f"{round(overall)}%"


def test_shared_gaps_rank_the_agenda_and_state_the_finding(six):
    at = officer(six[0], "shared_gaps.py")
    agenda = at.dataframe[0].value
    assert list(agenda["Kriteria"].str.split(" · ").str[0]) == ["A1", "B1", "A2", "B2"]
    assert set(agenda["Anggota yang merencanakan perbaikan"]) <= {"0", "kurang dari 5"}  # nobody has a plan here
    assert "belum memenuhinya" in chart_titles(at)[0]
    # By island group: Java 4, Bali 1, Sumatra 1 are each under 5, so only the total (6) is shown, each with why.
    split = table_with(at, "Alasan tidak ditampilkan")
    assert list(split["Perusahaan"]) == ["—", "—", "—", "6"]
    assert split["Alasan tidak ditampilkan"].str.contains("kurang dari 5").sum() == 3


def test_a_cohort_under_the_threshold_is_not_shown_and_says_why(six):
    at = officer(six[0], "shared_gaps.py")
    at.selectbox(key="gaps-province").set_value("Jawa Barat").run()
    assert any("kurang dari 5 perusahaan" in i.value for i in at.info)
    assert not at.dataframe


def test_a_researcher_sees_no_name_on_the_shared_gaps_page(six):
    at = researcher(six[0], "shared_gaps.py")
    texts = "\n".join(rendered_texts(at))
    assert "A1" in texts
    assert not [name for name in NAMES if name in texts]


def test_a_researcher_cannot_difference_two_cohorts(six):
    at = researcher(six[0], "shared_gaps.py")
    assert at.dataframe  # everyone: 6 companies
    at.selectbox(key="gaps-size").set_value("11-50").run()  # 4 companies: under the threshold anyway
    assert any("kurang dari 5" in i.value for i in at.info)


def test_progress_counts_members_with_two_rounds(six):
    at = officer(six[0], "progress.py")
    assert at.metric[0].value == "1"
    assert any("kurang dari 5" in i.value for i in at.info)  # one company: no cohort figures
    table = at.dataframe[0].value
    assert list(table["Perusahaan"]) == ["PT m3"] and list(table["Arah"]) == ["Naik"]


def results_of(folder, member):
    at = signed_in(folder, f"anggota@{member}.test", organization=f"PT {member}")
    at.button[0].click().run()  # the company's assessment opens
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception, at.exception
    return at


def test_a_company_sees_its_percentile_in_the_widened_cohort(six):
    at = results_of(six[0], "m4")
    # Banten 11-50 widens to neighbouring size bands nationally: m1, m2, m3 (round 2: 5/6), m5 and m4 itself;
    # m4 = 2/3 is above m2 (0) and m5 (1/3), below m1 and m3: 2 of 4 -> 50%
    assert any("lebih tinggi daripada 50% perusahaan sejenis" in m.value for m in at.markdown)
    assert at.selectbox(key="benchmark-choice").value == 4
    radar = figure(at, 0)["data"]
    assert [trace["name"] for trace in radar] == ["Target", "Skor Anda", "Median perusahaan sejenis"]
    # All members (6) differ from that cohort by m6 alone: answering both would describe m6, so it is refused.
    at.selectbox(key="benchmark-choice").set_value(5).run()
    assert any("hanya berbeda 1 perusahaan" in i.value for i in at.info)
    assert not any("termasuk Anda" in m.value for m in at.markdown)


def test_a_company_in_too_small_a_membership_gets_no_figures(library_dir):  # noqa: F811
    app = Gapura(Settings(database_url=f"sqlite:///{library_dir / 'app.db'}", standards_dir=library_dir))
    for name in ("m1", "m2", "m4"):
        stored(app, name, MEMBERS[name])
    app.close()
    at = results_of(library_dir, "m4")
    # The count itself is not printed: "3" beside "fewer than 5" would tell which small group it is.
    assert any("kurang dari 5 perusahaan" in i.value and "(3)" not in i.value for i in at.info)
    assert len(figure(at, 0)["data"]) == 2  # no median drawn


def test_a_small_cohort_prints_no_count_in_its_caption_and_compare_shows_no_median(six):
    # Jawa Barat holds three of the six: the old caption said "3 perusahaan ... (dari 3 ...)" beside the suppression.
    at = researcher(six[0], "shared_gaps.py")
    at.selectbox(key="gaps-province").set_value("Jawa Barat").run()
    caption = " ".join(c.value for c in at.caption)
    assert "kurang dari 5" in caption and "3 perusahaan" not in caption
    compare = officer(six[0], "compare.py")
    compare.selectbox(key="compare-province").set_value("Jawa Barat").run()
    median = next(m for m in compare.metric if m.label == "Median")
    assert median.value == "—"  # suppressed, like the distribution tab below it


def verify_six(folder, found: dict[str, dict], skip: tuple[str, ...] = ()) -> None:
    """Each member's latest assessment verified with its own answers, but for the levels in `found`."""
    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=folder))
    for name in MEMBERS:
        if name not in skip:
            org = app.store.find_organization(f"PT {name}")
            verify(app, latest_assessment(app, org), found.get(name, {"B2": MEMBERS[name]["B2"]}))
    app.close()


def test_shared_gaps_on_verified_levels_only(six):
    verify_six(six[0], {"m1": {"A1": 0}})  # m1 claimed 4 on A1; the verifier found 0
    at = officer(six[0], "shared_gaps.py")
    share = at.dataframe[0].value.set_index("Kriteria")["Anggota yang belum memenuhi"]
    assert share[share.index.str.startswith("A1")].item() == 50  # m2, m5, m6 of 6
    at.toggle(key="gaps-verified").set_value(True).run()
    share = at.dataframe[0].value.set_index("Kriteria")["Anggota yang belum memenuhi"]
    assert share[share.index.str.startswith("A1")].item() == 67  # and m1: 4 of 6
    assert any("Hanya penilaian terverifikasi" in c.value for c in at.caption)


def test_a_researcher_cannot_difference_verified_only_from_everyone(six):
    verify_six(six[0], {}, skip=("m6",))  # five of six verified: the one left out would show in the difference
    at = researcher(six[0], "shared_gaps.py")
    assert at.dataframe
    at.toggle(key="gaps-verified").set_value(True).run()
    assert not at.exception and any("hanya berbeda 1 perusahaan" in i.value for i in at.info)


def test_a_company_compares_itself_on_verified_levels(six):
    verify_six(six[0], {"m1": {"A1": 0}}, skip=("m4",))  # its own levels, not yet verified, stand
    at = results_of(six[0], "m4")
    assert any("lebih tinggi daripada 50% perusahaan sejenis" in m.value for m in at.markdown)
    at.toggle(key="benchmark-verified").set_value(True).run()
    # m1 falls to 1/2 on verified levels: m4 (2/3) is now above m1, m2 and m5, below m3 (5/6): 3 of 4
    assert not at.exception and any("lebih tinggi daripada 75% perusahaan sejenis" in m.value for m in at.markdown)
    assert any("perusahaan terverifikasi" in c.value for c in at.caption)


def test_a_researcher_reads_the_inflation_index_of_the_package_built(library_dir):  # noqa: F811
    app = Gapura(Settings(database_url=f"sqlite:///{library_dir / 'app.db'}", standards_dir=library_dir))
    for i in range(8):  # eight alike companies, all submitted: every one is released
        org = company(app, f"PT Jabar {i}", "Jawa Barat", answers={"A1": 4, "A2": 4, "B1": 4, "B2": i % 4},
                      submitted=utcnow())  # fmt: skip
        verify(app, latest_assessment(app, org), {"B2": 0})
    app.close()
    at = researcher(library_dir, "research_data.py")
    at.button(key="research-build").click().run()
    assert not at.exception, at.exception
    # B2 claimed 0, 1, 2, 3 twice each, verified 0: 12 levels over 8 companies = 1.5 levels, ÷ L = 4
    assert any("Indeks inflasi paket ini: 0,375" in c.value for c in at.caption)
    # The package waits on disk and is read only when the download is clicked: the session keeps no bytes of it.
    [button] = [b for b in at.get("download_button") if b.proto.label.startswith("Unduh gapura-")]
    assert button.proto.deferred_file_id and not button.proto.url
    _, (_, path, *_), _, _ = at.session_state["research-file"]
    with zipfile.ZipFile(path) as archive:
        assert any(n.endswith("/tidy.csv") for n in archive.namelist())


def test_the_inflation_index_shows_beside_the_verified_shared_gaps(six):
    verify_six(six[0], {name: {"B2": 0} for name in MEMBERS})
    at = officer(six[0], "shared_gaps.py")
    assert not [m for m in at.metric if m.label == "Indeks inflasi"]
    at.toggle(key="gaps-verified").set_value(True).run()
    # B2 claimed 4, 0, 2 (m3's second round), 0, 4, 1; verified 0 everywhere: 11 levels over 6 companies, ÷ L = 4
    assert [m.value for m in at.metric if m.label == "Indeks inflasi"] == ["0,458"]
    gaps = table_with(at, "Dilaporkan terlalu tinggi").set_index("Kriteria")
    b2 = gaps.loc[gaps.index.str.startswith("B2")].iloc[0]
    assert (b2["Selisih (tingkat)"], b2["Dilaporkan terlalu tinggi"], b2["Perusahaan terverifikasi"]) == (
        "1,83",
        "67%",
        "6",
    )
