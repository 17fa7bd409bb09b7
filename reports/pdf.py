"""The company report as a PDF in the chosen language (fpdf2 with the DejaVu Sans shipped in reports/fonts): cover and
verdict, domain scores with the radar and the gap chart, the benchmark and the trend where given, the action plan with
its tracking, and every answer with its note and evidence. Every text from a company or a standard is written as
plain text (never Markdown), wrapped, long words broken."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from reports import charts
from reports.images import picture
from reports.report import BLUE, GREY, WIDTH, Report, document_text, label, level_text, printable, status_text, yes_no
from scoring.formatting import day, decimal, percent
from scoring.model import localize

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
TONES = {"ready": (0, 158, 115), "not-ready": (213, 94, 0), "incomplete": (230, 159, 0)}
CELL_CHARS = 300  # a table cell holds a bounded text, so that no row outgrows a page; the full text is in the answers
NB = "{nb}"

Draw = Callable[[go.Figure, int, int], "bytes | None"]


class Pages(FPDF):
    """An A4 report in DejaVu Sans with a footer line and page numbers; the association report uses it too."""

    def __init__(self, footer: str, lang: str) -> None:
        super().__init__(format="A4")
        self.footer_text, self.lang = footer, lang
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(footer)
        self.set_creator("Gapura")

    def header(self) -> None:
        # The total-pages alias is read only in footers: "{nb}" typed by a company stays as typed in the body.
        self.str_alias_nb_pages = None

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        self.cell(WIDTH * 0.75, 5, self.footer_text[:150])
        self.str_alias_nb_pages = NB  # set until the next page's header: the last footer's alias is filled at output
        self.cell(WIDTH * 0.25, 5, label("page", self.lang, n=self.page_no(), total=NB), align="R")
        self.set_text_color(0, 0, 0)

    def room(self, mm: float) -> None:
        """A new page unless `mm` fit below: a heading never sits alone at the foot of a page."""
        if self.get_y() + mm > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, size: float = 14) -> None:
        self.room(30)
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.set_text_color(*BLUE)
        self.multi_cell(0, size * 0.5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def para(self, text: str, size: float = 9.5, bold: bool = False, colour: tuple[int, int, int] | None = None,
             indent: float = 0) -> None:  # fmt: skip
        self.set_font(FONT, "B" if bold else "", size)
        if colour:
            self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def field(self, name: str, text: str, indent: float = 6) -> None:
        """'Name: text', the name in bold, wrapped at the indent (written as text: no Markdown is read)."""
        if not text:
            return
        margin = self.l_margin
        self.set_left_margin(margin + indent)
        self.set_x(margin + indent)
        self.set_font(FONT, "B", 9)
        self.write(4.6, f"{name}: ")
        self.set_font(FONT, "", 9)
        self.write(4.6, printable(text))
        self.ln(4.6)
        self.set_left_margin(margin)

    def grid(self, rows: list[list[str]], widths: tuple[float, ...], align: tuple[str, ...]) -> None:
        """A table whose first row is its heading; cells hold bounded text, so a row always fits a page."""
        self.set_font(FONT, size=8.5)
        self.set_fill_color(255, 255, 255)
        heading = FontFace(emphasis="BOLD", fill_color=(232, 240, 248))
        with self.table(col_widths=widths, text_align=align, headings_style=heading, line_height=4.4,
                        borders_layout=TableBordersLayout.HORIZONTAL_LINES, width=WIDTH) as table:  # fmt: skip
            for row in rows:
                cells = table.row()
                for text in row:
                    cells.cell(_cut(printable(text)))
        self.ln(2)

    def picture(self, image: bytes | None, note: str, width: int, height: int) -> None:
        """The chart at the page's width (`width` x `height` its size in pixels), or the sentence saying it could not
        be drawn."""
        if image is None:
            self.para(note, size=9, colour=GREY)
            self.ln(2)
            return
        h = WIDTH * height / width
        self.room(h + 2)
        self.image(io.BytesIO(image), x=self.l_margin, w=WIDTH, h=h)
        self.ln(2)


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def company_pdf(report: Report, lang: str, draw: Draw = picture) -> bytes:
    """The report as PDF bytes; `draw` makes a chart's image (None: the report says it could not be drawn)."""
    std = report.standard
    title = printable(localize(std.title, lang))
    footer = f"{printable(report.organization)} · {title} {printable(std.version)} · {day(report.made_on, lang)}"
    pdf = Pages(footer, lang)
    pdf.add_page()
    _cover(pdf, report, lang, title)
    pdf.add_page()
    _scores(pdf, report, lang, draw)
    if report.peers is not None and report.peers.overall.percentile is not None:
        _peers(pdf, report, lang)
    if len(report.rounds) > 1:
        _trend(pdf, report, lang, draw)
    _plan(pdf, report, lang)
    _answers(pdf, report, lang)
    return bytes(pdf.output())


def _cover(pdf: Pages, report: Report, lang: str, title: str) -> None:
    pdf.para(label("brand", lang), size=9, bold=True, colour=BLUE)
    pdf.ln(14)
    pdf.para(label("report_title", lang), size=24, bold=True)
    pdf.ln(4)
    pdf.para(report.organization, size=17, bold=True, colour=BLUE)
    pdf.ln(2)
    pdf.para(label("standard_version", lang, title=title, version=printable(report.standard.version)), size=12)
    pdf.ln(6)
    pdf.field(label("made_on", lang), day(report.made_on, lang), indent=0)
    if report.round is not None:
        pdf.field(label("round", lang), str(report.round), indent=0)
    if report.final is not None:
        pdf.field(label("status", lang), report.status(lang), indent=0)
    pdf.field(label("based_on", lang), report.based_on(lang), indent=0)
    pdf.ln(10)
    verdict = report.result.verdict
    tone = TONES.get(verdict.code, BLUE)
    top = pdf.get_y()
    pdf.para(label("verdict_heading", lang), size=9, colour=GREY, indent=5)
    pdf.para(report.headline(lang), size=16, bold=True, colour=tone, indent=5)
    pdf.ln(1)
    pdf.para(report.why(lang), size=10.5, indent=5)
    if len(verdict.blocking) > 5:  # the sentence names five; the rest are listed
        pdf.ln(2)
        pdf.para(label("blocking_heading", lang), size=9.5, bold=True, indent=5)
        for cid in verdict.blocking:
            pdf.para(f"•  {report.title(cid, lang)}", size=9.5, indent=8)
    if pdf.page_no() == 1:  # the bar beside the verdict, when it did not run onto the next page
        pdf.set_fill_color(*tone)
        pdf.rect(pdf.l_margin, top, 1.8, pdf.get_y() - top, style="F")
    pdf.ln(10)
    r = report.result
    figures = [(label("overall", lang), percent(r.overall, lang)), (label("coverage", lang), percent(r.coverage, lang)),
               (label("open_actions", lang), str(len(r.actions)))]  # fmt: skip
    pdf.room(24)
    y = pdf.get_y()
    for i, (name, value) in enumerate(figures):
        x = pdf.l_margin + i * (WIDTH / 3)
        pdf.set_draw_color(200, 200, 200)
        pdf.rect(x, y, WIDTH / 3 - 4, 20)
        pdf.set_xy(x + 3, y + 2.5)
        pdf.set_font(FONT, size=8.5)
        pdf.set_text_color(*GREY)
        pdf.cell(WIDTH / 3 - 10, 5, name)
        pdf.set_xy(x + 3, y + 9)
        pdf.set_font(FONT, "B", 15)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(WIDTH / 3 - 10, 8, value)
    pdf.set_y(y + 24)
    if report.steps:
        pdf.ln(6)
        pdf.para(label("first_steps", lang), size=10.5, bold=True)
        pdf.ln(1)
        for step in report.steps[:3]:
            mark = f" [{label('mandatory', lang)}]" if step.mandatory else ""
            pdf.para(f"{step.rank}.  {report.title(step.criterion_id, lang)}{mark} · "
                     f"{label('impact_points', lang, points=decimal(step.impact * 100, lang))}", size=9.5, indent=3)  # fmt: skip
            pdf.ln(1)


def _scores(pdf: Pages, report: Report, lang: str, draw: Draw) -> None:
    pdf.heading(label("scores_heading", lang))
    domains = report.domains
    scored = domains.dropna(subset=["score"])
    if scored.empty:
        pdf.para(label("no_scores", lang))
        return
    pdf.para(label("scores_intro", lang), size=9, colour=GREY)
    pdf.ln(2)
    rows = [[label("col_domain", lang), label("col_score", lang), label("col_target", lang), label("col_gap", lang)]]
    for row in domains.itertuples():
        rows.append([report.domain_title(row.domain, lang), percent(row.score, lang), percent(row.target, lang),
                     percent(row.gap, lang)])  # fmt: skip
    pdf.grid(rows, (108, 24, 24, 24), ("LEFT", "RIGHT", "RIGHT", "RIGHT"))
    # A radar of fewer than three domains is a line, not a shape: the table says it better.
    figures = [radar_figure(report, lang)] if len(domains) >= 3 else []
    for figure in [*figures, gap_figure(report, lang)]:
        width, height = 820, int(figure.layout.height or 500)
        pdf.picture(draw(figure, width, height), label("chart_missing", lang), width, height)


def radar_figure(report: Report, lang: str) -> go.Figure:
    domains = report.domains
    scored = domains.dropna(subset=["score"])
    best = scored.loc[scored["score"].idxmax(), "domain"]
    median = _medians(report, list(domains["domain"]), "domains")
    fig = charts.radar([report.domain_title(d, lang) for d in domains["domain"]], domains["score"].tolist(),
                       domains["target"].tolist(), label("radar_title", lang, domain=report.domain_title(best, lang)),
                       label("current", lang), label("target", lang), median, label("median", lang))  # fmt: skip
    fig.update_layout(width=820, paper_bgcolor="white")
    return fig


def gap_figure(report: Report, lang: str) -> go.Figure:
    scored = report.domains.dropna(subset=["score"])
    largest = scored.loc[scored["gap"].idxmax()]
    title = (label("gap_title", lang, domain=report.domain_title(largest["domain"], lang)) if largest["gap"] > 0
             else label("gap_title_none", lang))  # fmt: skip
    fig = charts.gap_bars([report.domain_title(d, lang) for d in scored["domain"]], scored["gap"].tolist(), title,
                          label("gap_axis", lang), _medians(report, list(scored["domain"]), "gaps"),
                          label("median_gap", lang))  # fmt: skip
    fig.update_layout(width=820, paper_bgcolor="white")
    return fig


def _medians(report: Report, domain_ids: list[str], of: str) -> list[float | None] | None:
    peers = report.peers
    if peers is None or peers.overall.median is None:
        return None
    positions = peers.domains if of == "domains" else peers.gaps
    return [positions[d].median if d in positions else None for d in domain_ids]


def _peers(pdf: Pages, report: Report, lang: str) -> None:
    peers = report.peers
    assert peers is not None and peers.overall.percentile is not None
    pdf.heading(label("benchmark_heading", lang))
    pdf.para(label("benchmark_sentence", lang, share=percent(peers.overall.percentile / 100, lang),
                   cohort=peers.cohort.describe(lang), n=peers.overall.n))  # fmt: skip
    pdf.ln(2)
    rows = [[label("col_domain", lang), label("you", lang), label("higher_than", lang), label("median", lang),
             label("middle_half", lang)]]  # fmt: skip
    entries = [(label("overall", lang), peers.overall)] + [
        (report.domain_title(d.id, lang), peers.domains[d.id]) for d in report.standard.domains if d.id in peers.domains
    ]
    for name, p in entries:
        rows.append([name, percent(p.value, lang), "—" if p.percentile is None else percent(p.percentile / 100, lang),
                     percent(p.median, lang), "—" if p.q1 is None else f"{percent(p.q1, lang)} – {percent(p.q3, lang)}"])  # fmt: skip
    pdf.grid(rows, (72, 22, 28, 30, 28), ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))


def trend_change(report: Report, lang: str) -> str:
    """The overall score's change from the first scored round to the last, in words."""
    known = [r for r in report.rounds if r.overall is not None and not math.isnan(r.overall)]
    first = report.rounds[0].round
    if len(known) < 2:
        return label("trend_flat", lang, first=first)
    change = round((known[-1].overall - known[0].overall) * 100)
    key = "trend_up" if change > 0 else "trend_down" if change < 0 else "trend_flat"
    return label(key, lang, points=abs(change), first=known[0].round)


def _trend(pdf: Pages, report: Report, lang: str, draw: Draw) -> None:
    pdf.heading(label("trend_heading", lang))
    shown = list(report.rounds)[-5:]  # the last five rounds fit the page's width
    rows = [[""] + [label("round_label", lang, n=r.round) for r in shown]]
    rows.append([label("overall", lang)] + [percent(r.overall, lang) for r in shown])
    for domain in report.standard.domains:
        rows.append([report.domain_title(domain.id, lang)] + [percent(r.domains.get(domain.id), lang) for r in shown])
    rest = (WIDTH - 80) / len(shown)
    pdf.grid(rows, (80, *([rest] * len(shown))), ("LEFT", *(["RIGHT"] * len(shown))))
    names = {d.id: report.domain_title(d.id, lang) for d in report.standard.domains}
    fig = charts.trend([label("round_label", lang, n=r.round) for r in report.rounds],
                       [r.overall for r in report.rounds],
                       {names[d]: [r.domains.get(d) for r in report.rounds] for d in names},
                       label("trend_title", lang, change=trend_change(report, lang)), label("overall", lang))  # fmt: skip
    fig.update_layout(width=820, paper_bgcolor="white")
    height = int(fig.layout.height or 420)
    pdf.picture(draw(fig, 820, height), label("chart_missing", lang), 820, height)


def _plan(pdf: Pages, report: Report, lang: str) -> None:
    pdf.heading(label("plan_heading", lang))
    if not report.steps:
        pdf.para(label("no_actions", lang))
    else:
        pdf.para(label("plan_intro", lang), size=9, colour=GREY)
    std = report.standard
    for step in report.steps:
        pdf.room(22)
        pdf.ln(2.5)
        mark = f"  [{label('mandatory', lang)}]" if step.mandatory else ""
        pdf.para(f"{step.rank}. {report.title(step.criterion_id, lang)}{mark}", size=10.5, bold=True)
        facts = [report.domain_title(step.domain_id, lang),
                 label("level_now", lang, level=level_text(std, step.level, lang),
                       target=level_text(std, step.target, lang)),
                 label("impact_points", lang, points=decimal(step.impact * 100, lang))]  # fmt: skip
        pdf.para(" · ".join(facts), size=8.5, colour=GREY, indent=6)
        if step.next_level_text is not None and step.next_level != step.level:
            pdf.field(label("next_level", lang, level=level_text(std, step.next_level, lang)),
                      localize(step.next_level_text, lang))  # fmt: skip
        pdf.field(label("how_to", lang), localize(step.guidance, lang))
        pdf.field(label("proof", lang), "; ".join(localize(e, lang) for e in step.evidence))
        tracking = report.tracking.get(step.criterion_id)
        if tracking is not None:
            due = ""
            if tracking.due is not None:
                due = day(tracking.due, lang) + (
                    f" ({label('overdue', lang)})" if tracking.overdue(report.made_on) else ""
                )
            line = " · ".join(x for x in (
                f"{label('owner', lang)}: {printable(tracking.owner)}" if tracking.owner else "",
                f"{label('due', lang)}: {due}" if due else "",
                f"{label('status', lang)}: {status_text(tracking, lang)}",
            ) if x)  # fmt: skip
            pdf.para(line, size=9, bold=tracking.overdue(report.made_on), indent=6)
            pdf.field(label("tracking_note", lang), tracking.note)
    closed = report.closed()
    if closed:
        pdf.ln(3)
        pdf.para(label("closed_heading", lang), size=10.5, bold=True)
        for tracking in closed:
            pdf.para(f"✓  {report.title(tracking.criterion_id, lang)}: "
                     f"{label('closed_line', lang, round=tracking.closed_round)}", size=9, indent=4)  # fmt: skip


def _answers(pdf: Pages, report: Report, lang: str) -> None:
    pdf.add_page()
    pdf.heading(label("answers_heading", lang))
    std, criteria = report.standard, report.criteria
    for domain in std.domains:
        pdf.heading(report.domain_title(domain.id, lang), size=11.5)
        for criterion in domain.criteria:
            row = criteria.loc[criterion.id]
            answer = report.answers.get(criterion.id)
            pdf.room(14)
            pdf.ln(1.5)
            mark = f"  [{label('mandatory', lang)}]" if criterion.mandatory else ""
            pdf.para(f"{printable(criterion.id)} · {report.title(criterion.id, lang)}{mark}", size=9.5, bold=True)
            level = row["level"]
            if level is None:
                shown = label("unanswered", lang)
                if answer is not None and answer.level is not None:  # a proposal carried over, not yet confirmed
                    shown += f" ({label('proposal', lang)}: {level_text(std, answer.level, lang)})"
            else:
                shown = level_text(std, level, lang)
                target = level_text(std, int(row["target"]), lang)
                met = row["met"]
                shown += f" · {label('target', lang)} {target}"
                if not pd.isna(met):
                    shown += f" · {label('met', lang)}: {yes_no(bool(met), lang)}"
            pdf.field(label("level", lang), shown)
            if answer is not None:
                pdf.field(label("na_reason", lang), answer.justification if answer.is_na else "")
                pdf.field(label("note", lang), answer.note)
                pdf.field(label("evidence", lang), "\n".join(answer.evidence))
            documents = report.documents_of(criterion.id)
            if documents:
                pdf.field(
                    label("documents", lang), "\n".join(document_text(d, report.made_on, lang) for d in documents)
                )
