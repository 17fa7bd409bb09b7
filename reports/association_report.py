"""The association's report for the ministry, as PDF and XLSX: the campaign's completion, the readiness of the
membership, domain scores by cohort, the shared gaps, the change between rounds, the support given and the verified
share with the inflation index. Every figure arrives already under the disclosure rules (None: not shown); the
builders only say so, and why, in the report's language."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from reports import charts
from reports.images import picture
from reports.report import BLUE, GREY, WIDTH, label, labels, printable
from reports.workbook import DECIMAL, PERCENT, POINTS, TEXT, WHOLE, book_formats, cell_writer, new_book
from scoring.formatting import day, decimal, number, percent, separators
from scoring.issues import Issue
from scoring.model import Standard, localize
from scoring.profile import ISLAND_GROUP_LABELS, SEGMENTS
from scoring.readiness import CODES, HEADLINES

if TYPE_CHECKING:
    from reports.pdf import Draw, Pages

STAGES = ("invited", "signed_up", "started", "submitted", "verified", "overdue")
TOP = 10  # the shared gaps the chart shows; the workbook has them all
HIDDEN = "—"


@dataclass(frozen=True)
class Completion:
    """A campaign's members per stage (None: fewer than the threshold)."""

    invited: int | None
    signed_up: int | None
    started: int | None
    submitted: int | None
    verified: int | None
    overdue: int | None


@dataclass(frozen=True)
class Verified:
    """The verified share of submitted self-assessments and the inflation index (self minus verified level, mean
    over verified criteria); per criterion (id, title, mean gap, companies), a mean gap of too few is None."""

    share: float | None
    n: int | None
    index: float | None
    rows: Sequence[tuple[str, str, float | None, int | None]] = ()


@dataclass(frozen=True)
class SupportKind:
    kind: str
    interventions: int
    members: int | None
    days: float


@dataclass(frozen=True)
class SupportChange:
    """The average change of the overall score between two rounds, with and without one kind of support."""

    kind: str
    with_change: float | None
    with_n: int | None
    without_change: float | None
    without_n: int | None


@dataclass(frozen=True)
class Support:
    rows: Sequence[SupportKind] = ()
    changes: Sequence[SupportChange] = ()


@dataclass(frozen=True)
class CohortRow:
    """One group of a cohort field (its key: an island group id, a size band, a segment id; "" not stated) with its
    median score per domain in the standard's order; `why` when the whole row is not shown."""

    field: str
    key: str
    n: int | None
    medians: Sequence[float | None]
    why: Issue | None = None


@dataclass(frozen=True)
class RoundChange:
    """Companies whose complete rounds `first` and `second` follow each other: their mean change of the overall
    score and the share that improved (None with `why` when not shown)."""

    first: int
    second: int
    n: int | None
    mean: float | None
    improved: float | None
    why: Issue | None = None


@dataclass(frozen=True)
class AssociationReport:
    association: str
    standard: Standard
    made_on: date
    threshold: int
    campaign: str | None = None
    n: int | None = None  # companies in the benchmark set, as cleared
    refused: Issue | None = None  # why no figure of the membership is shown
    readiness: Mapping[str, int | None] = field(default_factory=dict)
    cohorts: Sequence[CohortRow] = ()
    agenda: pd.DataFrame = field(default_factory=pd.DataFrame)  # scoring.compare.agenda's columns
    changes: Sequence[RoundChange] = ()
    completion: Completion | None = None
    support: Support | None = None
    verified: Verified | None = None

    def criterion_title(self, criterion_id: str, lang: str) -> str:
        found = next((c for _, c in self.standard.criteria() if c.id == criterion_id), None)
        return printable(localize(found.title, lang)) if found else criterion_id

    def domain_titles(self, lang: str) -> list[str]:
        return [printable(localize(d.title, lang)) for d in self.standard.domains]


def cohort_name(row: CohortRow, lang: str) -> str:
    if not row.key:
        return label("m_not_stated", lang)
    if row.field == "island_group":
        return ISLAND_GROUP_LABELS.get(row.key, {}).get(lang, row.key)
    if row.field == "segment":
        return SEGMENTS.get(row.key, {}).get(lang, row.key)
    return label("m_size", lang, band=row.key)


def kind_name(kind: str, lang: str) -> str:
    return label(f"m_kind_{kind}", lang) if f"m_kind_{kind}" in labels() else printable(kind)


def why_text(why: Issue | None, lang: str) -> str:
    """The reason a figure is not shown, in the report's language."""
    if why is None:
        return ""
    return label("m_hidden_cover", lang) if why.code == "disclosure.secondary" else why.message(lang)


def count_text(n: int | None, k: int, lang: str) -> str:
    return label("m_fewer", lang, k=k) if n is None else number(n, lang)


def summary(report: AssociationReport, lang: str) -> str:
    """The report in one paragraph of plain words."""
    k = report.threshold
    if report.refused is not None:
        sentences = [label("m_summary_refused", lang, why=why_text(report.refused, lang))]
    else:
        ready = report.readiness.get("ready")
        sentences = [label("m_summary_members", lang, n=count_text(report.n, k, lang),
                           ready=count_text(ready, k, lang))]  # fmt: skip
        if len(report.agenda) and report.agenda.iloc[0]["agenda"] > 0:
            first = report.agenda.iloc[0]
            sentences.append(label("m_summary_gap", lang, criterion=report.criterion_title(first["criterion"], lang),
                                   share=percent(float(first["share_unmet"]), lang)))  # fmt: skip
    shown = [c for c in report.changes if c.mean is not None]
    if shown:
        last = shown[-1]
        sentences.append(label("m_summary_change", lang, first=last.first, second=last.second, n=number(last.n or 0, lang),
                               points=_signed(last.mean * 100, lang)))  # fmt: skip
    c = report.completion
    if c is not None and c.invited is not None and c.submitted is not None:
        sentences.append(label("m_summary_completion", lang, invited=number(c.invited, lang),
                               submitted=number(c.submitted, lang)))  # fmt: skip
    v = report.verified
    if v is not None and v.share is not None and v.index is not None:
        sentences.append(label("m_summary_verified", lang, share=percent(v.share, lang),
                               gap=decimal(v.index, lang, 2)))  # fmt: skip
    return " ".join(sentences)


def _signed(points: float, lang: str) -> str:
    return ("+" if points > 0 else "") + decimal(points, lang)


# The tables, once for both files: a header row of label keys, then rows of (value, kind); None shows as HIDDEN.


def completion_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    c = report.completion
    if c is None:
        return []
    invited = c.invited
    rows = []
    for stage in STAGES:
        n = getattr(c, stage)
        share = n / invited if n is not None and invited else None
        rows.append([(label(f"m_stage_{stage}", lang), TEXT), (n, WHOLE), (share, PERCENT)])
    return rows


def readiness_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    rows = []
    for code in CODES:
        if code not in report.readiness:
            continue
        n = report.readiness[code]
        share = n / report.n if n is not None and report.n else None
        rows.append([(HEADLINES[code][lang], TEXT), (n, WHOLE), (share, PERCENT)])
    if rows:
        rows.append([(label("m_total", lang), TEXT), (report.n, WHOLE), (1.0 if report.n else None, PERCENT)])
    return rows


def gap_rows(report: AssociationReport, lang: str, top: int | None = None) -> list[list[tuple[Any, str]]]:
    frame = report.agenda if top is None else report.agenda.head(top)
    return [[(i, WHOLE), (row.criterion, TEXT), (report.criterion_title(row.criterion, lang), TEXT),
             (row.agenda, POINTS), (row.share_unmet, PERCENT), (int(row.count), WHOLE)]
            for i, row in enumerate(frame.itertuples(), start=1)]  # fmt: skip


def change_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    return [[(label("m_rounds_value", lang, first=c.first, second=c.second), TEXT), (c.n, WHOLE),
             (None if c.mean is None else c.mean * 100, DECIMAL), (c.improved, PERCENT), (why_text(c.why, lang), TEXT)]
            for c in report.changes]  # fmt: skip


def support_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    s = report.support
    return [] if s is None else [[(kind_name(r.kind, lang), TEXT), (r.interventions, WHOLE), (r.members, WHOLE),
                                  (r.days, WHOLE)] for r in s.rows]  # fmt: skip


def support_change_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    s = report.support
    if s is None:
        return []
    return [[(kind_name(c.kind, lang), TEXT), (None if c.with_change is None else c.with_change * 100, DECIMAL),
             (c.with_n, WHOLE), (None if c.without_change is None else c.without_change * 100, DECIMAL),
             (c.without_n, WHOLE)] for c in s.changes]  # fmt: skip


def verified_rows(report: AssociationReport, lang: str) -> list[list[tuple[Any, str]]]:
    v = report.verified
    return [] if v is None else [[(cid, TEXT), (printable(title) or report.criterion_title(cid, lang), TEXT),
                                  (gap, DECIMAL), (n, WHOLE)] for cid, title, gap, n in v.rows]  # fmt: skip


HEADERS = {
    "completion": ("m_stage", "m_companies", "m_share"),
    "readiness": ("m_readiness_level", "m_companies", "m_share"),
    "gaps": ("m_rank", "col_code", "col_criterion", "m_points", "m_unmet", "m_companies"),
    "change": ("m_rounds", "m_companies", "m_mean_change", "m_improved", "m_why"),
    "support": ("m_kind", "m_interventions", "m_reached", "m_days"),
    "support_change": ("m_kind", "m_with", "m_companies", "m_without", "m_companies"),
    "verified": ("col_code", "col_criterion", "m_mean_gap", "m_companies"),
}


def shown(value: Any, kind: str, lang: str) -> str:
    """A value as the PDF prints it; a figure not shown is HIDDEN."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "" if kind == TEXT else HIDDEN
    if kind == PERCENT:
        return percent(float(value), lang)
    if kind == POINTS:
        return decimal(float(value) * 100, lang, 2)
    if kind == DECIMAL:
        return decimal(float(value), lang, 2)
    if kind == WHOLE:
        return number(int(value), lang) if float(value).is_integer() else decimal(float(value), lang)
    return printable(value)


# The PDF


def association_pdf(report: AssociationReport, lang: str, draw: Draw = picture) -> bytes:
    """The report as PDF bytes; `draw` makes a chart's image (None: the report says it could not be drawn)."""
    std = report.standard
    title = printable(localize(std.title, lang))
    # The footer shares its line with the page number: the association's name is cut, the standard named by its id.
    association = charts.short(printable(report.association), 48)
    footer = f"{association} · {printable(std.id)} {printable(std.version)} · {day(report.made_on, lang)}"
    from reports.pdf import Pages  # fpdf and its fonts load when a PDF is made, not with every page of the app

    pdf = Pages(footer, lang)
    pdf.add_page()
    _cover(pdf, report, lang, title)
    k = report.threshold
    _section(pdf, lang, k, "m_completion_heading", "completion", completion_rows(report, lang), (90, 45, 45),
             "m_completion_none")  # fmt: skip
    _membership(pdf, report, lang, draw)
    _section(pdf, lang, k, "m_change_heading", "change", change_rows(report, lang), (28, 26, 34, 24, 68),
             "m_change_none", "m_change_intro")  # fmt: skip
    _support(pdf, report, lang)
    _verified(pdf, report, lang)
    pdf.heading(label("m_notes_heading", lang))
    for key in ("m_def_benchmark", "m_def_score", "m_def_agenda", "m_def_change", "m_def_index"):
        pdf.para(label(key, lang), size=9)
        pdf.ln(1)
    pdf.para(label("m_rule", lang, k=report.threshold), size=9)
    return bytes(pdf.output())


def _cover(pdf: Pages, report: AssociationReport, lang: str, title: str) -> None:
    pdf.para(label("brand", lang), size=9, bold=True, colour=BLUE)
    pdf.ln(10)
    pdf.para(label("m_title", lang), size=24, bold=True)
    pdf.ln(4)
    pdf.para(report.association, size=17, bold=True, colour=BLUE)
    pdf.ln(2)
    pdf.para(label("standard_version", lang, title=title, version=printable(report.standard.version)), size=12)
    pdf.ln(5)
    pdf.field(label("made_on", lang), day(report.made_on, lang), indent=0)
    if report.campaign:
        pdf.field(label("m_campaign", lang), printable(report.campaign), indent=0)
    pdf.field(label("m_threshold", lang), label("m_threshold_value", lang, k=report.threshold), indent=0)
    pdf.ln(6)
    pdf.heading(label("m_summary_heading", lang))
    pdf.para(summary(report, lang), size=10.5)
    pdf.ln(3)
    pdf.para(label("m_rule", lang, k=report.threshold), size=9, colour=GREY)


def _table(pdf: Pages, lang: str, name: str, rows: list[list[tuple[Any, str]]], widths: tuple[float, ...]) -> None:
    heads = [label(key, lang) for key in HEADERS[name]]
    align = tuple("LEFT" if kind == TEXT else "RIGHT" for _, kind in rows[0])
    pdf.grid([heads] + [[shown(v, kind, lang) for v, kind in row] for row in rows], widths, align)


def _section(pdf: Pages, lang: str, k: int, heading: str, name: str, rows: list, widths: tuple[float, ...],
             absent: str, intro: str | None = None) -> None:  # fmt: skip
    """A heading and its table, or the sentence saying the section has no data; the mark of hidden figures
    explained under a table that has one."""
    pdf.heading(label(heading, lang))
    if not rows:
        pdf.para(label(absent, lang))
        return
    if intro:
        pdf.para(label(intro, lang), size=9, colour=GREY)
        pdf.ln(2)
    _table(pdf, lang, name, rows, widths)
    if any(v is None for row in rows for v, kind in row if kind != TEXT):
        pdf.para(label("m_hidden", lang, k=k), size=8.5, colour=GREY)


def _membership(pdf: Pages, report: AssociationReport, lang: str, draw: Draw) -> None:
    """Readiness, the heatmap and the shared gaps: figures of the benchmark set, or why none is shown."""
    if report.refused is not None:
        for heading in ("m_readiness_heading", "m_heatmap_heading", "m_gaps_heading"):
            pdf.heading(label(heading, lang))
            pdf.para(label("m_summary_refused", lang, why=why_text(report.refused, lang)))
        return
    _section(pdf, lang, report.threshold, "m_readiness_heading", "readiness", readiness_rows(report, lang),
             (90, 45, 45), "m_readiness_none", "m_readiness_intro")  # fmt: skip
    _heatmap(pdf, report, lang, draw)
    _gaps(pdf, report, lang, draw)


def _chart(pdf: Pages, heading: str, intro: str, figure: go.Figure, lang: str, draw: Draw) -> None:
    """A section's heading and introduction on the page of its chart (or of the sentence saying it is missing)."""
    width, height = 820, int(figure.layout.height or 500)
    image = draw(figure, width, height)
    pdf.room(30 + (WIDTH * height / width if image else 0))
    pdf.heading(label(heading, lang))
    pdf.para(label(intro, lang), size=9, colour=GREY)
    pdf.ln(2)
    pdf.picture(image, label("chart_missing", lang), width, height)


def _heatmap(pdf: Pages, report: AssociationReport, lang: str, draw: Draw) -> None:
    _chart(pdf, "m_heatmap_heading", "m_heatmap_intro", heatmap_figure(report, lang), lang, draw)
    # The domains' codes head the columns (their titles, wrapped in columns this narrow, could not be read).
    codes = [printable(d.id) for d in report.standard.domains]
    first = 44.0
    rest = (WIDTH - first - 24) / max(1, len(codes))
    heads = [label("m_cohort", lang), label("m_companies", lang)] + codes
    rows = [[cohort_name(r, lang), count_text(r.n, report.threshold, lang)]
            + [HIDDEN if m is None else percent(m, lang) for m in _medians(r, len(codes))]
            for r in report.cohorts]  # fmt: skip
    pdf.grid([heads] + rows, (first, 24) + (rest,) * len(codes), ("LEFT",) + ("RIGHT",) * (len(codes) + 1))
    key = "; ".join(f"{code}: {title}" for code, title in zip(codes, report.domain_titles(lang), strict=True))
    pdf.para(key, size=8.5, colour=GREY)
    pdf.para(label("m_hidden", lang, k=report.threshold), size=8.5, colour=GREY)
    for row in report.cohorts:
        if row.why is not None:
            pdf.para(f"{cohort_name(row, lang)}: {why_text(row.why, lang)}", size=8.5, colour=GREY)


def _medians(row: CohortRow, domains: int) -> list[float | None]:
    return list(row.medians) if row.why is None else [None] * domains


def heatmap_figure(report: AssociationReport, lang: str) -> go.Figure:
    """Cohorts (rows) x domains: the median domain score, a hidden cell blank (reports/charts.py heatmap)."""
    domains = report.domain_titles(lang)
    names = [f"{label(f'm_cohort_{r.field}', lang)}: {cohort_name(r, lang)}" for r in report.cohorts]
    values = [_medians(r, len(domains)) for r in report.cohorts]
    fig = charts.heatmap(names, domains, values, label("m_heatmap_title", lang), None, label("m_heatmap_hover", lang))
    # Each cell's figure written in it; a hidden cell stays blank.
    fig.update_traces(text=[["" if m is None else percent(m, lang) for m in row] for row in values],
                      texttemplate="%{text}")  # fmt: skip
    fig.update_layout(width=820, paper_bgcolor="white", separators=separators(lang))
    return fig


def _gaps(pdf: Pages, report: AssociationReport, lang: str, draw: Draw) -> None:
    if not len(report.agenda) or report.agenda.iloc[0]["agenda"] <= 0:
        pdf.heading(label("m_gaps_heading", lang))
        pdf.para(label("m_gaps_none", lang))
        return
    _chart(pdf, "m_gaps_heading", "m_gaps_intro", gaps_figure(report, lang), lang, draw)
    _table(pdf, lang, "gaps", gap_rows(report, lang, TOP), (14, 24, 78, 18, 22, 24))


def gaps_figure(report: AssociationReport, lang: str) -> go.Figure:
    """The top of the agenda: the Shared gaps page's chart (reports/charts.py agenda_bars)."""
    top = report.agenda.head(TOP)
    names = [f"{cid} · {report.criterion_title(cid, lang)}" for cid in top["criterion"]]
    fig = charts.agenda_bars(names, list(top["agenda"]), list(top["share_unmet"]), label("m_gaps_title", lang),
                             label("m_gaps_axis", lang), label("m_unmet", lang))  # fmt: skip
    fig.update_layout(width=820, paper_bgcolor="white", separators=separators(lang))
    return fig


def _support(pdf: Pages, report: AssociationReport, lang: str) -> None:
    pdf.heading(label("m_support_heading", lang))
    if report.support is None:
        pdf.para(label("m_support_none", lang))
        return
    if report.support.rows:
        _table(pdf, lang, "support", support_rows(report, lang), (90, 30, 30, 30))
    if report.support.changes:
        pdf.para(label("m_causal", lang), size=9.5, bold=True)
        pdf.ln(1)
        _table(pdf, lang, "support_change", support_change_rows(report, lang), (60, 36, 24, 36, 24))
    pdf.para(label("m_hidden", lang, k=report.threshold), size=8.5, colour=GREY)


def _verified(pdf: Pages, report: AssociationReport, lang: str) -> None:
    pdf.heading(label("m_verified_heading", lang))
    v = report.verified
    if v is None:
        pdf.para(label("m_verified_none", lang))
        return
    pdf.field(label("m_verified_share", lang), shown(v.share, PERCENT, lang), indent=0)
    pdf.field(label("m_verified_n", lang), count_text(v.n, report.threshold, lang), indent=0)
    pdf.field(label("m_index", lang), shown(v.index, DECIMAL, lang), indent=0)
    pdf.ln(2)
    if v.rows:
        pdf.para(label("m_index_intro", lang), size=9, colour=GREY)
        pdf.ln(1)
        _table(pdf, lang, "verified", verified_rows(report, lang), (24, 100, 30, 26))
    pdf.para(label("m_hidden", lang, k=report.threshold), size=8.5, colour=GREY)


# The workbook


def association_workbook(report: AssociationReport, lang: str) -> bytes:
    """One sheet per section, after a sheet that says what the figures are and the disclosure rule."""
    buffer = io.BytesIO()
    book = new_book(buffer)
    formats = book_formats(book, lang)
    write = cell_writer(formats, lang)
    k = report.threshold

    def sheet_of(name: str, heads: list[str], rows: list[list[tuple[Any, str]]], absent: str | None = None) -> None:
        sheet = book.add_worksheet(label(name, lang)[:31])
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, len(heads), 16)
        for c, head in enumerate(heads):
            sheet.write_string(0, c, head, formats["head"])
        if absent is not None:
            write(sheet, 1, 0, label(absent, lang), TEXT)
            return
        for r, row in enumerate(rows, start=1):
            for c, (value, kind) in enumerate(row):
                if value is None and kind != TEXT:
                    write(sheet, r, c, HIDDEN, TEXT)  # a figure not shown: the mark, never a number
                else:
                    write(sheet, r, c, value, kind)
        sheet.freeze_panes(1, 0)

    notes = [label("m_rule", lang, k=k), label("m_hidden", lang, k=k)] + [
        label(key, lang) for key in ("m_def_benchmark", "m_def_score", "m_def_agenda", "m_def_change", "m_def_index")
    ]
    std = report.standard
    about = [
        [(label("m_association", lang), TEXT), (report.association, TEXT)],
        [(label("col_standard", lang), TEXT), (localize(std.title, lang), TEXT)],
        [(label("col_version", lang), TEXT), (std.version, TEXT)],
        [(label("m_campaign", lang), TEXT), (report.campaign or "", TEXT)],
        [(label("made_on", lang), TEXT), (day(report.made_on, lang), TEXT)],
        [(label("m_threshold", lang), TEXT), (k, WHOLE)],
        [(label("m_summary_heading", lang), TEXT), (summary(report, lang), TEXT)],
    ] + [[(label("m_notes_heading", lang), TEXT), (note, TEXT)] for note in notes]
    sheet_of("sheet_notes", [label("m_field", lang), label("m_value", lang)], about)
    book.worksheets()[0].set_column(1, 1, 100)

    def heads(name: str) -> list[str]:
        return [label(key, lang) for key in HEADERS[name]]

    refused = None if report.refused is None else why_text(report.refused, lang)
    sheet_of("sheet_completion", heads("completion"), completion_rows(report, lang),
             None if report.completion else "m_completion_none")  # fmt: skip
    for name, rows, table in (("sheet_readiness", readiness_rows(report, lang), "readiness"),
                              ("sheet_gaps", gap_rows(report, lang), "gaps")):  # fmt: skip
        if refused is not None:
            sheet_of(name, heads(table), [[(refused, TEXT)]])
        else:
            sheet_of(name, heads(table), rows)
    domains = report.domain_titles(lang)
    cohort_rows = [[(label(f"m_cohort_{r.field}", lang), TEXT), (cohort_name(r, lang), TEXT), (r.n, WHOLE)]
                   + [(m, PERCENT) for m in _medians(r, len(domains))] + [(why_text(r.why, lang), TEXT)]
                   for r in report.cohorts]  # fmt: skip
    sheet_of("sheet_cohorts", [label("m_cohort", lang), "", label("m_companies", lang)] + domains
             + [label("m_why", lang)], cohort_rows if refused is None else [[(refused, TEXT)]])  # fmt: skip
    sheet_of("sheet_change", heads("change"), change_rows(report, lang), None if report.changes else "m_change_none")
    support = support_rows(report, lang)
    changes = support_change_rows(report, lang)
    sheet_of("sheet_support", heads("support") + [""] + heads("support_change"),
             [a + [("", TEXT)] + b for a, b in _side_by_side(support, changes)],
             None if report.support else "m_support_none")  # fmt: skip
    v = report.verified
    verified = [] if v is None else [[(label("m_verified_share", lang), TEXT), (v.share, PERCENT)],
                                     [(label("m_verified_n", lang), TEXT), (v.n, WHOLE)],
                                     [(label("m_index", lang), TEXT), (v.index, DECIMAL)], [("", TEXT)]]  # fmt: skip
    sheet_of("sheet_verified", heads("verified"), verified + verified_rows(report, lang),
             None if v else "m_verified_none")  # fmt: skip
    book.close()
    return buffer.getvalue()


def _side_by_side(left: list[list], right: list[list]) -> list[tuple[list, list]]:
    """Two tables row by row, the shorter padded with empty cells."""
    width_left = len(left[0]) if left else 4
    width_right = len(right[0]) if right else 5
    rows = max(len(left), len(right))
    return [(left[i] if i < len(left) else [("", TEXT)] * width_left,
             right[i] if i < len(right) else [("", TEXT)] * width_right) for i in range(rows)]  # fmt: skip
