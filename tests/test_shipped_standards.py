"""The standards we ship meet the bar of standard-format.md and criterion-example.md."""

import re

import pytest

from scoring.engine import score_one
from scoring.library import load_library
from scoring.model import LANGUAGES
from tests.conftest import STANDARDS

LIBRARY = load_library(STANDARDS)
SHIPPED = {s.id: s for s in LIBRARY.standards}


def texts(std):
    yield "title", std.title
    yield "description", std.description
    for level in std.scale.levels:
        yield f"scale {level.value}", level.label
    for domain, c in std.criteria():
        yield f"{domain.id} title", domain.title
        for field in ("title", "description", "guidance"):
            yield f"{c.id} {field}", getattr(c, field)
        for i, item in enumerate(c.evidence):
            yield f"{c.id} evidence[{i}]", item
        for value, text in c.levels.items():
            yield f"{c.id} level {value}", text


def test_every_file_in_standards_is_valid_and_lint_clean():
    assert not LIBRARY.failed, [str(i) for r in LIBRARY.failed for i in r.errors]
    findings = [str(i) for r in LIBRARY.reports for i in r.warnings]
    assert not findings, findings[:10]  # lint findings are errors for the shipped library
    assert {"id-licensing", "event-safety"} <= set(SHIPPED)


@pytest.mark.parametrize("std", SHIPPED.values(), ids=SHIPPED.keys())
def test_shipped_standard_is_complete_in_both_languages(std):
    assert 30 <= std.criteria_count <= 80
    missing = [where for where, text in texts(std) if not isinstance(text, dict) or set(LANGUAGES) - set(text)]
    assert not missing, missing[:10]


@pytest.mark.parametrize("std", SHIPPED.values(), ids=SHIPPED.keys())
def test_every_criterion_has_levels_guidance_evidence_and_references(std):
    for _, c in std.criteria():
        assert set(c.levels) == set(std.scale.values), c.id
        assert c.guidance and c.evidence and c.references, c.id
        assert re.fullmatch(r"[A-Z]+-\d{2}", c.id), c.id
    titles = [c.title["en"] for _, c in std.criteria()]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("std", SHIPPED.values(), ids=SHIPPED.keys())
def test_mandatory_only_where_required_and_targets_reachable(std):
    mandatory = [c for _, c in std.criteria() if c.mandatory]
    assert 0 < len(mandatory) < std.criteria_count / 2
    assert all(std.target_of(c) >= 3 for c in mandatory)


@pytest.mark.parametrize("std", SHIPPED.values(), ids=SHIPPED.keys())
def test_shipped_standard_scores_end_to_end(std):
    at_target = score_one(std, {c.id: std.target_of(c) for _, c in std.criteria()})
    assert at_target.coverage == 1 and at_target.actions == []
    assert at_target.verdict.code in {"ready", "progressing"}
    at_top = score_one(std, {c.id: std.scale.top for _, c in std.criteria()})
    assert at_top.overall == pytest.approx(1.0) and at_top.verdict.code == "ready"
    one_short = {c.id: std.target_of(c) for _, c in std.criteria()}
    first_mandatory = next(c for _, c in std.criteria() if c.mandatory)
    one_short[first_mandatory.id] = 0
    blocked = score_one(std, one_short)
    assert blocked.verdict.code == "not-ready" and blocked.actions[0] == first_mandatory.id


def test_library_figures_hold():
    from scoring.crosswalk import shared_capabilities

    assert len(SHIPPED) >= 7
    assert sum(s.criteria_count for s in SHIPPED.values()) >= 300
    assert len(shared_capabilities(SHIPPED.values())) >= 40
    assert [s.id for s in SHIPPED.values() if s.subject == "association"] == ["association-readiness"]
    for std in SHIPPED.values():
        assert 30 <= std.criteria_count <= 80, std.id
