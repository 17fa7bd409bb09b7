"""Plotly figures built from plain data (so tests can assert on the figure's data)."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

# Okabe–Ito, one meaning per colour everywhere: current, target, cohort median.
CURRENT = "#0072B2"
TARGET = "#E69F00"
MEDIAN = "#009E73"
MANDATORY = "#D55E00"


def wrap(text: str, width: int = 22) -> str:
    """Long labels on several lines, so they are not cut at the chart's edge."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _pct(values: list[float | None]) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v * 100, 1) for v in values]


def radar(domains: list[str], scores: list[float | None], targets: list[float | None], title: str,
          current_name: str, target_name: str) -> go.Figure:  # fmt: skip
    """Domain scores (filled) against the target profile (line), in the standard's domain order."""
    theta = [wrap(d) for d in domains + domains[:1]]
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=_pct(targets + targets[:1]), theta=theta, name=target_name, mode="lines",
                                  line={"color": TARGET, "width": 2, "dash": "dash"},
                                  hovertemplate="%{theta}: %{r:.0f}%<extra>" + target_name + "</extra>"))  # fmt: skip
    fig.add_trace(go.Scatterpolar(r=_pct(scores + scores[:1]), theta=theta, name=current_name, fill="toself",
                                  line={"color": CURRENT}, fillcolor="rgba(0,114,178,0.25)",
                                  hovertemplate="%{theta}: %{r:.0f}%<extra>" + current_name + "</extra>"))  # fmt: skip
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


def gap_bars(labels: list[str], gaps: list[float], title: str, axis: str) -> go.Figure:
    """Horizontal bars, largest first (top), values in percentage points."""
    pairs = sorted(zip(labels, gaps, strict=True), key=lambda p: p[1])
    fig = go.Figure(go.Bar(x=_pct([g for _, g in pairs]), y=[wrap(lab, 40) for lab, _ in pairs], orientation="h",
                           marker_color=CURRENT, texttemplate="%{x:.0f}%", textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x:.0f}%<extra></extra>"))  # fmt: skip
    top = max([g for g in gaps if g is not None] + [0.01]) * 100
    fig.update_layout(
        title={"text": wrap(title, 48)},
        xaxis={"title": {"text": axis}, "ticksuffix": "%", "range": [0, top * 1.2]},
        yaxis={"automargin": True},
        margin={"l": 10, "r": 40, "t": 80, "b": 40},
        height=max(260, 60 + 36 * len(labels)),
    )
    return fig


def trend(rounds: list[str], overall: list[float | None], domains: dict[str, list[float | None]], title: str,
          overall_name: str) -> go.Figure:  # fmt: skip
    """Scores by round: the overall score as a thick line, each domain as a thin one."""
    fig = go.Figure()
    for name, values in domains.items():
        fig.add_trace(go.Scatter(x=rounds, y=_pct(values), name=wrap(name, 30), mode="lines+markers",
                                 line={"width": 1}, opacity=0.6,
                                 hovertemplate="%{x}: %{y:.0f}%<extra>" + name + "</extra>"))  # fmt: skip
    fig.add_trace(go.Scatter(x=rounds, y=_pct(overall), name=overall_name, mode="lines+markers",
                             line={"color": CURRENT, "width": 4}, marker={"size": 10},
                             hovertemplate="%{x}: %{y:.0f}%<extra>" + overall_name + "</extra>"))  # fmt: skip
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
        z=z, x=[wrap(s, 18) for s in standards], y=capabilities, colorscale=[[0, "#D6EAF8"], [1, CURRENT]],
        showscale=False, xgap=2, ygap=2, text=counts, texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z} " + hover + "<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(
        title={"text": wrap(title, 60)},
        xaxis={"side": "top", "tickangle": 0},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 10, "t": 120, "b": 10},
        height=max(320, 140 + 24 * len(capabilities)),
    )
    return fig
