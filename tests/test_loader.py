import codecs
import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.issues import codes
from scoring.library import load_library, load_standard_file, read_standard
from tests.conftest import MINI


def mini_data():
    return json.loads(MINI.read_text(encoding="utf-8"))


def issues_of(data, name="x.json"):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return [(i.path, i.message()) for i in read_standard(raw, name).issues]


def test_a_valid_file_loads_with_defaults():
    std = load_standard_file(MINI).standard
    assert std.key == ("mini", "1")
    assert std.scale.values == [0, 1, 2, 3, 4]
    assert std.target_of(std.criterion("A2")) == 4  # default target is the top level
    assert std.readiness.ready == 0.75


def test_utf8_with_byte_order_mark_loads():
    raw = codecs.BOM_UTF8 + MINI.read_bytes()
    assert read_standard(raw, "bom.json").valid


def test_every_error_in_a_file_is_reported_at_once_with_its_path():
    data = mini_data()
    data["domains"][0]["criteria"][0]["target"] = 5
    data["domains"][0]["criteria"][1]["mandatroy"] = True
    data["domains"][1]["weight"] = 0
    found = issues_of(data)
    paths = {p for p, _ in found}
    assert {"domains[0].criteria[1].mandatroy", "domains[1].weight"} <= paths
    assert ("domains[0].criteria[1].mandatroy", "unknown field 'mandatroy'; did you mean 'mandatory'?") in found


def test_target_outside_the_scale_is_explained():
    data = mini_data()
    data["domains"][0]["criteria"][0]["target"] = 5
    assert issues_of(data) == [("domains[0].criteria[0].target", "target 5 is not a level of this scale (0–4)")]


def test_duplicate_ids_are_errors():
    data = mini_data()
    data["domains"][1]["criteria"][0]["id"] = "A1"
    data["domains"][1]["id"] = "A"
    messages = dict(issues_of(data))
    assert "already used by domains[0].criteria[0]" in messages["domains[1].criteria[0].id"]
    assert "domain id 'A' is already used" in messages["domains[1].id"]


def test_scale_must_start_at_zero_and_increase():
    data = mini_data()
    data["scale"] = {"levels": [{"value": 0, "label": "No"}, {"value": 0, "label": "Yes"}]}
    ((path, message),) = issues_of(data)
    assert path == "scale.levels" and "increase strictly" in message


def test_text_fields_accept_a_string_or_languages_and_explain_otherwise():
    data = mini_data()
    data["title"] = "Only one language"
    assert read_standard(json.dumps(data).encode(), "x.json").valid
    data["title"] = 42
    assert issues_of(data) == [
        ("title", 'title must be text or an object of language code to text, e.g. {"en": "...", "id": "..."}')
    ]


def test_unknown_top_level_keys_are_kept_with_a_warning():
    data = mini_data()
    data["committee"] = "Standards WG"
    report = read_standard(json.dumps(data).encode(), "x.json")
    assert report.valid
    assert [(w.path, w.severity) for w in report.warnings] == [("committee", "warning")]


def test_bad_files_each_get_their_own_message():
    cases = {
        b"": "the file is empty",
        b"   \n": "the file is empty",
        b"{not json": "not valid JSON",
        b"[1, 2]": "the top level must be a JSON object",
        '{"id": "caf\xe9"}'.encode("latin-1"): "not UTF-8 text",
        codecs.BOM_UTF16_LE + "{}".encode("utf-16-le"): "UTF-16",
        b'{"id": "a", "id": "b"}': "appears twice",
    }
    for raw, expected in cases.items():
        report = read_standard(raw, "bad.json")
        assert not report.valid
        assert expected in report.issues[0].message(), (raw[:20], report.issues)


def test_very_deep_nesting_is_refused_quickly_without_a_traceback():
    raw = b"[" * 100_000 + b"]" * 100_000
    start = time.perf_counter()
    report = read_standard(raw, "deep.json")
    assert "nested too deeply" in report.issues[0].message()
    assert time.perf_counter() - start < 5  # a guard against hanging, not a performance measure


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    report = load_standard_file(big)
    assert report.issues[0].message() == "the file is 50.0 MB; the limit is 10 MB"


def test_library_loads_the_good_files_and_reports_the_bad(tmp_path):
    (tmp_path / "good.json").write_bytes(MINI.read_bytes())
    (tmp_path / "copy.json").write_bytes(MINI.read_bytes())
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "standard.schema.json").write_text("{}", encoding="utf-8")
    lib = load_library(tmp_path)
    assert [s.id for s in lib.standards] == ["mini"]
    failed = {r.file.rsplit("/", 1)[-1]: r.errors[0].message() for r in lib.failed}
    assert set(failed) == {"broken.json", "good.json"}  # copy.json sorts first and wins
    assert "already defined in" in failed["good.json"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw):
    report = read_standard(raw, "fuzz.json")
    assert report.valid or report.errors


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "domains", "scale", "readiness", "x"]), json_values))
def test_arbitrary_json_objects_get_messages_with_paths(data):
    report = read_standard(json.dumps(data).encode(), "fuzz.json")
    for issue in report.issues:  # every code is known and reads in both languages
        assert issue.file == "fuzz.json" and issue.code in codes() and issue.message("en") and issue.message("id")
