import json
from datetime import UTC, datetime

from scoring.crosswalk import capability_prefill, excluded_by_segments, matrix, shared_capabilities
from scoring.lint import lint
from scoring.model import Answer, Standard

REGISTRY = {"risk-assessment": "Risk", "insurance": "Insurance", "crowd-capacity": "Capacity"}


def make(sid, criteria, **extra):
    return Standard.model_validate({"id": sid, "version": "1", "title": {"en": sid, "id": sid},
                                    "description": {"en": "d", "id": "d"},
                                    "domains": [{"id": "D", "title": {"en": "D", "id": "D"}, "criteria": criteria}],
                                    **extra})  # fmt: skip


def full(cid, title, **extra):
    text = {"en": f"{title} text", "id": f"{title} teks"}
    return {"id": cid, "title": {"en": title, "id": f"{title} (id)"}, "description": text, "guidance": text,
            "evidence": [text], "levels": {str(v): text for v in range(5)}, "references": ["Ref 1.2"], **extra}  # fmt: skip


def findings(std):
    return {(i.path, i.message()) for i in lint(std, "s.json", REGISTRY)}


def test_a_complete_standard_has_no_findings():
    assert findings(make("ok", [full("A", "Plan", capabilities=["risk-assessment"])])) == set()


def test_lint_names_every_gap_with_its_path():
    bad = full("B", "Plan", capabilities=["made-up"], applies_to=["rave"], mandatory=True)
    bad["title"] = {"en": "Plan"}
    bad["references"] = []
    del bad["levels"]["3"]
    std = make("bad", [full("A", "Plan"), bad])
    got = findings(std)
    assert ("domains[0].criteria[1].title", "B's title has no id text") in got
    assert ("domains[0].criteria[1].references", "B has no reference to the clause or section it comes from") in got
    assert ("domains[0].criteria[1].levels", "B has no description for level(s) 3") in got
    assert (
        "domains[0].criteria[1].capabilities[0]",
        "capability 'made-up' is not in standards/capabilities.json",
    ) in got
    assert any(p == "domains[0].criteria[1].applies_to[0]" and "'rave' is not an event segment" in m for p, m in got)
    assert ("domains[0].criteria[1].applies_to", "B is mandatory, so it cannot be limited to some segments") in got
    assert ("domains[0].criteria[1].title", "B has the same title (en) as A") in got


def test_segments_exclude_only_optional_criteria_outside_the_company_segments():
    std = make("s", [full("A", "Stage", applies_to=["concert-festival"]), full("B", "Booth", applies_to=["exhibition"]),
                     full("C", "Any")])  # fmt: skip
    assert excluded_by_segments(std, ["wedding-social"]) == {"A": ["concert-festival"], "B": ["exhibition"]}
    assert excluded_by_segments(std, ["exhibition", "wedding-social"]) == {"A": ["concert-festival"]}
    assert excluded_by_segments(std, []) == {}  # no segments named: nothing is assumed away


def test_prefill_offers_the_latest_answer_to_the_same_primary_capability():
    safety = make(
        "safety",
        [full("S1", "Risk", capabilities=["risk-assessment"]), full("S2", "Cover", capabilities=["insurance"])],
    )
    legal = make(
        "legal",
        [full("L1", "Insured", capabilities=["insurance"]), full("L2", "Risk log", capabilities=["risk-assessment"])],
    )
    target = make("quality", [full("Q1", "Risks", capabilities=["risk-assessment"]), full("Q2", "Cap", capabilities=["crowd-capacity"]),
                              full("Q3", "Insurance", capabilities=["insurance"]),
                              full("Q4", "Cover", capabilities=["crowd-capacity", "insurance"])])  # insurance is context only  # fmt: skip
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    offers = capability_prefill(target, [
        (safety, {"S1": Answer(level=2, updated_at=old), "S2": Answer(level="na", updated_at=new)}),
        (legal, {"L1": Answer(level=3, updated_at=old), "L2": Answer(level=4, updated_at=new)}),
    ])  # fmt: skip
    assert {cid: (p.level, p.origin) for cid, p in offers.items()} == {
        "Q1": (4, "capability:legal/L2"), "Q3": (3, "capability:legal/L1"),
    }  # fmt: skip


def test_crosswalk_matrix_counts_criteria_per_capability_and_standard():
    a = make(
        "a",
        [
            full("A1", "x", capabilities=["risk-assessment", "insurance"]),
            full("A2", "y", capabilities=["risk-assessment"]),
        ],
    )
    b = make("b", [full("B1", "z", capabilities=["risk-assessment"])])
    table = matrix([a, b])
    assert table.loc["risk-assessment"].to_dict() == {"a": 2, "b": 1}
    assert table.loc["insurance"].to_dict() == {"a": 1, "b": 0}
    assert shared_capabilities([a, b]) == ["risk-assessment"]


def test_registry_file_is_valid_and_ids_unique():
    from tests.conftest import STANDARDS

    data = json.loads((STANDARDS / "capabilities.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["capabilities"]]
    assert len(ids) == len(set(ids)) >= 40
    assert all(c["title"]["en"] and c["title"]["id"] for c in data["capabilities"])
