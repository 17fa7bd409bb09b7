import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.assessment import assessment_document, assessment_json, check_answers, counted_levels, parse_assessment
from scoring.export import safe_cell
from scoring.model import Answer
from tests.conftest import MINI_ANSWERS


def test_a_downloaded_file_reads_back_the_same(mini):
    answers = {"A1": Answer(level=3, note="ok", evidence=["https://drive/x"]),
               "B1": Answer(level="na", justification="indoor only"), "B2": Answer()}  # fmt: skip
    doc = assessment_document(mini, {"name": "PT Ümlaut Acara", "region": None}, answers, datetime.now(UTC))
    parsed, issues = parse_assessment(assessment_json(doc), "x.json")
    assert issues == []
    assert parsed.organization.name == "PT Ümlaut Acara"
    assert set(parsed.answers) == {"A1", "B1"}  # unanswered criteria are not written
    assert check_answers(parsed, mini, "x.json") == []


def test_standard_file_uploaded_by_mistake_is_recognised(mini):
    raw = (MINI_ANSWERS.parent.parent / "standards" / "mini.json").read_bytes()
    _, issues = parse_assessment(raw, "mini.json")
    assert "standard file rather than an assessment" in issues[0].message()


def test_na_without_justification_does_not_count_as_answered():
    levels = counted_levels({"A": Answer(level="na", justification=" \u200b"), "B": Answer(level=2), "C": Answer()})
    assert levels == {"B": 2}


def test_formula_text_is_escaped_in_csv():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("+cmd") == "'+cmd"
    assert safe_cell("-2") == "'-2" and safe_cell(-2) == -2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1000))
def test_arbitrary_upload_bytes_never_raise(raw):
    parsed, issues = parse_assessment(raw, "up.json")
    assert parsed is not None or issues


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.one_of(st.integers(-2, 9), st.just("na"), st.text(max_size=3))))
def test_any_answers_object_is_either_valid_or_explained(mini_answers):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"] = {k: {"level": v} for k, v in mini_answers.items()}
    parsed, issues = parse_assessment(json.dumps(data).encode(), "up.json")
    assert all(i.path and i.message() for i in issues)
