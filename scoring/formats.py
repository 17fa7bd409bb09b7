"""The research data package as files: CSV, CSV for an Indonesian Excel, xlsx, Parquet, Stata and a Data Package.

Every text cell goes through `scoring.export.safe_cell`, in every format, since any of them may end in a spreadsheet.
A release's disclosure statement (`Dataset.disclosure`) goes into every format: README.md and disclosure.json beside
the tables of the formats of several files, and inside the file too where the format has room (the xlsx sheet
"disclosure", the Data Package's "gapura:disclosure", the Parquet files' metadata)."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.dataset import KEYS, PANEL_TABLES, TABLES, Dataset, Disclosure
from scoring.export import safe_cell
from scoring.model import plain_text

FORMATS = ("csv", "csv-id", "xlsx", "parquet", "dta", "datapackage")
Progress = Callable[[float], None]
RULES_FILE = "scoring-rules.json"
DISCLOSURE_KEY = "gapura:disclosure"  # the Data Package property and the Parquet metadata key
CHUNK = 5000  # rows written between two progress reports
STATA_LABEL = 80
STATA_EPOCH = date(1960, 1, 1)  # Stata's day 0
# Stata stores coded text as numbers with value labels: these columns, coded 1, 2, … in the codebook's order.
CODED = ("readiness", "status", "origin")
# XML 1.0 cannot hold these at all (openpyxl refuses C0; U+FFFE/U+FFFF break the file), so an xlsx drops them.
_NOT_XML = re.compile("[\ufffe\uffff]")


def write(dataset: Dataset, fmt: str, folder: Path, progress: Progress | None = None) -> list[Path]:
    """The files of `dataset` in `fmt`, written into `folder` as they build (no table is held whole as text or
    bytes); `progress(fraction)` is called meanwhile. The paths written, in the package's order."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    steps = _Steps(dataset, progress)
    names = _WRITERS[fmt](dataset, steps, folder)
    if dataset.disclosure is not None and len(names) > 1:
        (folder / "README.md").write_text(_readme(dataset, dataset.disclosure), encoding="utf-8")
        (folder / "disclosure.json").write_bytes(_json(dataset.disclosure.as_json()))
        names += ["README.md", "disclosure.json"]
    steps.done()
    return [folder / name for name in names]


def render(dataset: Dataset, fmt: str, progress: Progress | None = None) -> dict[str, bytes]:
    """The files of `dataset` in `fmt` in memory (file name → content): for small packages; `write` streams."""
    with tempfile.TemporaryDirectory() as folder:
        return {path.name: path.read_bytes() for path in write(dataset, fmt, Path(folder), progress)}


class _Steps:
    """Progress in rows written, over every table of the dataset."""

    def __init__(self, dataset: Dataset, progress: Progress | None) -> None:
        self.report = progress or (lambda _: None)
        self.total = sum(len(dataset.table(t)) for t in dataset.tables) + len(dataset.codebook) or 1
        self.rows = 0

    def advance(self, rows: int) -> None:
        self.rows += rows
        self.report(min(self.rows / self.total, 0.99))

    def done(self) -> None:
        self.report(1.0)


def _tables(dataset: Dataset) -> Iterator[tuple[str, pd.DataFrame]]:
    yield from ((name, dataset.table(name)) for name in dataset.tables)
    yield "codebook", dataset.codebook


def _rules_file(dataset: Dataset, folder: Path) -> str:
    (folder / RULES_FILE).write_bytes(_json(dataset.rules))
    return RULES_FILE


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- The disclosure statement ------------------------------------------------------------------------------------


def _statement(d: Disclosure) -> dict[str, str]:
    """The statement's sentence in English and Indonesian."""
    when = d.released.isoformat()
    return {
        "en": f"Released with k = {d.k}: every combination of the quasi-identifiers below is shared by at least "
        f"{d.k} organizations. Release {d.release}, {when}.",
        "id": f"Dirilis dengan k = {d.k}: setiap kombinasi pengenal semu (quasi-identifier) di bawah ini dimiliki "
        f"sedikitnya {d.k} perusahaan. Rilis {d.release}, {when}.",
    }


def _suppressed(d: Disclosure, none: str) -> str:
    cells = [f"{column} {n}" for column, n in d.suppressed.items() if n]
    return ", ".join(cells) or none


def _readme(dataset: Dataset, d: Disclosure) -> str:
    """README.md of a release: what disclosure control was applied, in English then Indonesian."""
    title = dataset.rules["standard"]["title"]
    sentence = _statement(d)

    def cell(text: str) -> str:  # a Markdown table cell: one line, no column break
        return " ".join(text.split()).replace("|", "\\|")

    rows = [f"| {cell(q.column)} | {cell(q.en)} | {cell(q.id)} |" for q in d.quasi_identifiers]
    return "\n".join([
        f"# Gapura research data: {title['en']} {dataset.standard_version}",
        f"# Data riset Gapura: {title['id']} {dataset.standard_version}",
        "",
        "## Disclosure control",
        "",
        sentence["en"],
        f"Suppressed cells (left empty): {_suppressed(d, 'none')}.",
        "",
        "## Kontrol pengungkapan",
        "",
        sentence["id"],
        f"Sel yang disembunyikan (dikosongkan): {_suppressed(d, 'tidak ada')}.",
        "",
        "| column / kolom | how it was generalised | cara digeneralisasi |",
        "|---|---|---|",
        *(rows or ["| – | none / tidak ada | – |"]),
        "",
        "The same statement as data: disclosure.json. Pernyataan yang sama sebagai data: disclosure.json.",
        "",
    ])  # fmt: skip


# --- CSV ---------------------------------------------------------------------------------------------------------


def _csv(dataset: Dataset, steps: _Steps, folder: Path, delimiter: str = ",", decimal: str = ".",
         bom: bool = False) -> list[str]:  # fmt: skip
    names = [
        _csv_file(frame, steps, folder / f"{name}.csv", delimiter, decimal, bom) for name, frame in _tables(dataset)
    ]
    return [*names, _rules_file(dataset, folder)]


def _csv_id(dataset: Dataset, steps: _Steps, folder: Path) -> list[str]:
    # Excel in an Indonesian locale splits on ";" and reads "0,5" as a number; the BOM tells it the file is UTF-8.
    return _csv(dataset, steps, folder, delimiter=";", decimal=",", bom=True)


def _csv_file(frame: pd.DataFrame, steps: _Steps, path: Path, delimiter: str, decimal: str, bom: bool) -> str:
    """RFC 4180 with CRLF, as scoring/export.py: the csv module then quotes every cell holding a CR or LF."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(frame.columns)
        for start in range(0, len(frame), CHUNK):
            part = frame.iloc[start : start + CHUNK]
            writer.writerows(zip(*(_csv_cells(part[c], decimal) for c in frame.columns), strict=True))
            steps.advance(len(part))
    return path.name


def _csv_cells(series: pd.Series, decimal: str) -> list[str]:
    """Booleans as true/false, numbers in full precision without an exponent, missing as empty, text made safe."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _per_distinct(series, lambda v: "true" if v else "false", "")
    if pd.api.types.is_integer_dtype(dtype):
        return _per_distinct(series, str, "")
    if pd.api.types.is_float_dtype(dtype):
        return _per_distinct(series, lambda v: _number(v, decimal), "")
    return _per_distinct(series, lambda v: _safe_cached(str(v)), "")


def _per_distinct(series: pd.Series, convert: Callable[[Any], Any], missing: Any) -> list[Any]:
    """`convert` of every cell, computed once per distinct value (a column of 250,000 rows holds a few hundred:
    levels, weights, cohort fields, ids), `missing` where the cell is missing."""
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    converted = np.array([convert(v) for v in distinct] + [missing], dtype=object)
    return converted[codes].tolist()  # code -1, a missing cell, takes the last entry


@functools.lru_cache(maxsize=4096)
def _safe_cached(text: str) -> str:
    return safe_cell(text)


def _number(value: float, decimal: str) -> str:
    if np.isnan(value):
        return ""
    # Shortest digits that read back as the same float, positional so every spreadsheet reads it as a number.
    text = np.format_float_positional(value, unique=True, trim="-")
    return text.replace(".", decimal)


def _missing(value: Any) -> bool:
    # Text cells are str or a missing marker; pd.isna is only asked about the rest, as it is slow per value.
    return not isinstance(value, str) and (value is None or bool(pd.isna(value)))


# --- xlsx --------------------------------------------------------------------------------------------------------


def _xlsx(dataset: Dataset, steps: _Steps, folder: Path) -> list[str]:
    """One workbook: the disclosure statement (when released with one), each table, the codebook and the rules.
    Written as SpreadsheetML by hand, row by row into the zip: each column's distinct values are turned into cells
    once (a library writing cell by cell spent 5 µs on each of millions of cells), text always as shared text (never
    a formula, a link or a number)."""
    book = _Workbook(folder / XLSX_FILE)
    with book:
        if dataset.disclosure is not None:
            book.sheet("disclosure", _disclosure_rows(dataset.disclosure))
        for name, frame in _tables(dataset):
            book.table(name, frame, {c for c, kind in _kinds(dataset, name).items() if kind == "date"}, steps)
        book.sheet("rules", [["key", "value"], *([_xlsx_text(key), value] for key, value in _flatten(dataset.rules))])
    return [XLSX_FILE]


def _disclosure_rows(d: Disclosure) -> list[list[Any]]:
    """The statement as the workbook's first sheet: the sentence, the release, each quasi-identifier, suppressions."""
    sentence = _statement(d)
    return [
        [sentence["en"]], [sentence["id"]], [],
        ["release", d.release], ["released", d.released.isoformat()], ["k", d.k], [],
        ["quasi-identifier", "how it was generalised", "cara digeneralisasi"],
        *([q.column, q.en, q.id] for q in d.quasi_identifiers), [],
        ["suppressed cells", "cells"], *([column, n] for column, n in d.suppressed.items()),
    ]  # fmt: skip


class _Workbook:
    """An xlsx file (Office Open XML) written sheet by sheet. Cells go without their reference: each takes the next
    column of its row (ECMA-376 makes `r` optional), so an empty one is written as `<c/>`. That halves the XML to
    compress, most of the time spent."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.strings: dict[str, int] = {}
        self.sheets: list[str] = []

    def __enter__(self) -> _Workbook:
        return self

    def __exit__(self, *failed: object) -> None:
        if not failed[0]:
            self._close()
        self.archive.close()

    def text(self, value: str) -> str:
        index = self.strings.setdefault(value, len(self.strings))
        return f'<c t="s"><v>{index}</v></c>'

    def cell(self, value: Any) -> str:
        """A cell's XML: empty, a boolean, a number or shared text."""
        if value is None:
            return EMPTY
        if isinstance(value, bool):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"<c><v>{_xlsx_number(value)}</v></c>"
        return self.text(_xlsx_text(str(value)))

    def sheet(self, name: str, rows: list[list[Any]]) -> None:
        with self._sheet(name, len(rows), max(map(len, rows)), frozen=False) as out:
            for row, values in enumerate(rows, start=1):
                out.write(f'<row r="{row}">{"".join(self.cell(v) for v in values)}</row>')

    def table(self, name: str, frame: pd.DataFrame, dates: set[str], steps: _Steps) -> None:
        with self._sheet(name, len(frame) + 1, len(frame.columns), frozen=True) as out:
            out.write(f'<row r="1">{"".join(self.text(str(c)) for c in frame.columns)}</row>')
            columns = [self._cells(frame[c], c in dates) for c in frame.columns]
            for start in range(0, len(frame), CHUNK):
                rows = zip(*(column[start : start + CHUNK] for column in columns), strict=True)
                out.write(
                    "".join(f'<row r="{row}">{"".join(cells)}</row>' for row, cells in enumerate(rows, start + 2))
                )
                steps.advance(min(CHUNK, len(frame) - start))

    def _cells(self, series: pd.Series, date_column: bool) -> list[str]:
        """Each cell of a column as XML, computed once per distinct value."""
        dtype = series.dtype
        if date_column:
            return _per_distinct(series, _xlsx_date, EMPTY)
        if pd.api.types.is_bool_dtype(dtype):
            return _per_distinct(series, lambda v: self.cell(bool(v)), EMPTY)
        if pd.api.types.is_integer_dtype(dtype):
            return _per_distinct(series, lambda v: self.cell(int(v)), EMPTY)
        if pd.api.types.is_float_dtype(dtype):
            return _per_distinct(series, lambda v: self.cell(float(v)), EMPTY)
        return _per_distinct(series, lambda v: self.text(_xlsx_text(str(v))), EMPTY)

    @contextlib.contextmanager
    def _sheet(self, name: str, rows: int, columns: int, frozen: bool) -> Iterator[io.TextIOWrapper]:
        self.sheets.append(name)
        entry = self.archive.open(f"xl/worksheets/sheet{len(self.sheets)}.xml", "w", force_zip64=True)
        with io.TextIOWrapper(entry, encoding="utf-8", newline="") as out:
            # The used range, which readers that stream a sheet take its width from
            out.write(f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1:{_column(columns - 1)}'
                      f'{max(rows, 1)}"/><sheetViews><sheetView workbookViewId="0">{FROZEN if frozen else ""}'
                      "</sheetView></sheetViews><sheetData>")  # fmt: skip
            yield out
            out.write("</sheetData></worksheet>")

    def _close(self) -> None:
        strings = "".join(f'<si><t xml:space="preserve">{_xml_text(s)}</t></si>' for s in self.strings)
        sheets = range(1, len(self.sheets) + 1)
        package = f"{PACKAGE}/relationships"
        parts = {
            "[Content_Types].xml": f'{XML}<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>'
                      for i in sheets)
            + f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/></Types>',
            "_rels/.rels": f'{XML}<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            + "".join(f'<sheet name="{_xml_text(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in zip(sheets, self.sheets, strict=True))
            + "</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{package}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in sheets)
            + f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{len(self.sheets) + 2}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
            "xl/styles.xml": STYLES,
            "xl/sharedStrings.xml": f'{XML}<sst xmlns="{MAIN}" count="{len(self.strings)}" '
            f'uniqueCount="{len(self.strings)}">{strings}</sst>',
        }  # fmt: skip
        for name, xml in parts.items():
            self.archive.writestr(name, xml)


XLSX_FILE = "gapura-research.xlsx"
EMPTY = "<c/>"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
FROZEN = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
# Style 0 is the default; style 1 shows a date as yyyy-mm-dd (a date is a number of days, as Excel keeps it).
STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (counting its 1900 leap day)
# Excel reads "_x0041_" in text as an escaped "A": a literal one keeps its underscore escaped ("_x005F_").
_EXCEL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")


def _column(index: int) -> str:
    """A column's letters: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_date(iso: str) -> str:
    return f'<c s="1"><v>{(date.fromisoformat(iso) - EXCEL_EPOCH).days}</v></c>'


def _xlsx_number(value: float) -> str:
    """The shortest digits that read back as the same number; a whole number without a point, as Excel writes it."""
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        return repr(value)
    return str(int(value))


def _xml_text(value: str) -> str:
    return _EXCEL_ESCAPE.sub(r"_x005F\1", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=4096)
def _xlsx_text(value: str) -> str:
    """Text as Gapura stores it (scoring.model.plain_text: no control character but tab and LF), which XML holds;
    cleaned before safe_cell so that a removed character cannot bring a formula character to the front."""
    return safe_cell(_NOT_XML.sub("", plain_text(value)))


def _flatten(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{key}.{k}" if key else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _flatten(v, f"{key}[{i}]")
    else:
        yield key, value


# --- Parquet -----------------------------------------------------------------------------------------------------


def _parquet(dataset: Dataset, steps: _Steps, folder: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32()}  # fmt: skip
    names = []
    for name in dataset.tables:
        frame = _safe_frame(dataset.table(name))
        kinds = _kinds(dataset, name)
        for column in (c for c, kind in kinds.items() if kind == "date"):
            frame[column] = _objects(_per_distinct(frame[column], date.fromisoformat, None), frame.index)
        described = _descriptions(dataset, name)
        # Every column's type from the codebook, not guessed from the values: a file of drafts only, or of no rows,
        # has the same schema as any other (a column of missing values would otherwise be typed null or double).
        schema = pa.schema([pa.field(c, arrow[kinds[c]], metadata=described[c]) for c in frame.columns])
        if dataset.disclosure is not None:
            schema = schema.with_metadata({DISCLOSURE_KEY: json.dumps(dataset.disclosure.as_json())})
        pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), folder / f"{name}.parquet")
        names.append(f"{name}.parquet")
        steps.advance(len(frame))
    codebook = _csv_file(dataset.codebook, steps, folder / "codebook.csv", ",", ".", bom=False)
    return [*names, codebook, _rules_file(dataset, folder)]


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell made safe for a spreadsheet; other columns untouched."""
    frame = frame.copy()
    for column in frame.columns:
        if not _plain_dtype(frame[column].dtype):
            # An object column: turning 250,000 Python strings back into an Arrow column would cost more than all
            # the rest; the writers convert it once.
            frame[column] = _objects(_per_distinct(frame[column], lambda v: _safe_cached(str(v)), None), frame.index)
    return frame


def _objects(values: list[Any], index: pd.Index) -> pd.Series:
    """A column of Python objects as given (pandas would type a list of no values as float)."""
    return pd.Series(np.array(values, dtype=object), index=index, dtype=object)


def _kinds(dataset: Dataset, table: str) -> dict[str, str]:
    """Each column of `table` → its codebook type (string, integer, number, boolean, date)."""
    rows = dataset.codebook[dataset.codebook["table"] == table]
    return dict(zip(rows["name"], rows["type"], strict=True))


def _plain_dtype(dtype: Any) -> bool:
    return any(
        f(dtype) for f in (pd.api.types.is_bool_dtype, pd.api.types.is_integer_dtype, pd.api.types.is_float_dtype)
    )


def _descriptions(dataset: Dataset, table: str) -> dict[str, dict[str, str]]:
    rows = dataset.codebook[dataset.codebook["table"] == table]
    return {r.name: {"description_en": r.description_en, "description_id": r.description_id} for r in rows.itertuples()}


# --- Stata -------------------------------------------------------------------------------------------------------


def _dta(dataset: Dataset, steps: _Steps, folder: Path) -> list[str]:
    import pyreadstat

    names = []
    for name in dataset.tables:
        frame, value_labels, formats = _stata_frame(dataset, name)
        labels = {r.name: _short(r.description_en) for r in dataset.codebook.itertuples() if r.table == name}
        pyreadstat.write_dta(
            frame, folder / f"{name}.dta",
            file_label=_short(f"Gapura {dataset.standard_id} {dataset.standard_version}: {name}"),
            column_labels=labels, variable_value_labels=value_labels, variable_format=formats,
        )  # fmt: skip
        names.append(f"{name}.dta")
        steps.advance(len(frame))
    codebook = _csv_file(dataset.codebook, steps, folder / "codebook.csv", ",", ".", bom=False)
    return [*names, codebook, _rules_file(dataset, folder)]


def _stata_frame(dataset: Dataset, table: str) -> tuple[pd.DataFrame, dict[str, dict[int, str]], dict[str, str]]:
    """Stata has no booleans and labels only numbers: flags become 0/1 and codes 1, 2, …, each with its labels;
    dates become Stata dates (days since 1960, format %td). Also returns the labels and the display formats."""
    frame = _safe_frame(dataset.table(table))
    codebook = dataset.codebook[dataset.codebook["table"] == table].set_index("name")
    labels: dict[str, dict[int, str]] = {}
    formats: dict[str, str] = {}
    for column in frame.columns:
        kind, values = codebook.loc[column, "type"], codebook.loc[column, "values"]
        if kind == "boolean":
            frame[column] = frame[column].astype("boolean").astype("Float64").astype(float)
            labels[column] = {0: "false", 1: "true"}
        elif column in CODED:
            codes = {v: i for i, v in enumerate(values.split(";"), start=1)}
            frame[column] = frame[column].map(codes).astype(float)
            labels[column] = {i: v for v, i in codes.items()}
        elif kind == "integer" and frame[column].isna().any():
            frame[column] = frame[column].astype("Float64").astype(float)  # Stata's missing number is a float's
        elif kind == "date":
            # As numbers with their format, not date objects: pyreadstat guesses a column's type from its first 100
            # values and takes one that starts with 100 missing dates (drafts) for text, then fails on the dates.
            frame[column] = np.array(_per_distinct(frame[column], _stata_day, np.nan), dtype=float)
            formats[column] = "%td"
        elif kind == "string":
            # Stata's only missing text is "" (and pyreadstat refuses None next to long strL text).
            frame[column] = _objects(_per_distinct(frame[column], str, ""), frame.index)
    return frame, labels, formats


def _stata_day(iso: str) -> float:
    return float((date.fromisoformat(iso) - STATA_EPOCH).days)


def _short(text: str) -> str:
    """A description as a Stata label: 80 characters at most, cut at a word."""
    if len(text) <= STATA_LABEL:
        return text
    return text[: STATA_LABEL - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- Frictionless Data Package -----------------------------------------------------------------------------------


def _datapackage(dataset: Dataset, steps: _Steps, folder: Path) -> list[str]:
    names = _csv(dataset, steps, folder)
    resources = [_resource(dataset, name) for name in dataset.tables]
    resources.append(
        {
            "name": "codebook",
            "path": "codebook.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": CODEBOOK_SCHEMA,
        }  # fmt: skip
    )
    resources.append({"name": "scoring-rules", "path": RULES_FILE, "format": "json", "mediatype": "application/json"})
    title = dataset.rules["standard"]["title"]["en"]
    package = {
        "profile": "data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", f"gapura-{dataset.standard_id}-{dataset.standard_version}".lower()),
        "title": f"Gapura self-assessments: {title} {dataset.standard_version}",
        "description": "Pseudonymous self-assessment results of event organizers against one standard version; "
        "how every score is computed is in scoring-rules.json.",
        "resources": resources,
    }
    if dataset.disclosure is not None:
        package[DISCLOSURE_KEY] = dataset.disclosure.as_json()
    (folder / "datapackage.json").write_bytes(_json(package))
    return [*names, "datapackage.json"]


def _resource(dataset: Dataset, table: str) -> dict[str, Any]:
    rows = dataset.codebook[dataset.codebook["table"] == table]
    schema: dict[str, Any] = {
        "fields": [_field(r) for r in rows.itertuples()],
        "missingValues": [""],
        "primaryKey": KEYS[table],
    }
    if table == "tidy":
        schema["foreignKeys"] = [
            {"fields": KEYS["wide"], "reference": {"resource": "wide", "fields": KEYS["wide"]}},
            {"fields": ["criterion"], "reference": {"resource": "criteria", "fields": ["criterion"]}},
        ]
    return {
        "name": table, "path": f"{table}.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
    }  # fmt: skip


def _field(row: Any) -> dict[str, Any]:
    """A Table Schema field from its codebook row: type, description and constraints."""
    field: dict[str, Any] = {"name": row.name, "type": row.type, "description": row.description_en}
    if row.type == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    constraints: dict[str, Any] = {}
    if row.required:
        constraints["required"] = True
    if row.type == "string" and row.values:
        constraints["enum"] = row.values.split(";")
    cast = int if row.type == "integer" else float
    for bound in ("minimum", "maximum"):
        value = getattr(row, bound)
        if not _missing(value):
            constraints[bound] = cast(value)
    if constraints:
        field["constraints"] = constraints
    return field


CODEBOOK_SCHEMA = {
    "fields": [
        {"name": "name", "type": "string", "description": "Column name", "constraints": {"required": True}},
        {"name": "table", "type": "string", "description": "Table the column is in",
         "constraints": {"required": True, "enum": [*TABLES, *PANEL_TABLES]}},
        {"name": "type", "type": "string", "description": "Table Schema type",
         "constraints": {"enum": ["string", "integer", "number", "boolean", "date"]}},
        {"name": "required", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"],
         "description": "The column is never empty"},
        {"name": "values", "type": "string", "description": "Allowed values, separated by semicolons"},
        {"name": "minimum", "type": "number", "description": "Smallest allowed value"},
        {"name": "maximum", "type": "number", "description": "Largest allowed value"},
        {"name": "unit", "type": "string", "description": "Unit"},
        {"name": "description_en", "type": "string", "description": "What the column holds, in English"},
        {"name": "description_id", "type": "string", "description": "What the column holds, in Indonesian"},
        {"name": "computed_en", "type": "string", "description": "How it is computed (docs/scoring.md), in English"},
        {"name": "computed_id", "type": "string", "description": "How it is computed, in Indonesian"},
    ],
    "missingValues": [""],
    "primaryKey": ["table", "name"],
}  # fmt: skip

_WRITERS: dict[str, Callable[[Dataset, _Steps, Path], list[str]]] = {
    "csv": _csv,
    "csv-id": _csv_id,
    "xlsx": _xlsx,
    "parquet": _parquet,
    "dta": _dta,
    "datapackage": _datapackage,
}
