"""The results for people, in the user's language: a workbook (scores, every criterion, the action plan with its
tracking) and a CSV of every criterion with the overall score and verdict beside each row. Headers in that language,
Ya/Tidak, percentages as percentages; every text goes through scoring.export.safe_cell (formula-safe). The machine
CSV for researchers is scoring/formats.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from reports.report import Report, document_text, label, level_text, printable, status_text, yes_no
from scoring.export import safe_cell
from scoring.formatting import day, decimal, percent
from scoring.model import NA, localize

# How a value of each kind is written: in the CSV as text in the language's format, in the workbook as a number with
# a number format (so that it still sorts and sums).
TEXT, WHOLE, PERCENT, POINTS, YESNO, DAY = "text", "whole", "percent", "points", "yesno", "day"
DECIMAL = "decimal"  # a plain number with two decimals (a mean in levels, a change in points)
# Excel's locale codes for month names in dates: Indonesian and British English.
DATE_LOCALE = {"id": "[$-421]", "en": "[$-809]"}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def criteria_table(report: Report, lang: str) -> tuple[list[tuple[str, str]], list[list[Any]]]:
    """Every criterion in the standard's order: its (header, kind) columns and rows of plain values."""
    std, criteria = report.standard, report.criteria
    rank = {cid: i + 1 for i, cid in enumerate(report.result.actions)}
    columns = [("col_code", TEXT), ("col_criterion", TEXT), ("col_domain", TEXT), ("col_mandatory", YESNO),
               ("col_level", WHOLE), ("col_level_label", TEXT), ("col_target", WHOLE), ("col_met", YESNO),
               ("col_score", PERCENT), ("col_gap", PERCENT), ("col_impact", POINTS), ("col_rank", WHOLE),
               ("col_note", TEXT), ("col_na_reason", TEXT), ("col_evidence", TEXT), ("col_documents", TEXT)]  # fmt: skip
    rows = []
    for domain, criterion in report.pairs:
        row = criteria.loc[criterion.id]
        answer = report.answers.get(criterion.id)
        level = row["level"]
        shown_level = "" if level is None else label("na", lang) if level == NA else int(level)
        label_text = "" if level in (None, NA) else printable(std.scale.label(int(level), lang))
        rows.append([
            criterion.id, report.title(criterion.id, lang), report.domain_title(domain.id, lang), criterion.mandatory,
            shown_level, label_text, int(row["target"]), None if pd.isna(row["met"]) else bool(row["met"]),
            row["score"], row["gap"], row["impact"], rank.get(criterion.id),
            answer.note if answer else "", answer.justification if answer and answer.is_na else "",
            "\n".join(answer.evidence) if answer else "",
            "\n".join(document_text(d, report.made_on, lang) for d in report.documents_of(criterion.id)),
        ])  # fmt: skip
    return columns, rows


def plan_table(report: Report, lang: str) -> tuple[list[tuple[str, str]], list[list[Any]]]:
    """The action plan in its order with what the company tracks on each step; then the steps that closed by
    themselves."""
    std = report.standard
    columns = [("col_rank", WHOLE), ("col_code", TEXT), ("col_criterion", TEXT), ("col_domain", TEXT),
               ("col_mandatory", YESNO), ("col_level", TEXT), ("col_target", TEXT), ("col_impact", POINTS),
               ("col_next_level", TEXT), ("col_how_to", TEXT), ("col_owner", TEXT), ("col_due", DAY),
               ("col_plan_status", TEXT), ("col_overdue", YESNO), ("col_plan_note", TEXT), ("col_closed", WHOLE)]  # fmt: skip
    rows = []
    for step in report.steps:
        tracking = report.tracking.get(step.criterion_id)
        next_text = localize(step.next_level_text, lang) if step.next_level != step.level else ""
        rows.append([
            step.rank, step.criterion_id, report.title(step.criterion_id, lang),
            report.domain_title(step.domain_id, lang), step.mandatory, level_text(std, step.level, lang),
            level_text(std, step.target, lang), step.impact,
            f"{level_text(std, step.next_level, lang)}: {next_text}" if next_text else "",
            localize(step.guidance, lang), tracking.owner if tracking else "", tracking.due if tracking else None,
            status_text(tracking, lang) if tracking else "",
            tracking.overdue(report.made_on) if tracking else None, tracking.note if tracking else "", None,
        ])  # fmt: skip
    for tracking in report.closed():
        domain = next((d for d, c in report.pairs if c.id == tracking.criterion_id), None)
        rows.append([
            None, tracking.criterion_id, report.title(tracking.criterion_id, lang),
            report.domain_title(domain.id, lang) if domain else "", None, "", "", None, "", "", tracking.owner,
            tracking.due, status_text(tracking, lang), False, tracking.note, tracking.closed_round,
        ])  # fmt: skip
    return columns, rows


def summary(report: Report, lang: str) -> dict[str, tuple[Any, str]]:
    """The cover of the results, by label key: (value, kind)."""
    std = report.standard
    return {
        "col_organization": (report.organization, TEXT),
        "col_standard": (localize(std.title, lang), TEXT),
        "col_version": (std.version, TEXT),
        "col_round": (report.round, WHOLE),
        "col_status": (report.status(lang), TEXT),
        "based_on": (report.based_on(lang), TEXT),
        "made_on": (report.made_on, DAY),
        "col_overall": (report.result.overall, PERCENT),
        "col_coverage": (report.result.coverage, PERCENT),
        "col_verdict": (report.headline(lang), TEXT),
        "col_why": (report.why(lang), TEXT),
    }


def _shown(value: Any, kind: str, lang: str) -> str:
    """A value as the CSV writes it, in the language's format."""
    if _missing(value) or value == "":
        return ""
    if kind == PERCENT:
        return percent(float(value), lang)
    if kind == POINTS:
        return decimal(float(value) * 100, lang)
    if kind == YESNO:
        return yes_no(bool(value), lang)
    if kind == DAY:
        return day(value, lang)
    return safe_cell(printable(value))


def people_csv(report: Report, lang: str) -> bytes:
    """Every criterion, with the organization, standard, round, overall score and verdict as leading columns.
    Indonesian: semicolons between cells, as an Excel set to Indonesian expects where the comma is the decimal mark."""
    cover = summary(report, lang)
    lead = [(label(key, lang), _shown(*cover[key], lang))
            for key in ("col_organization", "col_standard", "col_version", "col_round", "col_overall", "col_verdict")]  # fmt: skip
    columns, rows = criteria_table(report, lang)
    out = io.StringIO()
    # "\r\n" (RFC 4180): the csv module then quotes every cell holding a CR or LF (scoring/export.py to_csv).
    writer = csv.writer(out, delimiter=";" if lang == "id" else ",", lineterminator="\r\n")
    writer.writerow([name for name, _ in lead] + [label(key, lang) for key, _ in columns])
    for row in rows:
        writer.writerow([value for _, value in lead] + [_shown(v, kind, lang) for v, (_, kind) in zip(row, columns, strict=True)])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark: Excel shows Indonesian text correctly


def workbook(report: Report, lang: str) -> bytes:
    """The results workbook: scores (overall, verdict, domains), every criterion, the action plan."""
    buffer = io.BytesIO()
    book = new_book(buffer)
    formats = book_formats(book, lang)
    write = cell_writer(formats, lang)

    sheet = book.add_worksheet(label("sheet_scores", lang)[:31])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 3, 16)
    cover = summary(report, lang)
    for r, (key, (value, kind)) in enumerate(cover.items()):
        sheet.write_string(r, 0, label(key, lang), formats["head"])
        write(sheet, r, 1, value, kind)
    sheet.set_column(1, 1, 60)
    top = len(cover) + 1
    for c, key in enumerate(("col_domain", "col_score", "col_target", "col_gap")):
        sheet.write_string(top, c, label(key, lang), formats["head"])
    for r, row in enumerate(report.domains.itertuples(), start=top + 1):
        write(sheet, r, 0, report.domain_title(row.domain, lang), TEXT)
        for c, value in enumerate((row.score, row.target, row.gap), start=1):
            write(sheet, r, c, value, PERCENT)

    for name, (columns, rows), widths in (
        ("sheet_criteria", criteria_table(report, lang), {1: 48, 2: 26, 12: 48, 13: 30, 14: 36, 15: 36}),
        ("sheet_plan", plan_table(report, lang), {2: 48, 3: 26, 8: 48, 9: 60, 14: 40}),
    ):
        sheet = book.add_worksheet(label(name, lang)[:31])
        for c, (key, _) in enumerate(columns):
            sheet.write_string(0, c, label(key, lang), formats["head"])
            sheet.set_column(c, c, widths.get(c, 12))
        for r, row in enumerate(rows, start=1):
            for c, (value, (_, kind)) in enumerate(zip(row, columns, strict=True)):
                write(sheet, r, c, value, kind)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def new_book(buffer: io.BytesIO) -> Any:
    """An in-memory workbook that keeps every text as text (never a formula, a link or a number)."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})  # fmt: skip


def book_formats(book: Any, lang: str) -> dict[str, Any]:
    """The cell formats of each kind of value, a header and a title."""
    return {
        TEXT: book.add_format({"text_wrap": True, "valign": "top"}),
        WHOLE: book.add_format({"num_format": "0", "valign": "top"}),
        PERCENT: book.add_format({"num_format": "0%", "valign": "top"}),
        POINTS: book.add_format({"num_format": "0.0", "valign": "top"}),
        DECIMAL: book.add_format({"num_format": "0.00", "valign": "top"}),
        YESNO: book.add_format({"valign": "top"}),
        DAY: book.add_format(
            {"num_format": DATE_LOCALE.get(lang, "") + "d mmmm yyyy", "valign": "top", "align": "left"}
        ),  # fmt: skip
        "head": book.add_format({"bold": True, "bg_color": "#E8F0F8", "text_wrap": True, "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 13}),
    }


def cell_writer(formats: dict[str, Any], lang: str) -> Callable[[Any, int, int, Any, str], None]:
    def write(sheet: Any, row: int, col: int, value: Any, kind: str) -> None:
        if _missing(value) or value == "":
            return
        if kind == YESNO:
            sheet.write_string(row, col, yes_no(bool(value), lang), formats[YESNO])
        elif kind == DAY and isinstance(value, date):
            sheet.write_datetime(row, col, value, formats[DAY])
        elif kind in (WHOLE, PERCENT, POINTS, DECIMAL) and not isinstance(value, str):
            sheet.write_number(row, col, float(value) * (100 if kind == POINTS else 1), formats[kind])
        else:  # text, and a level given as text ("N/A")
            sheet.write_string(row, col, safe_cell(printable(value)), formats[TEXT])

    return write
