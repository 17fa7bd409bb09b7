"""Read, check and write assessment files (standard-format.md, "The assessment file")."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from scoring.issues import Issue, from_validation_error, shown
from scoring.jsonfile import read_json_object
from scoring.model import ASSESSMENT_FORMAT, Answer, AssessmentFile, Organization, Standard, StandardRef


def parse_assessment(raw: bytes, file: str) -> tuple[AssessmentFile | None, list[Issue]]:
    """The assessment in `raw`, or every reason it is not a valid assessment file."""
    data, issues = read_json_object(raw, file)
    if data is None:
        return None, issues
    if data.get("format") != ASSESSMENT_FORMAT:
        code = "assessment.format-standard-file" if "domains" in data else "assessment.format"
        params = {"expected": ASSESSMENT_FORMAT, "found": shown(data.get("format"))}
        return None, [Issue(file, "format", code, params)]
    try:
        return AssessmentFile.model_validate(data), []
    except ValidationError as exc:
        return None, from_validation_error(file, exc, (AssessmentFile, Answer, Organization, StandardRef))


def check_answers(assessment: AssessmentFile, standard: Standard, file: str) -> list[Issue]:
    """Errors of an assessment against the standard it claims to be made with."""
    ref = assessment.standard
    if ref.id != standard.id:
        return [Issue(file, "standard.id", "assessment.wrong-standard", {"id": ref.id, "expected": standard.id})]
    if ref.version != standard.version:
        params = {"id": ref.id, "version": ref.version, "expected": standard.version}
        return [Issue(file, "standard.version", "assessment.wrong-version", params)]
    issues = []
    for criterion_id, answer in assessment.answers.items():
        issues += answer_issues(standard, criterion_id, answer, file, f"answers.{criterion_id}")
    return issues


def answer_issues(
    standard: Standard, criterion_id: str, answer: Answer, file: str, path: str, draft: bool = False
) -> list[Issue]:
    """Why `answer` cannot be an answer to `criterion_id` of `standard`. A draft may hold an N/A whose
    justification is still to be written (it does not count as answered until then); a file may not."""
    criterion = standard.criterion(criterion_id)
    if criterion is None:
        params = {"criterion": criterion_id, "standard": standard.id, "version": standard.version}
        return [Issue(file, path, "assessment.unknown-criterion", params)]
    if answer.is_na:
        if criterion.mandatory:
            return [Issue(file, f"{path}.level", "assessment.mandatory-na", {"criterion": criterion_id})]
        if not answer.justification and not draft:
            return [Issue(file, f"{path}.justification", "assessment.na-needs-justification")]
    elif answer.level is not None and answer.level not in standard.scale.values:
        values = standard.scale.values
        params = {"level": answer.level, "low": values[0], "high": values[-1]}
        return [Issue(file, f"{path}.level", "assessment.level-off-scale", params)]
    return []


def assessment_document(
    standard: Standard, organization: dict[str, Any], answers: dict[str, Answer], assessed_at: datetime
) -> dict[str, Any]:
    """The JSON document a company downloads; only criteria with a level (or N/A) are included."""
    clean = {}
    for _, criterion in standard.criteria():
        answer = answers.get(criterion.id)
        if answer is None or answer.level is None:
            continue
        clean[criterion.id] = answer.model_dump(exclude_defaults=True) | {"level": answer.level}
        if answer.evidence:
            clean[criterion.id]["evidence"] = list(answer.evidence)
    org = {k: v for k, v in organization.items() if v not in (None, "", [])}
    return {
        "format": ASSESSMENT_FORMAT,
        "standard": {"id": standard.id, "version": standard.version},
        "organization": org,
        "assessed_at": assessed_at.isoformat(timespec="seconds"),
        "answers": clean,
    }


def assessment_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def is_answered(answer: Answer | None) -> bool:
    """The one rule of what counts as answered (progress, coverage, readiness, submission, the officers' figures):
    a level, or N/A with a justification, that the company gave or confirmed; a proposal (carried over from the
    last round, pre-filled from the segments or another standard: it has an origin) does not count until confirmed."""
    return answer is not None and answer.given and answer.origin is None


def counted_levels(answers: dict[str, Answer]) -> dict[str, int | str]:
    """The levels of the answers that count as answered (see is_answered)."""
    return {criterion_id: answer.level for criterion_id, answer in answers.items() if is_answered(answer)}
