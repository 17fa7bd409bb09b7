"""The charts' layouts hold from a 390-px phone to a 1366-px laptop (Streamlit gives the script no width): asserted
on the figures' data, where each defect seen in the screenshots lived."""

import html

import pytest

from reports import charts

DOMAINS = ["Business licence & company documents", "Event permits", "Foreign talent & performers",
           "Taxes & music royalties", "CHSE (cleanliness, health, safety, environmental sustainability)",
           "Competency, K3 & employment", "Personal data protection"]  # fmt: skip
SCORES = [0.81, 0.69, 0.84, 0.81, 0.96, 0.92, 0.92]
LONG = "Domain scores against the target — strongest: CHSE (cleanliness, health, safety, environmental sustainability)"


def radar(title=""):
    return charts.radar(DOMAINS, SCORES, [0.75] * 7, title, "Your score", "Target", [0.6] * 7, "Median")


def gaps(title=""):
    return charts.gap_bars(DOMAINS, [0.03, 0.15, 0, 0, 0, 0.04, 0.03], title, "Gap to target", [0.1] * 7, "Median gap")


def trend(title=""):
    return charts.trend(["Round 1", "Round 2"], [0.66, 0.83], {d: [s - 0.1, s] for d, s in zip(DOMAINS, SCORES, strict=True)},
                        title, "Overall", "Domains")  # fmt: skip


def agenda(title=""):
    return charts.agenda_bars([f"C-{k} · " + "a criterion with a long title " * 3 for k in range(10)],
                              [0.016 - k / 1000 for k in range(10)], [0.9] * 10, title, "Points", "Share")  # fmt: skip


def levels(title=""):
    return charts.level_shares(["C-1 · " + "a long criterion title " * 4, "C-2 · short"], ["Level 0", "Level 1", "N/A"],
                               [[3, 5, 2], [5, None, 5]], title, "Share", 10)  # fmt: skip


def crosswalk(title=""):
    return charts.crosswalk(
        ["Legal register", "Risk assessment"], DOMAINS, [[1] * 7, [0, 2, 0, 1, 1, 3, 0]], title, "crit"
    )


def heatmap(title=""):
    return charts.heatmap([f"PT Demo {k}" for k in range(12)], DOMAINS, [SCORES] * 12, title, None, "Score")


def boxes(title=""):
    return charts.boxes(DOMAINS, [[0.5, 0.6, 0.9]] * 7, SCORES, title, "Cohort", "PT Demo")


def with_and_without(title=""):
    return charts.with_without(["Overall score", "Risk assessment"], [0.1, None], [0.02, -0.01], title,
                               "Change (points)", "With training", "Without it")  # fmt: skip


BUILDERS = [radar, gaps, trend, agenda, levels, crosswalk, heatmap, boxes, with_and_without]


@pytest.mark.parametrize("build", BUILDERS)
def test_a_title_is_never_inside_the_plot(build):
    # The gap chart's three-line title once covered its first bar's label: a title sits in the figure's top margin,
    # anchored to the figure's top, and the margin is at least as tall as its lines.
    layout = build(LONG).layout
    lines = layout.title.text.count("<br>") + 1
    assert layout.title.yref == "container" and layout.title.y == 1 and layout.title.yanchor == "top"
    assert layout.margin.t >= lines * charts.TITLE_LINE + 16


@pytest.mark.parametrize("build", BUILDERS)
def test_the_pages_show_the_title_as_text_and_the_figure_keeps_no_room_for_it(build):
    titled, bare = build(LONG).layout, build("").layout
    assert not bare.title.text
    assert bare.margin.t < titled.margin.t and bare.height < titled.height


@pytest.mark.parametrize("build", [gaps, agenda, levels])
def test_bar_labels_sit_above_their_bars_so_the_bars_keep_the_width(build):
    # Beside the bars, long labels left the bars a third of a phone's width, with a cut axis title.
    fig = build()
    layout = fig.layout
    assert layout.yaxis.showticklabels is False and layout.margin.l <= 10
    bars = [trace for trace in fig.data if trace.type == "bar"]
    rows = [a for a in layout.annotations]
    assert len(rows) == len(bars[0].y)
    for note in rows:
        assert note.x == 0 and note.xref == "paper" and note.xanchor == "left" and note.yanchor == "bottom"
        assert max(len(line) for line in html.unescape(note.text).split("<br>")) <= charts.BAR_LABEL
        assert note.text.count("<br>") <= 1  # two lines at most: the row keeps room for them
    for bar in bars:
        # each bar lies wholly under its label's line (the label's bottom), inside its own row
        assert bar.offset < 0 and bar.offset + bar.width < 0 and bar.offset > -0.5
    assert sorted(a.y for a in rows) == sorted(bars[0].y)


def test_the_median_marker_sits_on_its_bar_not_on_the_label():
    fig = gaps()
    bar, marker = fig.data
    for y, m in zip(bar.y, marker.y, strict=True):
        assert y + bar.offset < m < y + bar.offset + bar.width


def test_the_radar_names_its_spokes_in_short_lines_and_keeps_its_ticks_off_them():
    fig = radar()
    polar = fig.layout.polar
    n = len(DOMAINS)
    spokes = [(polar.angularaxis.rotation - k * 360 / n) % 360 for k in range(n)]  # clockwise from the top
    assert polar.angularaxis.direction == "clockwise"
    assert min(abs((polar.radialaxis.angle % 360) - s) for s in spokes) >= 360 / n / 2 - 0.01
    for name in fig.data[0].theta:
        lines = html.unescape(name).split("<br>")
        assert len(lines) <= 3 and max(len(line) for line in lines) <= 16 + 1
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "top" and fig.layout.legend.y < 0


@pytest.mark.parametrize("build", [gaps, trend, levels, boxes, with_and_without])
def test_a_legend_sits_above_the_plot_never_over_the_axis_labels(build):
    # The trend's legend, under the plot by a share of its height, covered "Round 1" on a phone.
    legend = build().layout.legend
    assert legend.orientation == "h" and legend.y >= 1 and legend.yanchor == "bottom"


def test_the_trend_draws_domains_in_grey_under_one_legend_entry():
    fig = trend()
    domains, overall = fig.data[:-1], fig.data[-1]
    assert {d.line.color for d in domains} == {"#999999"}
    assert [d.showlegend for d in domains].count(True) == 1 and overall.line.color == charts.CURRENT
    assert {d.hovertemplate.split("<extra>")[1] for d in domains} == {
        f"{charts.label(name)}</extra>" for name in DOMAINS
    }
    first, last = fig.layout.xaxis.range
    assert first < 0 and last > len(fig.data[-1].x) - 1  # the first and last rounds' names are not cut


@pytest.mark.parametrize("build", [crosswalk, heatmap, boxes])
def test_column_headers_stand_upright_and_short(build):
    # Side by side, the crosswalk's and the heatmap's headers piled up on a phone.
    fig = build()
    axis = fig.layout.xaxis
    assert axis.tickangle == -90 and axis.automargin
    assert max(len(html.unescape(text)) for text in axis.ticktext) <= charts.UPRIGHT
    # the data keep whole names (the hover shows them), so two names cut alike stay two columns
    assert list(axis.tickvals) == [charts.label(d) for d in DOMAINS]


def test_the_crosswalks_row_names_are_short_and_two_cut_alike_stay_two_rows():
    names = ["A documented legal register of every permit", "A documented legal register of every licence"]
    fig = charts.crosswalk(names, DOMAINS[:2], [[1, 0], [0, 1]], "", "criteria")
    assert len(set(fig.data[0].y)) == 2 and len(set(fig.layout.yaxis.ticktext)) == 1
    assert max(len(text) for text in fig.layout.yaxis.ticktext) <= charts.UPRIGHT


def test_the_heatmap_key_lies_under_the_rows_not_beside_them():
    bar = heatmap().data[0].colorbar
    assert bar.orientation == "h"


def test_wrap_keeps_words_whole():
    # "ketenagakerjaan" was cut as "ketenagakerj / aan" at a radar spoke
    assert "ketenagakerjaan" in charts.wrap("Kompetensi, K3 & ketenagakerjaan", 14).split("<br>")
