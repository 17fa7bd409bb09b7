"""A domain can score at or above its target and still show a gap (its gap adds up each criterion's shortfall below
its own target): the gap chart's hover, the domain table and "How is this calculated" say so and name the criteria."""

import json

from tests.test_app_pages import app, library_dir, radio_for, start  # noqa: F401 (fixtures)


def results_with_beta_at_target(at):
    radio_for(at, "A1").set_value(2).run()
    radio_for(at, "A2").set_value(4).run()
    at.selectbox(key="domain-picker").set_value("B").run()
    radio_for(at, "B1").set_value(2).run()  # one level below its target of 3
    radio_for(at, "B2").set_value(4).run()  # two above its target of 2: Beta scores 67% against 67%
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    return at


def test_the_gap_charts_hover_says_why_a_domain_at_target_has_a_gap(app):  # noqa: F811
    at = results_with_beta_at_target(start(app))
    gaps = json.loads(at.get("plotly_chart")[1].proto.spec)
    bars = gaps["data"][0]
    hover = dict(zip(bars["y"], bars["customdata"], strict=True))["Beta"]
    assert hover.startswith("Beta: kesenjangan 17% (skor 67%, target 67%)")
    assert "1 dari 2 kriteria di bawah targetnya sendiri:<br>• Rencana cuaca luar ruang<br>" in hover
    assert "tidak menutup" in hover
    assert all(len(line) <= 60 for line in hover.split("<br>"))  # a hover box does not wrap: it must fit a phone
    assert bars["hovertemplate"] == "%{customdata}<extra></extra>"


def test_the_domain_table_and_how_it_is_calculated_name_the_rule(app):  # noqa: F811
    at = results_with_beta_at_target(start(app))
    table = at.dataframe[0].value.set_index("Domain")
    assert table.loc["Beta", "Di bawah targetnya sendiri"] == "1 dari 2"  # at target, with a gap: one below its own
    assert table.loc["Beta", "Skor"] == table.loc["Beta", "Target"] == 67 and table.loc["Beta", "Kesenjangan"] == 17
    assert any("tetap menunjukkan kesenjangan" in c.value for c in at.caption)
    assert any("**Kesenjangan domain**" in m.value and "targetnya sendiri" in m.value for m in at.markdown)
