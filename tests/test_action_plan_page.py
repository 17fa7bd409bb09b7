"""The action plan on Results through AppTest: steps as cards with titles, levels and impact in the reader's number
format, and the owner, due date, status and note saved in place, so another tab (or the next visit) shows them."""

from datetime import date

from tests.test_app_pages import answer_everything, app, library_dir, radio_for, signed_in, start  # noqa: F401 (fixtures)


def plan_widget(at, kind, field, criterion_id):
    return next(w for w in at.get(kind) if w.key.endswith(f"-{field}-{criterion_id}"))


def results(at):
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    return at


def test_each_step_names_its_criterion_and_shows_level_target_and_impact_in_indonesian_format(app):  # noqa: F811
    at = results(answer_everything(start(app)))
    texts = [m.value for m in at.markdown]
    assert "**1. Izin diajukan**" in texts and "**3. Evaluasi pasca\\-acara**" in texts
    assert any(text.endswith("Tingkat sekarang **2 · Terdokumentasi** → target **3 · Diterapkan** · dampak **+12,5 poin**")
               for text in texts)  # fmt: skip
    assert any("dampak **+2,8 poin**" in text for text in texts)
    assert not any("12.5" in text or "2.8" in text for text in texts)


def test_impact_is_in_english_format_in_english(app):  # noqa: F811
    app.session_state["lang-choice"] = "en"
    app.session_state["lang"] = "en"
    at = results(answer_everything(start(app.run())))
    assert any("impact **+12.5 points**" in m.value for m in at.markdown)


def test_an_owner_due_date_status_and_note_are_saved_in_place_and_shown_in_another_tab(app, library_dir):  # noqa: F811
    at = results(answer_everything(start(app)))
    plan_widget(at, "text_input", "owner", "B1").set_value("Sari Dewi").run()
    plan_widget(at, "date_input", "due", "B1").set_value(date(2020, 1, 31)).run()
    plan_widget(at, "button_group", "status", "B1").set_value("doing").run()
    plan_widget(at, "text_area", "note", "B1").set_value("Tanya BMKG soal musim hujan").run()
    assert not at.exception
    assert any("Lewat tenggat (31 Januari 2020)" in m.value for m in at.markdown)  # past due, not done

    other = results(start(signed_in(library_dir)))  # a new tab of the same member: reopens the draft
    assert plan_widget(other, "text_input", "owner", "B1").value == "Sari Dewi"
    assert plan_widget(other, "date_input", "due", "B1").value == date(2020, 1, 31)
    assert plan_widget(other, "button_group", "status", "B1").value == "doing"
    assert plan_widget(other, "text_area", "note", "B1").value == "Tanya BMKG soal musim hujan"
    assert plan_widget(other, "text_input", "owner", "A1").value == ""


def test_the_plan_carries_into_the_next_round_and_a_met_step_closes_itself_saying_so(app):  # noqa: F811
    at = results(answer_everything(start(app)))
    plan_widget(at, "text_input", "owner", "A1").set_value("Budi").run()
    plan_widget(at, "text_input", "owner", "B1").set_value("Sari").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    at.button(key="next-round-start").click().run()
    at = results(at)  # round 2: every answer a proposal, nothing scored yet
    assert any("Belum ada jawaban putaran ini yang dinilai" in i.value for i in at.info)
    assert "**Dibawa dari putaran sebelumnya, menunggu jawaban putaran ini**" in [m.value for m in at.markdown]
    assert plan_widget(at, "text_input", "owner", "A1").value == "Budi"

    at.switch_page("ui/pages/assess.py").run()
    at.selectbox(key="domain-picker").set_value("A").run()
    radio_for(at, "A1").set_value(3).run()  # reaches its target of 3
    at.selectbox(key="domain-picker").set_value("B").run()
    radio_for(at, "B1").set_value(1).run()  # still below
    at = results(at)
    texts = [m.value for m in at.markdown]
    assert any("Tercapai di putaran 2: otomatis ditutup" in text and "Izin diajukan" in text for text in texts)
    assert any(e.label == "Otomatis ditutup karena tercapai (1)" for e in at.expander)
    assert plan_widget(at, "text_input", "owner", "B1").value == "Sari"  # B1 is a step again, with its owner
    assert not [w for w in at.text_input if w.key.endswith("-owner-A1")]  # A1 is no longer a step


def test_an_officer_reads_a_members_plan_but_cannot_change_it(app, library_dir):  # noqa: F811
    at = results(answer_everything(start(app)))
    plan_widget(at, "text_input", "owner", "A1").set_value("Budi").run()
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    officer = results(signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",), a=token))
    owner = plan_widget(officer, "text_input", "owner", "A1")
    assert owner.value == "Budi" and owner.disabled
    assert plan_widget(officer, "button_group", "status", "A1").disabled
    assert any("hanya bisa diubah oleh orang dari perusahaan itu sendiri" in c.value for c in officer.caption)
