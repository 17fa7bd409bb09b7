import codecs
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.assessment import check_answers, parse_assessment
from scoring.crosswalk import load_capabilities
from scoring.issues import Issue, codes, placeholders, render, template
from scoring.jsonfile import too_large_issue
from scoring.library import load_library, parse_standard, read_standard
from scoring.lint import lint
from scoring.model import Standard
from tests.conftest import MINI, MINI_ANSWERS
from tests.test_lint_crosswalk import REGISTRY, full, make


@pytest.mark.parametrize("code", codes())
def test_every_code_has_english_and_indonesian_with_the_same_placeholders(code):
    en, id_ = template(code, "en"), template(code, "id")
    assert en.strip() and id_.strip()
    assert placeholders(en) == placeholders(id_)


def mini():
    return json.loads(MINI.read_text(encoding="utf-8"))


def answers(**changes):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"].update(changes)
    return data


def edited(path_and_value):
    data = mini()
    for path, value in path_and_value:
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    return data


BAD_STANDARDS = {
    "empty": b"",
    "syntax": b"{not json",
    "syntax-value": b'{"id": }',
    "list": b"[1, 2]",
    "number": b"42",
    "latin-1": '{"id": "caf\xe9"}'.encode("latin-1"),
    "utf-16": codecs.BOM_UTF16_LE + "{}".encode("utf-16-le"),
    "duplicate-key": b'{"id": "a", "id": "b"}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "long-number": b'{"id": ' + b"9" * 5000 + b"}",
    "not-finite": b'{"id": NaN}',
}
BAD_EDITS = {
    "target": [(("domains", 0, "criteria", 0, "target"), 5)],
    "typo": [(("domains", 0, "criteria", 1, "mandatroy"), True)],
    "far-typo": [(("domains", 0, "criteria", 1, "zzz"), True)],
    "weight": [(("domains", 1, "weight"), 0)],
    "weight-text": [(("domains", 1, "weight"), "heavy")],
    "mandatory-text": [(("domains", 1, "criteria", 0, "mandatory"), "maybe")],
    "target-text": [(("domains", 1, "criteria", 0, "target"), 2.5)],
    "title": [(("title",), 42)],
    "no-title": [(("domains", 0, "title"), "")],
    "bad-id": [(("id",), "Event Safety")],
    "bad-item-id": [(("domains", 0, "id"), "-x")],
    "capability": [(("domains", 0, "criteria", 0, "capabilities"), ["Risk Register"])],
    "huge-value": [(("domains", 0, "criteria", 0, "weight"), "x" * 10_000)],
    "huge-key": [(("domains", 0, "criteria", 0, "levels"), {"9" * 5000: "x"})],
    "scale-zero": [(("scale",), {"levels": [{"value": 1, "label": "a"}, {"value": 2, "label": "b"}]})],
    "scale-order": [(("scale",), {"levels": [{"value": 0, "label": "a"}, {"value": 0, "label": "b"}]})],
    "scale-short": [(("scale",), {"levels": [{"value": 0, "label": "a"}]})],
    "readiness": [(("readiness",), {"ready": 0.5, "progressing": 0.6})],
    "readiness-high": [(("readiness",), {"ready": 2})],
    "subject": [(("subject",), "everyone")],
    "domains": [(("domains",), {})],
    "no-domains": [(("domains",), [])],
    "domain-not-object": [(("domains", 0), "A")],
    "criteria-text": [(("domains", 0, "criteria"), "A1")],
    "level-off-scale": [(("domains", 0, "criteria", 0, "levels"), {"7": "x"})],
    "references": [(("domains", 0, "criteria", 0, "references"), [1])],
    "duplicate-ids": [(("domains", 1, "criteria", 0, "id"), "A1"), (("domains", 1, "id"), "A")],
    "top-level": [(("committee",), "WG")],
    "missing": [(("version",), None)],
}
BAD_ANSWERS = {
    "not-assessment": MINI.read_bytes(),
    "format": json.dumps({**answers(), "format": "other"}).encode(),
    "level-text": json.dumps(answers(A1={"level": "x"})).encode(),
    "no-org": json.dumps({**answers(), "organization": {}}).encode(),
    "when": json.dumps({**answers(), "assessed_at": "yesterday"}).encode(),
    "blank-name": json.dumps({**answers(), "organization": {"name": " "}}).encode(),
    "long-name": json.dumps({**answers(), "organization": {"name": "PT " + "x" * 300}}).encode(),
    "folded-name": json.dumps({**answers(), "organization": {"name": "ß" * 200}}).encode(),
    "script-link": json.dumps(answers(A2={"level": 4, "evidence": ["javascript:alert(1)"]})).encode(),
}
CHECKED_ANSWERS = {
    "unknown": answers(Z9={"level": 1}),
    "off-scale": answers(A2={"level": 7}),
    "na-no-reason": answers(B2={"level": "na"}),
    "mandatory-na": answers(A1={"level": "na", "justification": "x"}),
    "wrong-version": {**answers(), "standard": {"id": "mini", "version": "2"}},
    "wrong-standard": {**answers(), "standard": {"id": "maxi", "version": "1"}},
}


def bad_file_issues():
    found = []
    for name, raw in BAD_STANDARDS.items():
        found += read_standard(raw, f"{name}.json").issues
    for name, changes in BAD_EDITS.items():
        data = edited(changes)
        if data.get("version") is None:
            del data["version"]
        found += read_standard(json.dumps(data).encode(), f"{name}.json").issues
    for name, raw in BAD_ANSWERS.items():
        found += parse_assessment(raw, f"{name}.json")[1]
    standard = read_standard(MINI.read_bytes(), "mini.json").standard
    for name, data in CHECKED_ANSWERS.items():
        parsed, issues = parse_assessment(json.dumps(data).encode(), f"{name}.json")
        assert parsed is not None, issues
        found += check_answers(parsed, standard, f"{name}.json")
    lint_me = full("B", "Plan", capabilities=["made-up"], applies_to=["rave"], mandatory=True, references=[])
    lint_me["title"] = {"en": "Plan"}
    lint_me["evidence"] = [{"en": "x"}]
    lint_me["levels"] = {"0": {"en": "x"}}
    found += lint(make("l", [full("A", "Plan"), lint_me], scale={"levels": [{"value": 0, "label": "No"},
                                                                         {"value": 1, "label": "Yes"}]}),
                  "l.json", REGISTRY)  # fmt: skip
    found += lint(Standard.model_validate({"id": "t", "version": "1", "title": "T", "domains": [
        {"id": "D", "title": "D", "criteria": [{"id": "C", "title": "C"}]}]}), "t.json", REGISTRY)  # fmt: skip
    found += parse_standard(  # a value JSON cannot write, as a service could pass it
        edited([(("domains", 0, "weight"), float("inf"))]), "inf.json"
    ).issues
    found.append(too_large_issue("big.json", 50 * 1024 * 1024))
    found.append(Issue("/dev/zero", "", "json.over-limit", {"limit": 10.0}))  # a device: tests/test_hostile_input.py
    with tempfile.TemporaryDirectory() as folder:
        for name in ("a.json", "b.json"):
            (Path(folder) / name).write_bytes(MINI.read_bytes())
        (Path(folder) / "c.json").mkdir()
        found += [i for r in load_library(Path(folder)).reports for i in r.issues]
        twice = {"capabilities": [{"id": "risk", "title": "Risk"}, {"id": "risk", "title": "Risk again"}]}
        (Path(folder) / "capabilities.json").write_text(json.dumps(twice), encoding="utf-8")
        found += load_capabilities(Path(folder) / "capabilities.json")[1]
    return found


ISSUES = bad_file_issues()


@pytest.mark.parametrize("issue", ISSUES, ids=lambda i: f"{i.file}:{i.code}")
def test_every_issue_from_a_bad_file_renders_in_both_languages(issue):
    assert issue.code in codes()
    en, id_ = issue.message("en"), render(issue, "id")
    assert en and id_ and en != issue.code
    assert len(en) < 400 and len(id_) < 400  # a huge value is shortened, never pasted whole
    assert str(issue) == f"{issue.file}: {issue.path or '$'}: {en}"


def test_the_bad_files_reach_every_code_but_the_fallbacks_and_the_import_ones():
    unreached = set(codes()) - {i.code for i in ISSUES}
    services = (
        "import.",
        "resume.",
        "association.",
        "profile.",
        "disclosure.",
        "cohort.",
        "demo.",
        "research.",
        "benchmark.",
        "lifecycle.",
        "plan.",
        "evidence.",  # uploads, not files (tests/test_evidence_check.py reaches each)
        "support.",  # attendance lists and interventions (tests/test_support.py, tests/persistence/test_support.py)
        "roster.",  # members lists (tests/test_roster.py reaches each)
        "campaign.",
        "verification.",  # a verifier's steps (tests/persistence/test_verification.py reaches each)
    )
    assert {c for c in unreached if not c.startswith(services)} <= {"value.error", "value.invalid", "value.object-root"}  # fmt: skip


def test_indonesian_reads_as_indonesian_with_decimal_commas():
    big = too_large_issue("big.json", 50 * 1024 * 1024)
    assert big.message("id") == "ukuran berkas ini 50,0 MB, padahal batasnya 10 MB"
    assert big.message() == "the file is 50.0 MB; the limit is 10 MB"
    missing = Issue("s.json", "domains[0].criteria[1].title", "lint.language.criterion-text",
                    {"criterion": "B", "field": "title", "langs": ["id", "en"]})  # fmt: skip
    assert missing.message() == "B's title has no id or en text"
    assert missing.message("id") == "judul B belum punya teks id atau en"


def test_import_codes_fill_their_parameters():
    line = Issue("a.json", "standard", "import.unknown-version", {"id": "mini", "version": "9", "known": "1, 2"})
    assert line.message("id") == "berkas ini untuk 'mini' versi 9, sedangkan pustaka hanya memiliki versi 1, 2"
    assert Issue("x.zip", "", "import.upload-too-large", {"mb": 200}).message("en") == (
        "the upload unpacks to more than 200 MB: this file and the rest were not read"
    )
    assert Issue("x.zip/a.json", "", "import.unreadable-entry", {"why": "encrypted"}).message("id") == (
        "berkas ini tidak bisa dibaca dari arsip: berkasnya dilindungi kata sandi"
    )


def test_issues_are_values():
    a = Issue("f", "p", "field.missing", {"field": "id"})
    assert a == Issue("f", "p", "field.missing", {"field": "id"}) and len({a, a}) == 1
    assert Issue("f", "", "json.empty").params == {}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.one_of(st.integers(-2, 9), st.just("na"), st.text(max_size=3))))
def test_issues_of_arbitrary_answers_render_in_both_languages(levels):
    data = answers()
    data["answers"] = {k: {"level": v} for k, v in levels.items()}
    for issue in parse_assessment(json.dumps(data).encode(), "up.json")[1]:
        assert issue.code in codes() and issue.message("en") and issue.message("id")
