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
    return "<br>".join(label(line) for line in textwrap.wrap(text, width)) or label(text)


def short(text: str, length: int) -> str:
    """A long label cut at a word, so that it fits beside its bar in two lines (the table has it whole)."""
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def label(text: str) -> str:
    """Text as plotly shows it literally: HTML characters and template braces escaped."""
    return html.escape(str(text)).replace("%{", "%&#123;")


def _pct(values: list[float | None]) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v * 100, 1) for v in values]


def radar(domains: list[str], scores: list[float | None], targets: list[float | None], title: str,
          current_name: str, target_name: str, median: list[float | None] | None = None,
          median_name: str = "") -> go.Figure:  # fmt: skip
    """Domain scores (filled) against the target profile (line), in the standard's domain order; with `median`,
    the cohort's median profile as a dotted line."""
    theta = [wrap(d) for d in domains + domains[:1]]
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
        title={"text": wrap(title, 48)},
        polar={
            "radialaxis": {"range": [0, 100], "ticksuffix": "%", "tickvals": [25, 50, 75, 100], "angle": 90},
            "angularaxis": {"tickfont": {"size": 11}},
        },
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 110, "r": 110, "t": 80, "b": 40},
        height=500,
    )
    return fig


def gap_bars(labels: list[str], gaps: list[float], title: str, axis: str, median: list[float | None] | None = None,
             median_name: str = "", hover: list[str] | None = None) -> go.Figure:  # fmt: skip
    """Horizontal bars, largest first (top), values in percentage points; with `median`, the cohort's median gap
    of each bar as a marker; with `hover`, each bar's own explanation (plain text, lines split on newlines)."""
    order = sorted(range(len(labels)), key=lambda i: gaps[i])
    y = [wrap(labels[i], 40) for i in order]
    explained = {"hovertemplate": "%{y}: %{x:.0f}%<extra></extra>"} if hover is None else {
        "customdata": ["<br>".join(label(line) for line in hover[i].splitlines()) for i in order],
        "hovertemplate": "%{customdata}<extra></extra>",
    }  # fmt: skip
    fig = go.Figure(go.Bar(x=_pct([gaps[i] for i in order]), y=y, orientation="h", marker_color=CURRENT,
                           texttemplate="%{x:.0f}%", textposition="outside", cliponaxis=False, showlegend=False,
                           **explained))  # fmt: skip
    if median is not None:
        fig.add_trace(go.Scatter(x=_pct([median[i] for i in order]), y=y, mode="markers", name=label(median_name),
                                 marker={"color": MEDIAN, "size": 12, "symbol": "line-ns-open", "line": {"width": 3}},
                                 hovertemplate="%{y}: %{x:.0f}%<extra>" + label(median_name) + "</extra>"))  # fmt: skip
    top = max([g for g in gaps if g is not None] + [m for m in (median or []) if m is not None] + [0.01]) * 100
    fig.update_layout(
        title={"text": wrap(title, 48)},
        xaxis={"title": {"text": label(axis)}, "ticksuffix": "%", "range": [0, top * 1.2]},
        yaxis={"automargin": True},
        margin={"l": 10, "r": 40, "t": 80, "b": 40},
        height=max(260, 60 + 36 * len(labels)) + (40 if median is not None else 0),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return fig


def trend(rounds: list[str], overall: list[float | None], domains: dict[str, list[float | None]], title: str,
          overall_name: str) -> go.Figure:  # fmt: skip
    """Scores by round: the overall score as a thick line, each domain as a thin one."""
    fig = go.Figure()
    rounds = [label(r) for r in rounds]
    for name, values in domains.items():
        fig.add_trace(go.Scatter(x=rounds, y=_pct(values), name=wrap(name, 30), mode="lines+markers",
                                 line={"width": 1}, opacity=0.6,
                                 hovertemplate="%{x}: %{y:.0f}%<extra>" + label(name) + "</extra>"))  # fmt: skip
    fig.add_trace(go.Scatter(x=rounds, y=_pct(overall), name=label(overall_name), mode="lines+markers",
                             line={"color": CURRENT, "width": 4}, marker={"size": 10},
                             hovertemplate="%{x}: %{y:.0f}%<extra>" + label(overall_name) + "</extra>"))  # fmt: skip
    fig.update_layout(
        title={"text": wrap(title, 48)},
        yaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": "%"}},
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        height=420,
        legend={"orientation": "h", "y": -0.15},
        colorway=["#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#999999"],
    )
    return fig


def crosswalk(capabilities: list[str], standards: list[str], counts: list[list[int]], title: str,
              hover: str) -> go.Figure:  # fmt: skip
    """Capabilities (rows) x standards (columns): how many criteria test each capability; 0 left blank."""
    z = [[value or None for value in row] for row in counts]
    fig = go.Figure(go.Heatmap(
        z=z, x=[wrap(s, 18) for s in standards], y=[label(c) for c in capabilities],
        colorscale=[[0, "#D6EAF8"], [1, CURRENT]], showscale=False, xgap=2, ygap=2, text=counts,
        texttemplate="%{text}", hovertemplate="%{y}<br>%{x}: %{z} " + label(hover) + "<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(
        title={"text": wrap(title, 40)},
        xaxis={"side": "top", "tickangle": 0},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 10, "t": 120, "b": 10},
        height=max(320, 140 + 24 * len(capabilities)),
    )
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
        z=z, x=[wrap(d, 16) for d in domains], y=[label(m) for m in members], xgap=1, ygap=1, **scale,
        colorbar={"ticksuffix": "%"}, hovertemplate="%{y}<br>%{x}: %{z:.0f}%<extra>" + label(hover) + "</extra>",
    ))  # fmt: skip
    fig.update_layout(
        # The title at the very top, the domains under it: both live in the top margin.
        title={"text": wrap(title, 40), "y": 0.995, "yref": "container", "yanchor": "top"},
        xaxis={"side": "top", "tickangle": 0},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 10, "t": 190, "b": 10},
        height=min(4000, max(360, 210 + 18 * len(members))),
    )
    return fig


def boxes(domains: list[str], values: list[list[float]], highlight: list[float | None] | None, title: str,
          cohort_name: str, member_name: str) -> go.Figure:  # fmt: skip
    """Cohort distributions per domain, with the chosen member's own score as a highlighted point."""
    fig = go.Figure()
    cohort_name = label(cohort_name)
    for name, column in zip(domains, values, strict=True):
        fig.add_trace(go.Box(y=_pct(column), name=wrap(name, 16), marker_color="#999999", boxpoints=False,
                             showlegend=False, hovertemplate="%{y:.0f}%<extra>" + cohort_name + "</extra>"))  # fmt: skip
    if highlight is not None:
        fig.add_trace(go.Scatter(x=[wrap(d, 16) for d in domains], y=_pct(highlight), mode="markers",
                                 name=label(member_name), marker={"color": CURRENT, "size": 13, "symbol": "diamond"},
                                 hovertemplate="%{x}: %{y:.0f}%<extra>" + label(member_name) + "</extra>"))  # fmt: skip
    fig.update_layout(title={"text": wrap(title, 40)}, yaxis={"range": [0, 100], "ticksuffix": "%"},
                      margin={"l": 10, "r": 10, "t": 80, "b": 40}, height=460,
                      legend={"orientation": "h", "y": -0.2})  # fmt: skip
    return fig


def radar_many(domains: list[str], members: dict[str, list[float | None]], title: str) -> go.Figure:
    """Two to five members on one radar, in the standard's domain order."""
    theta = [wrap(d) for d in domains + domains[:1]]
    fig = go.Figure()
    for name, scores in members.items():
        fig.add_trace(go.Scatterpolar(r=_pct(scores + scores[:1]), theta=theta, name=wrap(name, 30), mode="lines",
                                      hovertemplate="%{theta}: %{r:.0f}%<extra>" + label(name) + "</extra>"))  # fmt: skip
    fig.update_layout(
        title={"text": wrap(title, 48)},
        polar={"radialaxis": {"range": [0, 100], "ticksuffix": "%", "angle": 90}},
        legend={"orientation": "h", "y": -0.12}, margin={"l": 110, "r": 110, "t": 80, "b": 40}, height=520,
        colorway=[CURRENT, TARGET, MEDIAN, "#CC79A7", "#56B4E9"],
    )  # fmt: skip
    return fig


def ranking(members: list[str], overall: list[float], title: str, axis: str) -> go.Figure:
    """Members by overall score, highest at the top."""
    return gap_bars(members, overall, title, axis)


def agenda_bars(labels: list[str], points: list[float], shares: list[float], title: str, axis: str,
                share_name: str) -> go.Figure:  # fmt: skip
    """The top of the research agenda: overall-score points the membership would gain, with the share unmet."""
    pairs = list(zip(labels, points, shares, strict=True))[::-1]
    fig = go.Figure(go.Bar(
        x=[round(p * 100, 2) for _, p, _ in pairs], y=[wrap(short(text, 84), 44) for text, _, _ in pairs],
        orientation="h",
        marker_color=MANDATORY, customdata=[round(s * 100) for _, _, s in pairs],
        texttemplate="%{x:.1f} · %{customdata}%", textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{x:.2f}<br>" + label(share_name) + ": %{customdata}%<extra></extra>",
    ))  # fmt: skip
    top = max([p for p in points] + [0.0001]) * 100
    fig.update_layout(title={"text": wrap(title, 40)}, xaxis={"title": {"text": label(axis)}, "range": [0, top * 1.35]},
                      yaxis={"automargin": True}, margin={"l": 10, "r": 40, "t": 110, "b": 40},
                      height=max(300, 100 + 52 * len(labels)))  # fmt: skip
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
        fig.add_trace(go.Bar(y=[wrap(short(c, 84), 44) for c in criteria], x=shares, name=label(level),
                             orientation="h", marker_color=palette[k % len(palette)] if level != "N/A" else "#999999",
                             hovertemplate="%{y}<br>" + label(level) + ": %{x:.0f}%<extra></extra>"))  # fmt: skip
    fig.update_layout(barmode="stack", title={"text": wrap(title, 40)},
                      xaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": label(axis)}},
                      yaxis={"autorange": "reversed", "automargin": True}, legend={"orientation": "h", "y": -0.1},
                      margin={"l": 10, "r": 10, "t": 80, "b": 40}, height=max(300, 120 + 52 * len(criteria)))  # fmt: skip
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
    fig.update_layout(title={"text": wrap(title, 40)}, margin={"l": 10, "r": 10, "t": 80, "b": 40}, height=380,
                      legend={"orientation": "h", "y": -0.2}, yaxis={"rangemode": "tozero"})  # fmt: skip
    return fig
