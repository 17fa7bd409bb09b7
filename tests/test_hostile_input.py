"""Hostile and unlucky input to the core: numbers, unbounded files, answers, spreadsheet formula text (issue 8)."""

import csv
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.report import Report
from reports.workbook import people_csv
from scoring.assessment import parse_assessment
from scoring.engine import score_one
from scoring.export import to_csv
from scoring.library import load_library, read_standard
from scoring.model import Answer
from tests.conftest import FUZZ, MINI, MINI_ANSWERS, ROOT

LONG_INT = "9" * 5000  # Python's int() refuses more than 4,300 digits


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def mini_text():
    return MINI.read_text(encoding="utf-8")


def with_weight(literal: str) -> bytes:
    """The mini standard with the first domain's weight written as `literal`, exactly as JSON text."""
    data = json.loads(mini_text())
    data["domains"][0]["weight"] = "@WEIGHT@"
    return json.dumps(data, indent=1).replace('"@WEIGHT@"', literal).encode()


def answers_with_level(literal: str) -> bytes:
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"]["A1"]["level"] = "@LEVEL@"
    return json.dumps(data, indent=1).replace('"@LEVEL@"', literal).encode()


# 1. Numbers JSON can write but no file of ours may hold, refused at read time with their place.


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        (LONG_INT, "json.number-too-long"),
        ("-" + LONG_INT, "json.number-too-long"),
        ("0." + "1" * 200, "json.number-too-long"),
        ("NaN", "json.number-not-finite"),
        ("Infinity", "json.number-not-finite"),
        ("-Infinity", "json.number-not-finite"),
        ("1e999", "json.number-not-finite"),
    ],
    ids=["5000-digits", "minus-5000-digits", "202-char-fraction", "NaN", "Infinity", "-Infinity", "1e999"],
)
def test_absurd_numbers_are_refused_with_their_place(literal, code):
    for report_issues in (read_standard(with_weight(literal), "s.json").issues,
                          parse_assessment(answers_with_level(literal), "a.json")[1]):  # fmt: skip
        (issue,) = report_issues
        assert issue.code == code
        assert f"line {issue.params['line']}, column {issue.params['column']}" in issue.message()
        assert issue.message("en") != issue.message("id")
        assert len(issue.message()) < 200  # the number is cut, it does not flood the message


def test_the_place_of_a_refused_number_is_where_it_is_written():
    raw = b'{"id": "NaN 1e999",\n  "version": [1,\n     NaN]}'
    (issue,) = read_standard(raw, "s.json").issues
    assert (issue.params["line"], issue.params["column"]) == (3, 6)


def test_score_and_validate_refuse_a_5000_digit_number_without_a_traceback(tmp_path):
    standard = tmp_path / "std.json"
    standard.write_bytes(with_weight(LONG_INT))
    answers = tmp_path / "answers.json"
    answers.write_bytes(answers_with_level(LONG_INT))
    for args, file in [
        (("validate", str(standard)), standard),
        (("score", "--standard", str(standard), "--answers", str(MINI_ANSWERS)), standard),
        (("score", "--standard", str(MINI), "--answers", str(answers)), answers),
    ]:
        out = run(*args)
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr
        assert out.stderr.startswith(f"{file}: $: the number at line "), out.stderr


def test_a_file_with_a_5000_digit_number_does_not_stop_the_library(tmp_path):
    (tmp_path / "good.json").write_bytes(MINI.read_bytes())
    (tmp_path / "huge.json").write_bytes(with_weight(LONG_INT))
    lib = load_library(tmp_path)
    assert [s.id for s in lib.standards] == ["mini"]
    assert [(r.file.rsplit("/", 1)[-1], r.errors[0].code) for r in lib.failed] == [
        ("huge.json", "json.number-too-long")
    ]


# 2. Sane bounds in the models: a bad number is that file's error, never the library's.


def mini_with(edit) -> dict:
    data = json.loads(mini_text())
    edit(data)
    return data


HUGE_SCALE = {"levels": [{"value": 0, "label": "No"}, {"value": 10**300, "label": "Yes"}]}
ABSURD_STANDARDS = {
    "scale-10e300": (lambda d: d.update(scale=HUGE_SCALE), "scale.levels[1].value", "value.bound"),
    "scale-1e300": (
        lambda d: d.update(scale={"levels": [HUGE_SCALE["levels"][0], {"value": 1e300, "label": "Y"}]}),
        "scale.levels[1].value",
        "value.int-too-large",
    ),  # fmt: skip
    "weight-1e308": (lambda d: d["domains"][0].update(weight=1e308), "domains[0].weight", "value.bound"),
    "weight-inf": (lambda d: d["domains"][0].update(weight=float("inf")), "domains[0].weight", "value.not-finite"),
    "weight-nan": (
        lambda d: d["domains"][1]["criteria"][0].update(weight=float("nan")),
        "domains[1].criteria[0].weight",
        "value.not-finite",
    ),  # fmt: skip
    "target-10e5000": (
        lambda d: d["domains"][0]["criteria"][0].update(target=10**5000),
        "domains[0].criteria[0].target",
        "value.bound",
    ),  # fmt: skip
    "level-key-5000-digits": (
        lambda d: d["domains"][0]["criteria"][0].update(levels={"9" * 5000: "x"}),
        "domains[0].criteria[0].levels." + "9" * 79 + "…",
        "value.int-too-large",
    ),  # fmt: skip
    "readiness-nan": (lambda d: d.update(readiness={"ready": float("nan")}), "readiness.ready", "value.not-finite"),
}


@pytest.mark.parametrize("name", ABSURD_STANDARDS)
def test_absurd_numbers_in_a_standard_are_explained_in_both_languages(name):
    from scoring.library import parse_standard

    edit, path, code = ABSURD_STANDARDS[name]
    report = parse_standard(mini_with(edit), "s.json")  # Python values, as a service or a test would pass them
    assert not report.valid
    assert [(i.path, i.code) for i in report.errors] == [(path, code)]
    (issue,) = report.errors
    assert issue.message("en") != issue.message("id") and len(issue.message()) < 300


def test_a_standard_with_absurd_numbers_never_stops_the_library_or_validate(tmp_path):
    (tmp_path / "good.json").write_bytes(MINI.read_bytes())
    (tmp_path / "scale.json").write_text(json.dumps(mini_with(lambda d: d.update(id="scale", scale=HUGE_SCALE))))
    (tmp_path / "weight.json").write_bytes(with_weight("1e308").replace(b'"mini"', b'"weight"', 1))
    (tmp_path / "infinite.json").write_bytes(with_weight("Infinity").replace(b'"mini"', b'"infinite"', 1))
    lib = load_library(tmp_path)
    assert [s.id for s in lib.standards] == ["mini"]
    assert {r.file.rsplit("/", 1)[-1] for r in lib.failed} == {"scale.json", "weight.json", "infinite.json"}
    out = run("validate", str(tmp_path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert f"{tmp_path / 'weight.json'}: domains[0].weight: weight must be at most 1000, not 1e+308" in lines
    assert f"{tmp_path / 'scale.json'}: $: the number at line 1, column " in out.stderr  # 301 digits: too long
    assert all(line.startswith(str(tmp_path)) and line.count(": ") >= 2 for line in lines)


def test_an_answer_level_is_a_small_whole_number():
    from scoring.model import Answer

    with pytest.raises(ValueError):
        Answer(level=10**300)
    parsed, issues = parse_assessment(answers_with_level("1e300"), "a.json")
    assert parsed is None and [i.path for i in issues] == ["answers.A1.level"]


# 3. Unbounded files: read one byte past the limit, never to the end.

DEV_ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero on this system")


@needs_dev_zero
def test_a_device_that_never_ends_is_too_large_not_read_forever():
    from scoring.library import load_standard_file

    (issue,) = load_standard_file(DEV_ZERO).issues
    assert issue.code == "json.over-limit"
    assert issue.message() == "the file is larger than the limit of 10 MB"
    assert issue.message("id") == "berkas ini lebih besar daripada batasnya, 10 MB"


@needs_dev_zero
def test_score_and_validate_on_dev_zero_say_too_large(tmp_path):
    for args in [
        ("validate", str(DEV_ZERO)),
        ("score", "--standard", str(DEV_ZERO), "--answers", str(MINI_ANSWERS)),
        ("score", "--standard", str(MINI), "--answers", str(DEV_ZERO)),
    ]:
        out = subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, capture_output=True, text=True,
                             timeout=30)  # fmt: skip
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert out.stderr == f"{DEV_ZERO}: $: the file is larger than the limit of 10 MB\n"


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    from scoring.library import load_library

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "good.json").write_bytes(MINI.read_bytes())
    lib = load_library(tmp_path)
    assert [s.id for s in lib.standards] == ["mini"]
    assert [r.errors[0].message() for r in lib.failed] == ["cannot read the file: not a regular file"]


def test_a_missing_answers_file_gets_the_clear_message(tmp_path):
    missing = tmp_path / "missing.json"
    out = run("score", "--standard", str(MINI), "--answers", str(missing))
    assert out.returncode == 2 and out.stderr == f"{missing}: $: cannot read the file: No such file or directory\n"
    out = run("score", "--standard", str(missing), "--answers", str(MINI_ANSWERS))
    assert out.returncode == 2 and out.stderr == f"{missing}: $: cannot read the file: No such file or directory\n"


# 5. Spreadsheet formula text: no cell, and no line inside a cell, starts with a formula character.

FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HOSTILE_CELLS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "x\r=cmd|' /C calc'!A0",
    "x\n=cmd|' /C calc'!A0",
    'x\r\n=HYPERLINK("http://evil")',
    "\uff1d1+1",  # fullwidth =
    "x\r\uff0b1",  # fullwidth + after a CR
    "x\n@SUM(A1)",
    "x\r\t=1",
    "\n=1+1",
    "x\r\r=1",
    'a","=1+1',  # a quote trying to close the cell
    "x\n-2+3",
]


def spreadsheet_rows(data: bytes) -> list[list[str]]:
    """The rows a spreadsheet sees: RFC 4180, where an unquoted CR or LF ends a row."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            lines = re.split(r"\r\n|\r|\n", cell)
            assert not any(line.startswith(FORMULA_CHARS) for line in lines), (row, cell)


def test_the_17_hostile_cells_stay_in_their_rows_and_never_start_a_formula():
    assert len(HOSTILE_CELLS) == 17
    frame = pd.DataFrame({"note": HOSTILE_CELLS, "organization": list(reversed(HOSTILE_CELLS)), "n": range(17)})
    rows = spreadsheet_rows(to_csv(frame))
    assert len(rows) == 1 + 17
    assert [row[2] for row in rows[1:]] == [str(n) for n in range(17)]  # every row whole, in order
    assert_no_formula(rows)
    assert rows[7][0] == "x\r'=cmd|' /C calc'!A0" and rows[6][0] == "'\r'=1+1"  # the text itself is kept


def test_hostile_texts_in_a_result_file_stay_in_their_cells(mini):
    answers = {"A1": Answer(level=3, note="x\r=cmd|' /C calc'!A0", evidence=["a", "\r=1+1 b"]),
               "B1": Answer(level="na", justification="ok\r\n@SUM(A1)")}  # fmt: skip
    report = Report(mini, score_one(mini, {"A1": 3, "B1": "na"}), "PT x\r+1", 1, False, answers, date(2026, 12, 6))
    rows = spreadsheet_rows(people_csv(report, "en"))  # the results CSV for people, as Results downloads it
    assert len(rows) == 1 + mini.criteria_count
    assert_no_formula(rows)


# 4. Answers: only whole-number levels, invisible justifications are no justification, texts have limits.


@pytest.mark.parametrize("level", ["3", True, 3.0, "true"])
def test_a_level_is_a_whole_number_not_text_or_a_boolean(level):
    with pytest.raises(ValueError):
        Answer(level=level)
    parsed, issues = parse_assessment(answers_with_level(json.dumps(level)), "a.json")
    assert parsed is None and [i.path for i in issues] == ["answers.A1.level"]


def test_a_justification_of_only_invisible_spaces_is_not_given():
    for blank in ["\u200b", " \u200b\u2060 ", "\ufeff", "\u200c\u200d"]:
        answer = Answer(level="na", justification=blank)
        assert answer.justification == "" and not answer.given


answer_texts = st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\t\n\r\x0b\x0c\x1b\x7f\x85\x9b\u200b"),
                       max_size=60)  # fmt: skip


def visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ" and not c.isspace())


@FUZZ
@given(answer_texts, answer_texts, st.lists(answer_texts, max_size=4) | answer_texts)
def test_any_text_in_an_answer_comes_out_with_no_control_character_but_tab_and_line_break(note, why, evidence):
    """PostgreSQL refuses NUL in text, and an escape sequence or a C1 character pasted into a note shows as nothing
    or garbles what follows; what people can see is all kept, in order."""
    answer = Answer(level="na", note=note, justification=why)
    try:
        lines = Answer(level=1, evidence=evidence).evidence
    except ValueError as refused:  # a line that starts like a link of another scheme ("x:y") is refused instead
        assert {e["type"] for e in refused.errors()} == {"answer.evidence-link"}
        lines = ()
    for text in (answer.note, answer.justification, *lines):
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"], repr(text)
    assert visible(answer.note) == visible(note) and visible(answer.justification) == visible(why)
    if isinstance(evidence, list) and lines:
        assert visible("".join(lines)) == visible("".join(evidence))


def test_line_breaks_in_a_note_are_kept_as_line_breaks():
    assert Answer(note="satu\r\ndua\rtiga\x0bempat\x00\nlima").note == "satu\ndua\ntiga\nempat\nlima"
    assert Answer(evidence="SOP K3\r\n\x00\r\nhttps://contoh.id/sop").evidence == ("SOP K3", "https://contoh.id/sop")


def test_notes_justifications_and_evidence_have_length_limits():
    from scoring.model import MAX_EVIDENCE_LINE, MAX_EVIDENCE_LINES, MAX_JUSTIFICATION, MAX_NOTE

    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"]["A1"] |= {"note": "x" * (MAX_NOTE + 1), "evidence": ["e" * (MAX_EVIDENCE_LINE + 1)]}
    data["answers"]["B1"] = {"level": "na", "justification": "j" * (MAX_JUSTIFICATION + 1)}
    data["answers"]["B2"] = {"level": 1, "evidence": [f"e{n}" for n in range(MAX_EVIDENCE_LINES + 1)]}
    parsed, issues = parse_assessment(json.dumps(data).encode(), "a.json")
    assert parsed is None
    assert {(i.path, i.code) for i in issues} == {
        ("answers.A1.note", "value.too-long"),
        ("answers.A1.evidence[0]", "value.too-long"),
        ("answers.B1.justification", "value.too-long"),
        ("answers.B2.evidence", "value.too-long"),
    }


# 6. Fuzzing the loader, the assessment reader and the CSV writer with numbers, encodings and control characters.

digits = st.tuples(st.sampled_from(["", "-"]), st.sampled_from("123456789"), st.integers(0, 6000)).map(
    lambda t: t[0] + t[1] * (t[2] + 1)
)
float_texts = st.floats().map(lambda f: {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(repr(f), repr(f)))
exponents = st.tuples(st.integers(-10, 10), st.integers(-400, 400)).map(lambda t: f"{t[0]}e{t[1]}")
number_texts = digits | float_texts | exponents | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e308", "-0"])
PLACES = ["weight", "level", "target", "readiness", "criterion-weight"]
controls = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Zs"]) | st.sampled_from("=+-@x"),
                   max_size=30)  # fmt: skip
encodings = st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "latin-1",
                             "utf-8-sig", "cp1252"])  # fmt: skip


def standard_with_number(place: str, literal: str) -> bytes:
    data = json.loads(mini_text())
    criterion = data["domains"][0]["criteria"][0]
    if place == "weight":
        data["domains"][0]["weight"] = "@N@"
    elif place == "level":
        data["scale"] = {"levels": [{"value": 0, "label": "No"}, {"value": "@N@", "label": "Yes"}]}
    elif place == "target":
        criterion["target"] = "@N@"
    elif place == "readiness":
        data["readiness"] = {"ready": "@N@"}
    else:
        criterion["weight"] = "@N@"
    return json.dumps(data).replace('"@N@"', literal).encode()


def assert_explained(issues) -> None:
    from scoring.issues import codes

    for issue in issues:
        assert issue.code in codes(), issue
        assert issue.message("en") and issue.message("id") and len(issue.message()) < 1000


@FUZZ
@given(st.sampled_from(PLACES), number_texts)
def test_any_number_anywhere_in_a_standard_is_loaded_or_explained(place, literal):
    report = read_standard(standard_with_number(place, literal), "fuzz.json")
    assert report.valid or report.errors
    assert_explained(report.issues)
    if report.valid:  # what loads is something the engine can score
        score_one(report.standard, {})


@FUZZ
@given(number_texts)
def test_any_number_as_an_answer_level_is_read_or_explained(literal):
    parsed, issues = parse_assessment(answers_with_level(literal), "fuzz.json")
    assert parsed is not None or issues
    assert_explained(issues)


@FUZZ
@given(encodings, st.booleans(), st.text(max_size=20))
def test_any_encoding_is_read_or_explained(encoding, as_standard, title):
    data = json.loads(mini_text() if as_standard else MINI_ANSWERS.read_text(encoding="utf-8"))
    if as_standard:
        data["title"] = title or "é"
    else:
        data["organization"]["name"] = title or "é"
    try:
        raw = json.dumps(data, ensure_ascii=False).encode(encoding)
    except UnicodeEncodeError:
        raw = json.dumps(data, ensure_ascii=False).encode(encoding, errors="replace")
    issues = read_standard(raw, "fuzz.json").issues if as_standard else parse_assessment(raw, "fuzz.json")[1]
    assert_explained(issues)
    if encoding.startswith(("utf-16", "utf-32")):
        assert issues and issues[0].code in {"json.utf16", "json.not-utf8", "json.syntax"}


@FUZZ
@given(controls, controls, st.booleans())
def test_control_characters_in_texts_are_read_or_explained(note, name, raw_in_json):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"]["A1"]["note"] = note
    data["organization"]["name"] = name
    text = json.dumps(data, ensure_ascii=not raw_in_json)
    if raw_in_json:  # control characters written raw inside strings, which JSON forbids
        text = text.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
    parsed, issues = parse_assessment(text.encode("utf-8", errors="surrogatepass"), "fuzz.json")
    assert parsed is not None or issues
    assert_explained(issues)
    standard = standard_with_number("weight", "1").replace(b'"mini"', json.dumps(name).encode(), 1)
    assert_explained(read_standard(standard, "fuzz.json").issues)


@FUZZ
@given(st.lists(st.text(st.sampled_from("=+-@\t\r\n'\" ,x1\uff1d\uff0b\uff0d\uff20"), max_size=12), min_size=1,
                max_size=10))  # fmt: skip
def test_any_cells_keep_their_rows_and_never_start_a_formula(cells):
    frame = pd.DataFrame({"text": cells, "n": range(len(cells))})
    rows = spreadsheet_rows(to_csv(frame))
    assert len(rows) == 1 + len(cells)
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(len(cells))]
    assert_no_formula(rows)
