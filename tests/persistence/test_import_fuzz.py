"""Property: whatever an upload holds (ZIP structures, names with control characters, lying sizes, any JSON),
`Transfer.import_files` raises nothing, gives every file one line, explains every skip in English and Indonesian,
and stores nothing from a file it skipped. GAPURA_FUZZ_EXAMPLES=10000 for a long run."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from store import schema
from tests.conftest import MINI, MINI_ANSWERS

CLI = cli_actor()
EXAMPLES = int(os.environ.get("GAPURA_FUZZ_EXAMPLES", "300"))
BASE = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))

hostile_text = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "Cc", "Cf", "So")), max_size=30
) | st.sampled_from(["PT Maju Jaya", "PT Maju\u200bJaya", "\u202eayaJ", "ß" * 200, "ﬁ" * 150, " ", "=1+1", "x\r=cmd"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
levels = st.sampled_from([0, 1, 2, 3, 4, 9, -1, "na", "3", True, None, 2.5])


@st.composite
def assessments(draw) -> bytes:
    data = json.loads(json.dumps(BASE))
    data["organization"] = {"name": draw(hostile_text)} | draw(
        st.fixed_dictionaries({}, optional={"region": hostile_text, "size": hostile_text,
                                            "segments": st.lists(hostile_text, max_size=3)})
    )  # fmt: skip
    for cid in draw(st.lists(st.sampled_from(["A1", "A2", "B1", "B2", "Z9"]), max_size=4)):
        data["answers"][cid] = {"level": draw(levels), "justification": draw(hostile_text)}
    if draw(st.booleans()):
        data[draw(st.sampled_from(["format", "standard", "answers", "extra"]))] = draw(json_values)
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode()


contents = assessments() | json_values.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200)
entry_names = st.sampled_from(["a.json", "d/b.json", "d/", "d/e/", "x.txt", "__MACOSX/a.json", "in.zip"]) | (
    hostile_text.map(lambda t: t.replace("\x00", "") + ".json")
)


@st.composite
def archives(draw) -> bytes:
    buffer = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name in draw(st.lists(entry_names, max_size=5)):
            archive.writestr(name, b"" if name.endswith("/") else draw(contents))
    raw = bytearray(buffer.getvalue())
    for _ in range(draw(st.integers(0, 2))):  # lie about a size, set flags or a method, or flip any byte
        edit = draw(st.sampled_from(["size", "flag", "method", "byte"]))
        at = raw.find(b"PK\x01\x02")
        if edit == "byte" and raw:
            raw[draw(st.integers(0, len(raw) - 1))] ^= draw(st.integers(1, 255))
        elif at >= 0 and edit == "size":
            raw[at + 24 : at + 28] = struct.pack("<I", draw(st.sampled_from([0, 1, 2**31, 2**32 - 1])))
        elif at >= 0 and edit == "flag":
            raw[at + 8] |= 0x1
        elif at >= 0:
            raw[at + 10 : at + 12] = struct.pack("<H", draw(st.sampled_from([1, 9, 12, 14, 99])))
    return bytes(raw)


uploads = st.lists(
    st.tuples(st.sampled_from(["f.json", "g.JSON", "h.txt"]), contents) | st.tuples(st.just("z.zip"), archives()),
    min_size=1,
    max_size=4,
)


def expected_lines(files) -> int:
    count = 0
    for name, raw in files:
        if not name.lower().endswith(".zip"):
            count += 1
            continue
        try:
            infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
        except Exception:  # noqa: BLE001 - any unreadable archive is one line
            count += 1
            continue
        count += sum(1 for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/"))
    return count


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    gapura = Gapura(Settings(database_url=f"sqlite:///{path}", standards_dir=MINI.parent))
    yield gapura
    gapura.close()


def counts(app) -> tuple[int, ...]:
    with app.store.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (schema.Organization, schema.Assessment, schema.Answer)
        )


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=uploads)
def test_no_upload_raises_loses_a_line_or_stores_a_skipped_file(app, files):
    before = counts(app)
    lines = list(app.transfer.import_files(CLI, files))
    assert len(lines) == expected_lines(files)
    for line in lines:
        assert line.outcome in {"imported", "duplicate", "skipped"}
        if line.outcome == "skipped":
            assert line.issues and line.reason("en") and line.reason("id")
    organizations, assessments_, answers = (after - was for after, was in zip(counts(app), before, strict=True))
    imported = [line for line in lines if line.outcome == "imported"]
    event(f"imported: {bool(imported)}")
    assert assessments_ == len(imported)
    assert organizations <= len(imported)
    assert answers == sum(line.answers for line in imported)
