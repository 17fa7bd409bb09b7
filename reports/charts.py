"""Plotly figures built from plain data (so tests can assert on the figure's data); every text in them, from a
standard, a company or a catalogue, passes label() or wrap(): plotly reads some HTML, links included."""

from __future__ import annotations

import html
import math
import textwrap

import plotly.graph_objects as go

# Okabe–Ito, one meaning per colour everywhere: current, target, cohort median.
CURRENT = "#0072B2"
TARGET = "#E69F00"
MEDIAN = "#009E73"
MANDATORY = "#D55E00"


def wrap(text: str, width: int = 22) -> str:
    """Long labels on several lines, so they are not cut at the chart's edge; a name's own markup (plotly reads
    some HTML, links included) is shown as text."""
    return "<br>".join(label(line) for line in textwrap.wrap(text, width, break_long_words=False)) or label(text)


def short(text: str, length: int) -> str:
    """A long label cut at a word, so that it fits beside its bar in two lines (the table has it whole)."""
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def label(text: str) -> str:
    """Text as plotly shows it literally: HTML characters and template braces escaped."""
    return html.escape(str(text)).replace("%{", "%&#123;")


def _pct(values: list[float | None]) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v * 100, 1) for v in values]


# Streamlit gives the script no viewport width, so every layout below holds from a 390-px phone to a laptop: the
# pages show a chart's title above it as text (the browser wraps it); legends sit under the plot, anchored by their
# top; bar labels sit above their bars, so the bars keep the whole width; column headers stand upright.
TITLE_LINE = 24  # px of one title line at plotly's default title size
BAR_ROW = 64  # px of one bar and the two lines of its label above it
BAR_LABEL = 44  # characters of a bar label's line: fits a 390-px phone at 12 px
# A legend under the plot covers the x axis's labels (y is a share of the plot's height, the labels are pixels):
# above the plot, where nothing else is, except on the radar, whose top spoke's label is there.
LEGEND_ABOVE = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom"}
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.16, "yanchor": "top"}
LEGEND_ROW = 30  # px the top margin keeps for a legend above the plot


def _title(title: str, width: int = 48) -> dict:
    """A title inside the figure (files and images; the pages pass "" and show it as text): at the top of the
    figure, in a top margin as tall as its lines, never over the plot."""
    return {"text": wrap(title, width), "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top",
            "yref": "container", "pad": {"t": 12, "l": 10}} if title else {"text": ""}  # fmt: skip


def _top(title: str, plot: int, width: int = 48) -> int:
    """The top margin: what the plot needs above it (`plot` px) plus the title's lines."""
    return plot + (TITLE_LINE * len(textwrap.wrap(title, width)) + 16 if title else 0)


def _bars(values: list[float | None], **bar) -> go.Bar:
    """Horizontal bars in the given order from the top, each just under the line of its label (see _bar_rows)."""
    return go.Bar(x=values, y=list(range(len(values)))[::-1], orientation="h", width=0.34, offset=-0.4, **bar)


def _bar_rows(labels: list[str]) -> dict:
    """Each bar's label above it, from the plot's left edge (an annotation anchored by its bottom, two lines at
    most): beside the bars, long labels took two thirds of a phone's width from them."""
    y = list(range(len(labels)))[::-1]
    return {
        "yaxis": {"showticklabels": False, "showgrid": False, "zeroline": False, "range": [-0.55, len(labels) - 0.3],
                  "fixedrange": True},
        "annotations": [{"text": _two_lines(text), "x": 0, "xref": "paper",
                         "xanchor": "left", "y": v, "yanchor": "bottom", "showarrow": False, "align": "left",
                         "font": {"size": 12}} for text, v in zip(labels, y, strict=True)],
    }  # fmt: skip


def _two_lines(text: str) -> str:
    """A bar's label in two lines at most, the second cut at a word with "…" (the table under the chart has it
    whole)."""
    lines = textwrap.wrap(text, BAR_LABEL, break_long_words=False) or [text]
    if len(lines) > 2:
        lines = [lines[0], short(" ".join(lines[1:]), BAR_LABEL)]
    return "<br>".join(label(line) for line in lines)


def _bar_centre(count: int) -> list[float]:
    """Where a marker sits on each bar of _bars."""
    return [v - 0.23 for v in range(count)][::-1]


def _bar_height(count: int, top: int, bottom: int) -> int:
    """The figure's height that gives each bar row BAR_ROW px (the y range is count + 0.25 rows)."""
    return top + bottom + round(BAR_ROW * (count + 0.25))


def _polar(n: int) -> dict:
    """The radar's axes: the first domain at the top, clockwise; the percentage ticks between the first two spokes
    (on a spoke they sit under its line and label)."""
    return {
        "angularaxis": {"rotation": 90, "direction": "clockwise", "tickfont": {"size": 11}},
        "radialaxis": {"range": [0, 100], "tickvals": [50, 100], "ticktext": ["50%", "100%"], "angle": 90 - 180 / max(n, 1),
                       "tickangle": 90 - 180 / max(n, 1), "tickfont": {"size": 9, "color": "#666666"}},
    }  # fmt: skip


def _spoke(text: str) -> str:
    """A domain's name at a radar spoke: short lines, at most three, so neighbours do not run into each other."""
    return wrap(short(text, 36), 16)


def radar(domains: list[str], scores: list[float | None], targets: list[float | None], title: str,
          current_name: str, target_name: str, median: list[float | None] | None = None,
          median_name: str = "") -> go.Figure:  # fmt: skip
    """Domain scores (filled) against the target profile (line), in the standard's domain order; with `median`,
    the cohort's median profile as a dotted line."""
    theta = [_spoke(d) for d in domains + domains[:1]]
    target_name, current_name, median_name = label(target_name), label(current_name), label(median_name)
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=_pct(targets + targets[:1]), theta=theta, name=target_name, mode="lines",
                                  line={"color": TARGET, "width": 2, "dash": "dash"},
                                  hovertemplate="%{theta}: %{r:.0f}%<extra>" + target_name + "</extra>"))  # fmt: skip
    fig.add_trace(go.Scatterpolar(r=_pct(scores + scores[:1]), theta=theta, name=current_name, fill="toself",
                                  line={"color": CURRENT}, fillcolor="rgba(0,114,178,0.25)",
                                  hovertemplate="%{theta}: %{r:.0f}%<extra>" + current_name + "</extra>"))  # fmt: skip
    if median is not None:
        fig.add_trace(go.Scatterpolar(r=_pct(median + median[:1]), theta=theta, name=median_name, mode="lines",
                                      line={"color": MEDIAN, "width": 2, "dash": "dot"},
                                      hovertemplate="%{theta}: %{r:.0f}%<extra>" + median_name + "</extra>"))  # fmt: skip
    fig.update_layout(
        title=_title(title), polar=_polar(len(domains)), legend=LEGEND_BELOW, height=_top(title, 520),
        margin={"l": 90, "r": 90, "t": _top(title, 70), "b": 110},
    )  # fmt: skip
    return fig


def gap_bars(labels: list[str], gaps: list[float], title: str, axis: str, median: list[float | None] | None = None,
             median_name: str = "", hover: list[str] | None = None) -> go.Figure:  # fmt: skip
    """Horizontal bars, largest first (top), values in percentage points; with `median`, the cohort's median gap
    of each bar as a marker; with `hover`, each bar's own explanation (plain text, lines split on newlines)."""
    order = sorted(range(len(labels)), key=lambda i: gaps[i], reverse=True)
    explained = {"customdata": _hover_names(labels, order), "hovertemplate": "%{customdata}: %{x:.0f}%<extra></extra>"} \
        if hover is None else {
        "customdata": ["<br>".join(label(line) for line in hover[i].splitlines()) for i in order],
        "hovertemplate": "%{customdata}<extra></extra>",
    }  # fmt: skip
    bars = _bars(_pct([gaps[i] for i in order]), marker_color=CURRENT, texttemplate="%{x:.0f}%",
                 textposition="outside", cliponaxis=False, showlegend=False, **explained)  # fmt: skip
    fig = go.Figure(bars)
    if median is not None:
        fig.add_trace(go.Scatter(x=_pct([median[i] for i in order]), y=_bar_centre(len(order)), mode="markers",
                                 name=label(median_name), customdata=_hover_names(labels, order),
                                 marker={"color": MEDIAN, "size": 14, "symbol": "line-ns-open", "line": {"width": 3}},
                                 hovertemplate="%{customdata}: %{x:.0f}%<extra>" + label(median_name) + "</extra>"))  # fmt: skip
    top = max([g for g in gaps if g is not None] + [m for m in (median or []) if m is not None] + [0.01]) * 100
    fig.update_layout(
        title=_title(title),
        xaxis={"title": {"text": label(axis)}, "ticksuffix": "%", "range": [0, top * 1.2], "nticks": 5,
               "fixedrange": True},
        **_bar_rows([labels[i] for i in order]),
        margin={"l": 10, "r": 40, "t": _top(title, 10 if median is None else LEGEND_ROW), "b": 50},
        height=_bar_height(len(labels), _top(title, 10 if median is None else LEGEND_ROW), 50),
        legend=LEGEND_ABOVE,
    )  # fmt: skip
    return fig


def _hover_names(labels: list[str], order: list[int]) -> list[str]:
    """Each bar's whole label, escaped, for its hover."""
    return [label(labels[i]) for i in order]


def trend(rounds: list[str], overall: list[float | None], domains: dict[str, list[float | None]], title: str,
          overall_name: str, domains_name: str = "") -> go.Figure:  # fmt: skip
    """Scores by round: the overall score as a thick line, each domain as a thin grey one (named in its hover and
    in the data table; one legend entry, `domains_name`, for them all: eight coloured entries took a phone's
    chart, and orange and green already mean target and median)."""
    fig = go.Figure()
    rounds = [label(r) for r in rounds]
    for k, (name, values) in enumerate(domains.items()):
        fig.add_trace(go.Scatter(x=rounds, y=_pct(values), name=label(domains_name), mode="lines+markers",
                                 line={"width": 1, "color": "#999999"}, marker={"size": 5}, legendgroup="domains",
                                 showlegend=bool(domains_name) and k == 0,
                                 hovertemplate="%{x}: %{y:.0f}%<extra>" + label(name) + "</extra>"))  # fmt: skip
    fig.add_trace(go.Scatter(x=rounds, y=_pct(overall), name=label(overall_name), mode="lines+markers",
                             line={"color": CURRENT, "width": 4}, marker={"size": 10},
                             hovertemplate="%{x}: %{y:.0f}%<extra>" + label(overall_name) + "</extra>"))  # fmt: skip
    fig.update_layout(
        title=_title(title),
        # Half a round of room each side: the first and last rounds' names are not cut at the edges.
        xaxis={"range": [-0.3, len(rounds) - 0.7], "fixedrange": True},
        yaxis={"range": [0, 100], "ticksuffix": "%", "nticks": 6, "fixedrange": True},
        margin={"l": 10, "r": 10, "t": _top(title, LEGEND_ROW + 10), "b": 40},
        height=_top(title, 380),
        legend=LEGEND_ABOVE,
        showlegend=True,
    )  # fmt: skip
    return fig


UPRIGHT = 30  # characters of an upright column header (about 160 px) or of a heatmap's row name


def _short_ticks(names: list[str]) -> dict:
    """An axis showing each category (its whole name, escaped, as the data holds it) by a short line: side by side
    or upright, whole names piled up or took a phone's width. Two names cut alike stay two categories."""
    return {"tickmode": "array", "tickvals": [label(n) for n in names],
            "ticktext": [label(short(n, UPRIGHT)) for n in names]}  # fmt: skip


def crosswalk(capabilities: list[str], standards: list[str], counts: list[list[int]], title: str,
              hover: str) -> go.Figure:  # fmt: skip
    """Capabilities (rows) x standards (columns): how many criteria test each capability; 0 left blank."""
    z = [[value or None for value in row] for row in counts]
    fig = go.Figure(go.Heatmap(
        z=z, x=[label(s) for s in standards], y=[label(c) for c in capabilities],
        colorscale=[[0, "#D6EAF8"], [1, CURRENT]], showscale=False, xgap=2, ygap=2, text=counts,
        texttemplate="%{text}", hovertemplate="%{y}<br>%{x}: %{z} " + label(hover) + "<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(
        title=_title(title, 40),
        # The capabilities' names cut short too: whole, they took two thirds of a phone's width from the columns.
        xaxis={"side": "top", "tickangle": -90, "automargin": True, "fixedrange": True} | _short_ticks(standards),
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True} | _short_ticks(capabilities),
        margin={"l": 10, "r": 10, "t": _top(title, 20, 40), "b": 10},
        height=_top(title, max(300, 180 + 24 * len(capabilities)), 40),
    )  # fmt: skip
    return fig


def heatmap(members: list[str], domains: list[str], values: list[list[float | None]], title: str,
            centre: float | None, hover: str) -> go.Figure:  # fmt: skip
    """Members (rows) x domains: scores (0–100%), or gaps to target on a diverging scale centred on 0."""
    z = [_pct(row) for row in values]
    if centre is None:
        scale = {"colorscale": [[0, "#F7FBFF"], [1, CURRENT]], "zmin": 0, "zmax": 100}
    else:  # below target orange, above blue, at target white
        scale = {"colorscale": [[0, MANDATORY], [0.5, "#FFFFFF"], [1, CURRENT]], "zmid": 0, "zmin": -100,
                 "zmax": 100}  # fmt: skip
    fig = go.Figure(go.Heatmap(
        z=z, x=[label(d) for d in domains], y=[label(m) for m in members], xgap=1, ygap=1, **scale,
        # The colour key lies under the rows: upright beside them it took a third of a phone's width.
        colorbar={"ticksuffix": "%", "orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom",
                  "thickness": 12, "len": 0.9},
        hovertemplate="%{y}<br>%{x}: %{z:.0f}%<extra>" + label(hover) + "</extra>",
    ))  # fmt: skip
    fig.update_layout(
        title=_title(title, 40),
        xaxis={"side": "top", "tickangle": -90, "automargin": True, "fixedrange": True} | _short_ticks(domains),
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 10, "t": _top(title, 20, 40), "b": 70},
        height=min(4000, _top(title, max(340, 250 + 18 * len(members)), 40)),
    )  # fmt: skip
    return fig


def boxes(domains: list[str], values: list[list[float]], highlight: list[float | None] | None, title: str,
          cohort_name: str, member_name: str) -> go.Figure:  # fmt: skip
    """Cohort distributions per domain, with the chosen member's own score as a highlighted point."""
    fig = go.Figure()
    cohort_name = label(cohort_name)
    x = [label(d) for d in domains]
    for name, column in zip(x, values, strict=True):
        fig.add_trace(go.Box(y=_pct(column), name=name, marker_color="#999999", boxpoints=False,
                             showlegend=False, hovertemplate="%{y:.0f}%<extra>" + cohort_name + "</extra>"))  # fmt: skip
    if highlight is not None:
        fig.add_trace(go.Scatter(x=x, y=_pct(highlight), mode="markers",
                                 name=label(member_name), marker={"color": CURRENT, "size": 13, "symbol": "diamond"},
                                 hovertemplate="%{x}: %{y:.0f}%<extra>" + label(member_name) + "</extra>"))  # fmt: skip
    fig.update_layout(title=_title(title, 40), yaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True},
                      xaxis={"tickangle": -90, "automargin": True, "fixedrange": True} | _short_ticks(domains),
                      margin={"l": 10, "r": 10, "t": _top(title, LEGEND_ROW + 10, 40), "b": 20},
                      height=_top(title, 560, 40), legend=LEGEND_ABOVE)  # fmt: skip
    return fig


def radar_many(domains: list[str], members: dict[str, list[float | None]], title: str) -> go.Figure:
    """Two to five members on one radar, in the standard's domain order."""
    theta = [_spoke(d) for d in domains + domains[:1]]
    fig = go.Figure()
    for name, scores in members.items():
        fig.add_trace(go.Scatterpolar(r=_pct(scores + scores[:1]), theta=theta, name=wrap(name, 30), mode="lines",
                                      hovertemplate="%{theta}: %{r:.0f}%<extra>" + label(name) + "</extra>"))  # fmt: skip
    fig.update_layout(
        title=_title(title), polar=_polar(len(domains)), legend=LEGEND_BELOW, height=_top(title, 520),
        margin={"l": 90, "r": 90, "t": _top(title, 70), "b": 130},
        colorway=[CURRENT, TARGET, MEDIAN, "#CC79A7", "#56B4E9"],
    )  # fmt: skip
    return fig


def ranking(members: list[str], overall: list[float], title: str, axis: str) -> go.Figure:
    """Members by overall score, highest at the top."""
    return gap_bars(members, overall, title, axis)


def agenda_bars(labels: list[str], points: list[float], shares: list[float], title: str, axis: str,
                share_name: str) -> go.Figure:  # fmt: skip
    """The top of the research agenda, in its order from the top: overall-score points the membership would gain,
    with the share unmet."""
    bars = _bars([round(p * 100, 2) for p in points], marker_color=MANDATORY,
                              customdata=[[round(s * 100), label(text)] for s, text in zip(shares, labels, strict=True)],
                              texttemplate="%{x:.1f} · %{customdata[0]}%", textposition="outside", cliponaxis=False,
                              hovertemplate="%{customdata[1]}<br>%{x:.2f}<br>" + label(share_name)
                              + ": %{customdata[0]}%<extra></extra>")  # fmt: skip
    fig = go.Figure(bars)
    top = max([p for p in points] + [0.0001]) * 100
    fig.update_layout(title=_title(title, 40), **_bar_rows(labels),
                      xaxis={"title": {"text": label(axis)}, "range": [0, top * 1.35], "nticks": 5, "fixedrange": True},
                      margin={"l": 10, "r": 40, "t": _top(title, 10, 40), "b": 50},
                      height=_bar_height(len(labels), _top(title, 10, 40), 50))  # fmt: skip
    return fig


def level_shares(criteria: list[str], levels: list[str], counts: list[list[int | None]], title: str, axis: str,
                 total: int | None = None) -> go.Figure:  # fmt: skip
    """Per criterion, how members' answers spread over the levels (stacked to 100% of `total`, or of each row's
    sum); a count hidden by disclosure control (None) draws no bar, so the row stops short of 100%."""
    fig = go.Figure()
    palette = ["#D55E00", "#E69F00", "#F0E442", "#56B4E9", "#0072B2", "#009E73", "#999999"]
    totals = [max(1, total or sum(c for c in row if c is not None)) for row in counts]
    for k, level in enumerate(levels):
        shares = [None if row[k] is None else round(100 * row[k] / n, 1) for row, n in zip(counts, totals, strict=True)]
        bars = _bars(shares, name=label(level), customdata=[label(c) for c in criteria],
                                  marker_color=palette[k % len(palette)] if level != "N/A" else "#999999",
                                  hovertemplate="%{customdata}<br>" + label(level) + ": %{x:.0f}%<extra></extra>")  # fmt: skip
        fig.add_trace(bars)
    fig.update_layout(barmode="stack", title=_title(title, 40), legend=LEGEND_ABOVE | {"traceorder": "normal"},
                      xaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": label(axis)}, "nticks": 5,
                             "fixedrange": True},
                      **_bar_rows(criteria),
                      margin={"l": 10, "r": 30, "t": _top(title, 2 * LEGEND_ROW, 40), "b": 50},
                      height=_bar_height(len(criteria), _top(title, 2 * LEGEND_ROW, 40), 50))  # fmt: skip
    return fig


def completion(months: list[str], started: list[int], submitted: list[int], title: str, started_name: str,
               submitted_name: str) -> go.Figure:  # fmt: skip
    """Assessments started and submitted, cumulative by month."""
    fig = go.Figure()
    months = [label(m) for m in months]
    fig.add_trace(go.Scatter(x=months, y=started, name=label(started_name), mode="lines+markers",
                             line={"color": TARGET}))  # fmt: skip
    fig.add_trace(go.Scatter(x=months, y=submitted, name=label(submitted_name), mode="lines+markers",
                             line={"color": CURRENT, "width": 3}))  # fmt: skip
    fig.update_layout(title=_title(title, 40), margin={"l": 10, "r": 10, "t": _top(title, LEGEND_ROW + 10, 40), "b": 40},
                      height=_top(title, 380, 40), legend=LEGEND_ABOVE, yaxis={"rangemode": "tozero"})  # fmt: skip
    return fig


def with_without(measures: list[str], with_support: list[float | None], without: list[float | None], title: str,
                 axis: str, with_name: str, without_name: str) -> go.Figure:  # fmt: skip
    """The change between two rounds per measure (overall, then each capability), in percentage points, for members
    with a kind of support and without it side by side; a suppressed figure (None) draws no bar."""
    names = [wrap(m, 16) for m in measures]
    fig = go.Figure()
    for values, name, colour in ((with_support, with_name, CURRENT), (without, without_name, "#999999")):
        fig.add_trace(go.Bar(x=names, y=_pct(values), name=label(name), marker_color=colour, texttemplate="%{y:+.0f}",
                             textposition="outside", cliponaxis=False,
                             hovertemplate="%{x}<br>" + label(name) + ": %{y:+.1f}<extra></extra>"))  # fmt: skip
    fig.update_layout(barmode="group", title=_title(title), legend=LEGEND_ABOVE,
                      yaxis={"title": {"text": label(axis)}, "zeroline": True, "fixedrange": True},
                      xaxis={"fixedrange": True}, margin={"l": 10, "r": 10, "t": _top(title, LEGEND_ROW), "b": 40},
                      height=360 + _top(title, LEGEND_ROW))  # fmt: skip
    return fig
