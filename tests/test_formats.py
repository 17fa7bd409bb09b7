import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import frictionless
import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.dataset import Dataset, Disclosure, Generalised, build_dataset
from scoring.engine import answers_frame, score
from scoring.export import FORMULA_START, safe_cell
from scoring.formats import FORMATS, render
from scoring.model import Standard, plain_text
from tests.research import ANSWERS, NOTES, SOURCE, dataset, meta, tiny

BOTH_TABLES = ("csv", "csv-id", "xlsx", "parquet", "dta")
_AFTER_BREAK = re.compile("[\r\n][" + re.escape("".join(FORMULA_START)) + "]")


def _write(files: dict[str, bytes], folder: Path) -> Path:
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def _read(fmt: str, files: dict[str, bytes], folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """tidy, wide and the rules as a researcher would load them, flags as bools and codes as text."""
    rules = json.loads(files["scoring-rules.json"]) if fmt != "xlsx" else None
    if fmt in ("csv", "csv-id"):
        options = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"} if fmt == "csv-id" else {}
        tidy, wide = (
            pd.read_csv(io.BytesIO(files[f"{t}.csv"]), true_values=["true"], false_values=["false"], **options)
            for t in ("tidy", "wide")
        )
    elif fmt == "xlsx":
        sheets = pd.read_excel(io.BytesIO(files["gapura-research.xlsx"]), sheet_name=None)
        rules = _rules_sheet(sheets)  # the workbook is the whole package: its rules sheet
        tidy, wide = sheets["tidy"], sheets["wide"]
    elif fmt == "parquet":
        tidy, wide = (pd.read_parquet(io.BytesIO(files[f"{t}.parquet"])) for t in ("tidy", "wide"))
    else:
        _write(files, folder)
        tidy, wide = (pyreadstat.read_dta(folder / f"{t}.dta", apply_value_formats=True)[0] for t in ("tidy", "wide"))
    for column in ("na", "mandatory"):
        tidy[column] = tidy[column].isin([True, "true"])
    return tidy, wide, rules


def _rules_sheet(sheets: dict[str, pd.DataFrame]) -> dict:
    values = dict(zip(sheets["rules"]["key"], sheets["rules"]["value"], strict=True))
    top = int(values["scale.top"])
    readiness = {k: float(values[f"readiness.{k}"]) for k in ("ready", "progressing", "tolerance")}
    domains = []
    i = 0
    while f"domains[{i}].id" in values:
        domains.append({"id": values[f"domains[{i}].id"], "column": values[f"domains[{i}].column"]})
        i += 1
    return {"scale": {"top": top}, "readiness": readiness, "domains": domains}


def _recompute(tidy: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """scoring.md rules 1–4 and 7 from the tidy columns alone, with the thresholds of scoring-rules.json."""
    top, ready = rules["scale"]["top"], rules["readiness"]
    column = {d["id"]: d["column"] for d in rules["domains"]}
    rows = {}
    for key, group in tidy.groupby(["organization", "round"]):
        level = pd.to_numeric(group["level"], errors="coerce").to_numpy(dtype=float)
        scored = ~np.isnan(level)
        answered = scored | group["na"].to_numpy()
        weight, target = group["weight"].to_numpy(float), group["target"].to_numpy(float)
        row, total, weights = {}, 0.0, 0.0
        for domain, in_domain in group.groupby("domain", sort=False).groups.items():
            mask = group.index.isin(in_domain) & scored
            name = column[domain]
            if not mask.any():
                row[name] = np.nan
                continue
            row[name] = (weight[mask] * level[mask] / top).sum() / weight[mask].sum()
            domain_weight = float(group.loc[in_domain, "domain_weight"].iloc[0])
            total, weights = total + domain_weight * row[name], weights + domain_weight
        overall = total / weights if weights else np.nan
        coverage = answered.mean()
        blocked = (group["mandatory"].to_numpy() & scored & (np.nan_to_num(level, nan=-1) < target)).any()
        if coverage < 1 or not scored.any():
            verdict = "incomplete"
        elif blocked:
            verdict = "not-ready"
        elif overall + ready["tolerance"] >= ready["ready"]:
            verdict = "ready"
        elif overall + ready["tolerance"] >= ready["progressing"]:
            verdict = "progressing"
        else:
            verdict = "early"
        rows[key] = row | {"overall": overall, "coverage": coverage, "readiness": verdict}
    return pd.DataFrame.from_dict(rows, orient="index")


@pytest.mark.parametrize("fmt", BOTH_TABLES)
def test_tidy_read_back_reproduces_the_wide_scores(fmt, tmp_path):
    files = render(dataset(), fmt)
    tidy, wide, rules = _read(fmt, files, tmp_path)
    again = _recompute(tidy, rules)
    wide = wide.set_index(["organization", "round"])
    assert len(wide) == 3
    for key, row in again.iterrows():
        assert wide.loc[key, "readiness"] == row["readiness"], key
        for column in ["overall", "coverage", "score_RISK", "score_OPS_2"]:
            assert float(wide.loc[key, column]) == pytest.approx(row[column], abs=1e-12, nan_ok=True), (key, column)
    assert float(wide.loc[("org-1", 1), "overall"]) == 0.5  # full precision, not rounded for display


def test_every_format_renders_its_files_and_reports_progress():
    expected = {
        "csv": {"tidy.csv", "wide.csv", "criteria.csv", "self_report_gap.csv", "codebook.csv", "scoring-rules.json"},
        "xlsx": {"gapura-research.xlsx"},
        "parquet": {
            "tidy.parquet",
            "wide.parquet",
            "criteria.parquet",
            "self_report_gap.parquet",
            "codebook.csv",
            "scoring-rules.json",
        },
        "dta": {"tidy.dta", "wide.dta", "criteria.dta", "self_report_gap.dta", "codebook.csv", "scoring-rules.json"},
    }
    expected["csv-id"] = expected["csv"]
    expected["datapackage"] = expected["csv"] | {"datapackage.json"}
    ds = dataset()
    for fmt in FORMATS:
        seen: list[float] = []
        assert set(render(ds, fmt, seen.append)) == expected[fmt], fmt
        assert seen[-1] == 1.0 and seen == sorted(seen) and all(0 <= f <= 1 for f in seen)
    with pytest.raises(ValueError, match="unknown format"):
        render(ds, "sav")


def test_csv_shapes_plain_and_indonesian():
    plain, local = render(dataset(), "csv"), render(dataset(), "csv-id")
    assert not plain["wide.csv"].startswith(b"\xef\xbb\xbf") and local["wide.csv"].startswith(b"\xef\xbb\xbf")
    line = plain["tidy.csv"].split(b"\r\n")[1].decode()
    assert line.startswith("org-1,Bali,Bali-Nusa Tenggara,5-10,concert-festival;sport,tiny,2025.1,1,submitted,")
    assert ",true,2,false,true,0.5,3,0.25,false,0.125,true,3,2,self" in line
    local_line = local["tidy.csv"].decode("utf-8-sig").split("\r\n")[1]
    assert ";true;2;false;true;0,5;3;0,25;false;0,125;true;3;2;self" in local_line
    assert b"0.08333333333333333" in plain["tidy.csv"]  # 1/12 in full precision
    assert not re.search(rb"\de-?\d", plain["tidy.csv"])  # no exponent: every spreadsheet reads it as a number


def test_datapackage_validates_and_a_broken_one_does_not(tmp_path):
    folder = _write(render(dataset(free_text=True), "datapackage"), tmp_path)
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((folder / "datapackage.json").read_text())
    tidy = next(r for r in package["resources"] if r["name"] == "tidy")["schema"]
    assert tidy["primaryKey"] == ["organization", "round", "criterion"] and tidy["missingValues"] == [""]
    assert {
        "fields": ["organization", "round"],
        "reference": {"resource": "wide", "fields": ["organization", "round"]},
    } in tidy["foreignKeys"]
    level = next(f for f in tidy["fields"] if f["name"] == "level")
    assert level["constraints"] == {"minimum": 0, "maximum": 4}

    text = (folder / "tidy.csv").read_bytes()
    row = b"submitted,2025-03-01,false,R1,RISK,risk-register;risk-assessment,true,2,"
    assert row in text
    (folder / "tidy.csv").write_bytes(text.replace(row, row[:-2] + b"7,"))
    broken = frictionless.validate(folder / "datapackage.json")
    assert not broken.valid and ["constraint-error"] in broken.flatten(["type"])


def test_datapackage_checks_the_foreign_key_to_wide(tmp_path):
    folder = _write(render(dataset(), "datapackage"), tmp_path)
    lines = (folder / "wide.csv").read_bytes().split(b"\r\n")
    (folder / "wide.csv").write_bytes(b"\r\n".join(line for line in lines if not line.startswith(b"org-2,")))
    report = frictionless.validate(folder / "datapackage.json")
    assert not report.valid and ["foreign-key"] in report.flatten(["type"])


HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "\tx", "\rx", '\uff1dHYPERLINK("x")', "ok\n=1+1"]


def _hostile_dataset():
    notes = {("a1", "R1"): {"note": HOSTILE[0], "justification": HOSTILE[3], "evidence": [HOSTILE[1], HOSTILE[2]]},
             ("a1", "O1"): {"note": HOSTILE[4], "justification": HOSTILE[5]},
             ("a2", "O2"): {"note": HOSTILE[6], "justification": HOSTILE[7]}}  # fmt: skip
    names = {"a1": HOSTILE[0], "a2": HOSTILE[1], "a3": HOSTILE[6]}
    return dataset(free_text=True, names=True, notes=notes, name_of=names)


def _assert_no_formula(cell: str) -> None:
    assert not cell.startswith(FORMULA_START) and not _AFTER_BREAK.search(cell), repr(cell)


@pytest.mark.parametrize("fmt", ["csv", "csv-id"])
def test_formula_text_is_neutralised_in_csv(fmt):
    files = render(_hostile_dataset(), fmt)
    delimiter, encoding = (";", "utf-8-sig") if fmt == "csv-id" else (",", "utf-8")
    cells = [c for name in ("tidy.csv", "wide.csv") for row in
             csv.reader(io.StringIO(files[name].decode(encoding), newline=""), delimiter=delimiter) for c in row]  # fmt: skip
    for cell in cells:
        _assert_no_formula(cell)
    assert "'=cmd|' /C calc'!A0" in cells and '\'\uff1dHYPERLINK("x")' in cells and "ok\n'=1+1" in cells
    assert "'+1\n'-1" in cells and "'\rx" in cells


def test_formula_text_is_neutralised_in_xlsx():
    book = openpyxl.load_workbook(io.BytesIO(render(_hostile_dataset(), "xlsx")["gapura-research.xlsx"]))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    _assert_no_formula(cell.value)
                    values.append(cell.value)
    assert "'=cmd|' /C calc'!A0" in values and "'@SUM(A1:A2)" in values and "'\tx" in values
    assert "\nx" in values  # a CR becomes a line break, as Gapura stores text (XML reads CR as LF anyway)


def _every_text(fmt: str, files: dict[str, bytes], folder: Path) -> list[bytes]:
    """Every byte of every file, and what compressed or encoded members hold, to search."""
    blobs = list(files.values())
    for name, content in files.items():
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                blobs += [archive.read(member) for member in archive.namelist()]
        elif name.endswith(".parquet"):
            table = pq.read_table(io.BytesIO(content))
            blobs.append(table.to_pandas().astype(str).to_csv().encode())
            blobs.append(str(table.schema.metadata).encode() + str(table.schema).encode())
        elif name.endswith(".dta"):
            (folder / name).write_bytes(content)
            frame, meta = pyreadstat.read_dta(folder / name)
            blobs.append(frame.astype(str).to_csv().encode() + str(meta.__dict__).encode())
    return blobs


SECRETS = [s["name"] for s in SOURCE.values()] + [
    text
    for entry in NOTES.values()
    for value in entry.values()
    for text in ([value] if isinstance(value, str) else value)
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_pseudonymous_dataset_holds_no_name_note_or_evidence(fmt, tmp_path):
    blobs = b"\0".join(_every_text(fmt, render(dataset(), fmt), tmp_path)).lower()
    for secret in SECRETS:
        for part in secret.split("\n"):
            assert part.lower().encode() not in blobs, (fmt, part)
    # The search finds them when they are there: the same source with names and free text included.
    full = b"\0".join(_every_text(fmt, render(dataset(free_text=True, names=True), fmt), tmp_path)).lower()
    assert all(secret.split("\n")[0].lower().encode() in full for secret in SECRETS), fmt


def _unneutralised(cell: str) -> str:
    """The text before safe_cell: its apostrophe before a formula character, at the start and after a break."""
    cell = re.sub("(\r\n|\r|\n)'(?=[" + re.escape("".join(FORMULA_START)) + "])", r"\1", cell)
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def _ambiguous(text: str) -> bool:
    """Text that already has an apostrophe before a formula character reads the same as neutralised text."""
    return bool(re.search("(^|[\r\n])'[" + re.escape("".join(FORMULA_START)) + "]", text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=st.text(max_size=60), justification=st.text(max_size=60), name=st.text(min_size=0, max_size=40))
def test_any_text_survives_csv_and_xlsx(note, justification, name):
    notes = {("a1", "R1"): {"note": note, "justification": justification}}
    ds = dataset(free_text=True, names=True, notes=notes, name_of={"a1": name})
    files = render(ds, "csv")
    rows = list(csv.DictReader(io.StringIO(files["tidy.csv"].decode("utf-8"), newline="")))
    first = rows[0]
    for column, text in (("note", note), ("justification", justification), ("organization_name", name)):
        assert first[column] == safe_cell(text)
        _assert_no_formula(first[column])
        if not _ambiguous(text):
            assert _unneutralised(first[column]) == text
    sheet = openpyxl.load_workbook(io.BytesIO(render(ds, "xlsx")["gapura-research.xlsx"]))["tidy"]
    header = [c.value for c in sheet[1]]
    cells = {h: c for h, c in zip(header, sheet[2], strict=True)}
    for column, text in (("note", note), ("justification", justification), ("organization_name", name)):
        kept = re.sub("[\ufffe\uffff]", "", plain_text(text))  # what XML can hold, as Gapura stores text
        cell = cells[column]
        assert cell.data_type != "f"
        assert (cell.value or "") == safe_cell(kept)
        _assert_no_formula(cell.value or "")
        if not _ambiguous(kept):
            assert _unneutralised(cell.value or "") == kept


def test_dta_has_value_labels_variable_labels_and_equal_numbers(tmp_path):
    ds = dataset()
    folder = _write(render(ds, "dta"), tmp_path)
    tidy, meta = pyreadstat.read_dta(folder / "tidy.dta")
    labels = meta.variable_value_labels
    assert labels["origin"] == {1: "self", 2: "carried-over", 3: "pre-filled"}
    assert labels["status"] == {1: "draft", 2: "submitted", 3: "verified"}
    assert labels["na"] == labels["met"] == labels["mandatory"] == {0: "false", 1: "true"}
    assert meta.column_names_to_labels["impact"].startswith("Impact")
    assert all(label and len(label) <= 80 for label in meta.column_names_to_labels.values())
    assert np.allclose(tidy["level"], ds.tidy["level"].astype(float), equal_nan=True, rtol=0, atol=0)
    assert np.array_equal(tidy["impact"], ds.tidy["impact"], equal_nan=True)
    assert tidy["met"].isna().tolist() == ds.tidy["met"].isna().tolist()
    wide, wide_meta = pyreadstat.read_dta(folder / "wide.dta")
    assert wide_meta.variable_value_labels["readiness"] == dict(enumerate(
        ["incomplete", "not-ready", "ready", "progressing", "early"], start=1))  # fmt: skip
    assert wide["readiness"].map(wide_meta.variable_value_labels["readiness"]).tolist() == ds.wide["readiness"].tolist()
    for column in ("overall", "coverage", "score_RISK", "score_OPS_2"):
        assert np.array_equal(wide[column], ds.wide[column], equal_nan=True), column
    assert str(wide["submitted"][0]) == "2025-03-01" and (wide["submitted"][2] == "" or pd.isna(wide["submitted"][2]))


def test_parquet_keeps_types_and_descriptions():
    files = render(dataset(), "parquet")
    table = pq.read_table(io.BytesIO(files["tidy.parquet"]))
    assert str(table.schema.field("level").type) == "int64" and str(table.schema.field("met").type) == "bool"
    # A period as text ("2025-03", "2025-Q1" in a pseudonymous release; the day in an admin's export with names).
    assert str(table.schema.field("submitted").type) == "string"
    assert table.schema.field("gap").metadata[b"description_id"].decode().startswith("Kesenjangan")


def test_xlsx_numbers_are_numbers():
    book = openpyxl.load_workbook(io.BytesIO(render(dataset(), "xlsx")["gapura-research.xlsx"]))
    assert book.sheetnames == ["tidy", "wide", "criteria", "self_report_gap", "codebook", "rules"]
    wide = book["wide"]
    header = [c.value for c in wide[1]]
    row = {h: c.value for h, c in zip(header, wide[2], strict=True)}
    assert row["overall"] == 0.5 and row["criteria"] == 4 and row["readiness"] == "not-ready"
    assert wide.cell(2, header.index("overall") + 1).data_type == "n"


# --- Drafts, missing dates, N/A and empty selections, in every format ----------------------------------------------

# A standard of 60 criteria: two drafts before the first submitted assessment are 120 tidy rows without a date.
LONG = Standard.model_validate(
    {"id": "long", "version": "1", "title": {"en": "Long", "id": "Panjang"},
     "domains": [{"id": f"D{d}", "title": f"D{d}", "criteria": [{"id": f"C{d}-{i}", "title": f"C{d}-{i}"}
                                                                  for i in range(30)]} for d in (1, 2)]}
)  # fmt: skip
FIRST_DAY = datetime(2025, 1, 1, 2, 30, tzinfo=UTC)


def _research_dataset(assessments: list[tuple[bool, int, int]]) -> Dataset:
    """Built as services/research.py builds it: one assessment per (submitted?, days after FIRST_DAY, answers' seed),
    the submission time as a UTC timestamp or NaT for a draft; answers a mix of levels, N/A and none."""
    ids = [f"a{i}" for i in range(len(assessments))]
    answers = {}
    for a, (_, _, seed) in zip(ids, assessments, strict=True):
        rng = np.random.default_rng(seed)
        picks = rng.integers(-2, 5, size=60)  # -2: unanswered, -1: N/A, else a level
        answers[a] = {c: ("na" if p == -1 else int(p)) for c, p in zip(LONG_IDS, picks, strict=True) if p != -2}
    meta = pd.DataFrame(
        {
            "assessment": ids,
            "organization": [f"org-{i}" for i in range(len(ids))],
            "province": [None if i % 3 else "Bali" for i in range(len(ids))],
            "island_group": [None if i % 3 else "Bali-Nusa Tenggara" for i in range(len(ids))],
            "size_band": ["1-4"] * len(ids),
            "segments": [["wedding"] if i % 2 else [] for i in range(len(ids))],
            "round": [1] * len(ids),
            "status": ["submitted" if done else "draft" for done, _, _ in assessments],
            "submitted": pd.to_datetime(
                pd.Series(
                    [FIRST_DAY + timedelta(days=d) if done else None for done, d, _ in assessments], dtype=object
                ),
                utc=True,
            ),
        }
    )
    return build_dataset(LONG, score(LONG, answers_frame(answers), ids), meta)


LONG_IDS = [c.id for _, c in LONG.criteria()]


def _dates(values) -> list[date | None]:
    """Read-back dates (date, datetime, Timestamp, ISO text or a missing marker) as dates or None."""
    out = []
    for v in values:
        if v is None or v == "" or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(date.fromisoformat(v))
        else:
            out.append(v.date() if isinstance(v, datetime) else v)
    return out


def _read_back(fmt: str, files: dict[str, bytes], folder: Path) -> dict[str, pd.DataFrame]:
    """tidy and wide as a researcher loads them, with every type the file gives."""
    if fmt in ("csv", "csv-id", "datapackage"):
        options = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"} if fmt == "csv-id" else {}
        return {t: pd.read_csv(io.BytesIO(files[f"{t}.csv"]), dtype={"submitted": str}, **options) for t in TABLES2}
    if fmt == "xlsx":
        return pd.read_excel(io.BytesIO(files["gapura-research.xlsx"]), sheet_name=list(TABLES2))
    if fmt == "parquet":
        return {t: pq.read_table(io.BytesIO(files[f"{t}.parquet"])).to_pandas() for t in TABLES2}
    _write(files, folder)
    return {t: pyreadstat.read_dta(folder / f"{t}.dta")[0] for t in TABLES2}


TABLES2 = ("tidy", "wide")


def _assert_every_format_keeps_rows_dates_and_na(ds: Dataset, folder: Path) -> None:
    for fmt in FORMATS:
        files = render(ds, fmt)
        back = _read_back(fmt, files, folder)
        for table in TABLES2:
            expected = ds.table(table)
            assert len(back[table]) == len(expected), (fmt, table)
            # A draft's date is missing, a submitted one's is its UTC day, in every row of both tables.
            wanted = [None if pd.isna(v) else date.fromisoformat(v) for v in expected["submitted"]]
            assert _dates(back[table]["submitted"]) == wanted, (fmt, table)
        level = pd.to_numeric(back["tidy"]["level"], errors="coerce")
        na = back["tidy"]["na"].isin([True, 1, "true"])
        assert na.tolist() == ds.tidy["na"].tolist() and level[na].isna().all(), fmt
        if fmt == "datapackage":
            report = frictionless.validate(_write(files, folder) / "datapackage.json")
            assert report.valid, report.flatten(["type", "note"])
        if fmt == "parquet":
            for table in TABLES2:
                schema = pq.read_schema(io.BytesIO(files[f"{table}.parquet"]))
                assert str(schema.field("submitted").type) == "string", table
                assert str(schema.field("province").type) == "string" and str(schema.field("level" if table ==
                       "tidy" else "overall").type) in ("int64", "double")  # fmt: skip
        if fmt == "dta":
            for table in TABLES2:
                _, meta = pyreadstat.read_dta(folder / f"{table}.dta", metadataonly=True)
                assert meta.original_variable_types["submitted"].endswith("s"), table  # text: a day or a period


def test_a_stata_file_opens_when_the_first_assessments_are_drafts(tmp_path):
    """The crash researchers saw: pyreadstat typed a date column whose first 100 cells were empty as text."""
    ds = _research_dataset([(False, 0, 1), (False, 0, 2), (True, 40, 3), (True, 3, 4)])
    folder = _write(render(ds, "dta"), tmp_path)
    wide, meta = pyreadstat.read_dta(folder / "wide.dta")
    assert _dates(wide["submitted"]) == [None, None, date(2025, 2, 10), date(2025, 1, 4)]
    tidy, _ = pyreadstat.read_dta(folder / "tidy.dta")
    assert _dates(tidy["submitted"])[119:121] == [None, date(2025, 2, 10)]
    assert meta.original_variable_types["submitted"].endswith("s")


@pytest.mark.parametrize(
    "assessments",
    [[], [(False, 0, 1)] * 3, [(True, 5, 1), (True, 6, 2)]],
    ids=["no rows", "drafts only", "all submitted"],
)
def test_every_format_keeps_its_types_with_no_rows_only_drafts_or_no_draft(assessments, tmp_path):
    ds = _research_dataset(assessments)
    _assert_every_format_keeps_rows_dates_and_na(ds, tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])  # fmt: skip
@given(assessments=st.lists(st.tuples(st.booleans(), st.integers(0, 800), st.integers(0, 2**16)), max_size=6))
def test_any_mix_of_drafts_dates_and_na_reads_back_in_every_format(assessments, tmp_path):
    _assert_every_format_keeps_rows_dates_and_na(_research_dataset(assessments), tmp_path)


# --- The disclosure statement of a release ---------------------------------------------------------------------

STATEMENT = Disclosure(
    release="rilis-0042",
    released=date(2026, 12, 6),
    k=5,
    quasi_identifiers=(
        Generalised("province", "to the island group where fewer than 5 share it | then national",
                    "ke kelompok pulau bila kurang dari 5 perusahaan, lalu nasional"),
        Generalised("submitted", "to the quarter", "ke triwulan"),
        Generalised("segments", "to 'several' for more than one segment", "menjadi 'beberapa' bila lebih dari satu"),
    ),
    suppressed={"size_band": 2},
)  # fmt: skip


def _stated(fmt: str, files: dict[str, bytes]) -> list[dict]:
    """Every copy of the statement a researcher finds in the files of `fmt`, as data."""
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(files["gapura-research.xlsx"])).worksheets[0]
        assert sheet.title == "disclosure"  # the first sheet a researcher sees
        rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
        pairs = {row[0]: row[1:] for row in rows if row}
        start = rows.index(["quasi-identifier", "how it was generalised", "cara digeneralisasi"])
        qis = [r for r in rows[start + 1 :] if len(r) == 3]
        return [{
            "release": pairs["release"][0], "released": pairs["released"][0], "k": pairs["k"][0],
            "quasi_identifiers": [{"column": c, "generalised": {"en": en, "id": i}} for c, en, i in qis],
            "suppressed": {c: n for c, *rest in rows[rows.index(["suppressed cells", "cells"]) + 1 :] for n in rest},
            "sentences": rows[0] + rows[1],
        }]  # fmt: skip
    copies = [json.loads(files["disclosure.json"])]
    if fmt == "datapackage":
        copies.append(json.loads(files["datapackage.json"])["gapura:disclosure"])
    if fmt == "parquet":
        copies += [json.loads(pq.read_schema(io.BytesIO(files[f"{t}.parquet"])).metadata[b"gapura:disclosure"])
                   for t in ("tidy", "wide", "criteria")]  # fmt: skip
    return copies


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_states_the_disclosure_control_of_its_release(fmt, tmp_path):
    ds = build_dataset(tiny(), score(tiny(), answers_frame(ANSWERS), list(ANSWERS)), meta(), None, STATEMENT)
    files = render(ds, fmt)
    for copy in _stated(fmt, files):
        assert (copy["release"], copy["released"], copy["k"]) == ("rilis-0042", "2026-12-06", 5), fmt
        assert [q["column"] for q in copy["quasi_identifiers"]] == ["province", "submitted", "segments"]
        assert copy["quasi_identifiers"][1]["generalised"] == {"en": "to the quarter", "id": "ke triwulan"}
        assert copy["suppressed"] == {"size_band": 2}
        if "sentences" in copy:
            assert copy["sentences"][0].startswith("Released with k = 5")
            assert copy["sentences"][1].startswith("Dirilis dengan k = 5")
    if fmt != "xlsx":
        readme = files["README.md"].decode("utf-8")
        assert "Released with k = 5" in readme and "Dirilis dengan k = 5" in readme and "rilis-0042" in readme
        assert "| submitted | to the quarter | ke triwulan |" in readme
        assert "fewer than 5 share it \\| then national" in readme  # the lead's text cannot break the table
        assert "Suppressed cells (left empty): size_band 2." in readme
    if fmt == "datapackage":
        report = frictionless.validate(_write(files, tmp_path) / "datapackage.json")
        assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_package_without_a_statement_claims_none(fmt):
    files = render(dataset(), fmt)
    assert not {"README.md", "disclosure.json"} & set(files)
    blobs = b"".join(files.values())
    assert b"gapura:disclosure" not in blobs and b"Released with k" not in blobs
