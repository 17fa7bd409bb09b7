from scoring.model import Standard
from scoring.versions import compare


def standard(version, criteria, levels=5):
    return Standard.model_validate({
        "id": "s", "version": version, "title": "S",
        "scale": {"levels": [{"value": v, "label": str(v)} for v in range(levels)]},
        "domains": [{"id": "D", "title": "D", "criteria": criteria}],
    })  # fmt: skip


def test_added_removed_changed_and_unchanged_criteria():
    old = standard("1", [{"id": "A", "title": "Plan"}, {"id": "B", "title": "Brief"}, {"id": "C", "title": "Old"}])
    new = standard("2", [
        {"id": "A", "title": "Plan", "guidance": "new tips", "references": ["x"]},  # wording around it only
        {"id": "B", "title": "Brief", "target": 2},  # the bar moved: an old answer may not mean "met" any more
        {"id": "D", "title": "New"},
    ])  # fmt: skip
    diff = compare(old, new)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (["D"], ["C"], ["B"], ["A"])
    assert diff.carried == ["A"]


def test_a_new_scale_carries_nothing_over():
    old = standard("1", [{"id": "A", "title": "Plan"}])
    new = standard("2", [{"id": "A", "title": "Plan"}], levels=3)
    assert compare(old, new).carried == []
