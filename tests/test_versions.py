from hypothesis import given
from hypothesis import strategies as st

from scoring.model import Standard
from scoring.versions import compare, newest, version_key


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


# -- the one version order ---------------------------------------------------------------------------------------

numbers = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4)
versions = st.text(alphabet="0123456789.-_ab", max_size=10)


@given(numbers, numbers)
def test_dotted_numbers_compare_as_numbers(a, b):
    left, right = ".".join(map(str, a)), ".".join(map(str, b))
    assert (version_key(left) < version_key(right)) == (a < b)


@given(versions, versions)
def test_the_order_is_total_two_versions_are_equal_only_when_they_are_the_same_text(a, b):
    assert (version_key(a) == version_key(b)) == (a == b)
    assert (version_key(a) < version_key(b)) + (version_key(b) < version_key(a)) + (a == b) == 1


@given(st.lists(versions, min_size=1), st.randoms())
def test_the_newest_does_not_depend_on_the_order_it_is_given_in(found, random):
    shuffled = random.sample(found, len(found))
    assert newest(shuffled) == newest(found) == sorted(found, key=version_key)[-1]


def test_the_newest_of_2026_9_and_2026_10_is_2026_10():
    assert newest(["2026.9", "2026.10", "2026.2"]) == "2026.10"
    assert newest([]) is None
    assert sorted(["10a", "9", "11", "10"], key=version_key) == ["9", "10", "10a", "11"]
