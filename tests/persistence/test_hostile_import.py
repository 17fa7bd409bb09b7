"""Hostile and unlucky imports: broken ZIP entries, ZIP bombs, over-long fields, look-alike names, concurrent
imports and starts, colliding export paths. Every file gets one line in the report; nothing half-done."""

from __future__ import annotations

import io
import json
import struct
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.policy import cli_actor
from services.transfer import Limits
from store import schema
from tests.conftest import MINI_ANSWERS

CLI = cli_actor()


def variant(name="PT Satu", **organization):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["organization"] = {"name": name} | organization
    return json.dumps(data).encode()


def zipped(files, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def tampered(raw: bytes, entry: str, *, flip_data=False, flag=0, method=None) -> bytes:
    """`raw` with one entry's bytes edited: a data byte flipped (bad CRC), a flag bit set, the method changed."""
    data = bytearray(raw)
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(entry)
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
    if flip_data:
        data[local + 30 + name_len + extra_len] ^= 0xFF
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(entry)] != entry.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    for flags_at, method_at in ((local + 6, local + 8), (central + 8, central + 10)):
        data[flags_at] |= flag
        if method is not None:
            data[method_at : method_at + 2] = struct.pack("<H", method)
    return bytes(data)


def outcomes(gapura, files):
    return [(line.file, line.outcome, line) for line in gapura.transfer.import_files(CLI, files)]


def rows(gapura, table):
    with gapura.store.session() as s:
        return s.scalar(select(func.count()).select_from(table))


@pytest.mark.parametrize(
    "edit", [{"flip_data": True}, {"flag": 0x1}, {"method": 99}], ids=["bad-crc", "encrypted", "method-99"]
)
def test_a_broken_zip_entry_is_one_skipped_line_and_the_batch_goes_on(gapura, edit):
    archive = zipped([("a.json", variant("PT A")), ("b.json", variant("PT B")), ("c.json", variant("PT C"))])
    files = [("first.json", variant("PT Awal")), ("x.zip", tampered(archive, "b.json", **edit)),
             ("last.json", variant("PT Akhir"))]  # fmt: skip
    lines = outcomes(gapura, files)
    assert [(f, o) for f, o, _ in lines] == [
        ("first.json", "imported"), ("x.zip/a.json", "imported"), ("x.zip/b.json", "skipped"),
        ("x.zip/c.json", "imported"), ("last.json", "imported"),
    ]  # fmt: skip
    broken = lines[2][2]
    assert [i.code for i in broken.issues] == ["import.unreadable-entry"]
    assert "could not be read" in broken.reason("en") and "tidak bisa dibaca" in broken.reason("id")
    assert gapura.store.find_organization("PT B") is None


def test_an_entry_that_inflates_over_100_to_1_is_skipped(gapura):
    bomb = variant("PT Bom")[:-1] + b" " * 3_000_000 + b"}"
    files = [("bom.zip", zipped([("bom.json", bomb), ("ok.json", variant("PT Ok"))], zipfile.ZIP_DEFLATED))]
    lines = outcomes(gapura, files)
    assert [(f, o) for f, o, _ in lines] == [("bom.zip/bom.json", "skipped"), ("bom.zip/ok.json", "imported")]
    assert [i.code for i in lines[0][2].issues] == ["import.entry-ratio"]
    assert "100" in lines[0][2].reason("en") and "100" in lines[0][2].reason("id")
    assert gapura.store.find_organization("PT Bom") is None


def test_limits_count_the_whole_upload_not_each_archive(gapura):
    gapura.transfer.limits = Limits(files=3)
    files = [("a.zip", zipped([("1.json", variant("PT 1")), ("2.json", variant("PT 2"))])),
             ("3.json", variant("PT 3")), ("b.zip", zipped([("4.json", variant("PT 4")), ("5.json", variant("PT 5"))]))]  # fmt: skip
    lines = outcomes(gapura, files)
    assert [(f, o) for f, o, _ in lines] == [
        ("a.zip/1.json", "imported"), ("a.zip/2.json", "imported"), ("3.json", "imported"),
        ("b.zip/4.json", "skipped"), ("b.zip/5.json", "skipped"),
    ]  # fmt: skip
    assert {i.code for *_, line in lines[3:] for i in line.issues} == {"import.too-many-files"}
    assert "3" in lines[3][2].reason("id")


def test_uncompressed_bytes_are_counted_as_read_over_the_whole_upload(gapura):
    one = len(variant("PT 1"))
    gapura.transfer.limits = Limits(total_bytes=int(one * 2.5))
    files = [("a.zip", zipped([("1.json", variant("PT 1"))], zipfile.ZIP_DEFLATED)),
             ("b.zip", zipped([("2.json", variant("PT 2")), ("3.json", variant("PT 3"))], zipfile.ZIP_DEFLATED)),
             ("4.json", variant("PT 4"))]  # fmt: skip
    lines = outcomes(gapura, files)
    assert [(f, o) for f, o, _ in lines] == [
        ("a.zip/1.json", "imported"), ("b.zip/2.json", "imported"), ("b.zip/3.json", "skipped"), ("4.json", "skipped"),
    ]  # fmt: skip
    assert {i.code for *_, line in lines[2:] for i in line.issues} == {"import.upload-too-large"}
    assert gapura.store.find_organization("PT 3") is None and gapura.store.find_organization("PT 4") is None


def test_a_huge_declared_size_is_refused_without_reading(gapura):
    archive = bytearray(zipped([("big.json", variant("PT Besar"))]))
    info = zipfile.ZipFile(io.BytesIO(bytes(archive))).getinfo("big.json")
    central = archive.index(b"PK\x01\x02")
    archive[central + 24 : central + 28] = struct.pack("<I", 4_000_000_000)  # declared uncompressed size
    archive[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", 4_000_000_000)
    lines = outcomes(gapura, [("big.zip", bytes(archive)), ("ok.json", variant("PT Ok"))])
    assert [(f, o) for f, o, _ in lines] == [("big.zip/big.json", "skipped"), ("ok.json", "imported")]
    assert lines[0][2].reason("en") and lines[0][2].reason("id")


@pytest.mark.parametrize(
    ("organization", "code"),
    [
        ({"name": "ß" * 200}, "organization.name-key-too-long"),
        ({"name": "ﬁ" * 150}, "value.too-long"),  # 150 characters as typed, 300 once NFKC spells the ligature out
        ({"name": "PT " + "x" * 198}, "value.too-long"),
        ({"name": "PT Wilayah", "region": "r" * 101}, "value.too-long"),
        ({"name": "PT Ukuran", "size": "s" * 21}, "value.too-long"),
        ({"name": "PT Segmen", "segments": ["conference"] * 51}, "value.too-long"),
        ({"name": "PT Segmen", "segments": ["x" * 61]}, "value.too-long"),
        ({"name": "\u200b\u202e \ufeff"}, "value.empty"),
    ],
    ids=[
        "casefolds-past-200",
        "nfkc-past-200",
        "name-201",
        "region-101",
        "size-21",
        "51-segments",
        "segment-61",
        "only-invisible",
    ],  # fmt: skip
)
def test_a_field_longer_than_its_column_is_refused_with_a_message_and_the_batch_goes_on(gapura, organization, code):
    data = json.loads(variant("x"))
    data["organization"] = organization
    files = [("long.json", json.dumps(data).encode()), ("ok.json", variant("PT Ok"))]
    lines = outcomes(gapura, files)
    assert [(f, o) for f, o, _ in lines] == [("long.json", "skipped"), ("ok.json", "imported")]
    assert [i.code for i in lines[0][2].issues] == [code]
    assert lines[0][2].reason("en") and lines[0][2].reason("id") != lines[0][2].reason("en")
    assert rows(gapura, schema.Organization) == 1


def test_the_longest_names_that_fit_are_stored(gapura):
    fits = {"name": "ß" * 100, "region": "r" * 100, "size": "s" * 20, "segments": ["conference"] * 50}
    lines = outcomes(gapura, [("a.json", variant(**fits)), ("b.json", variant("Ｐ" * 200))])
    assert [o for _, o, _ in lines] == ["imported", "imported"]
    # A region and size band off the form's lists are left out (a warning on the line), never stored.
    assert gapura.store.profile(lines[0][2].organization_id)["region"] is None
    assert [i.code for i in lines[0][2].issues] == ["profile.unknown-region", "profile.unknown-size"]
    assert gapura.store.organizations([lines[1][2].organization_id])[0][1] == "P" * 200


def test_names_are_stored_normalised_so_look_alikes_are_one_organization(gapura):
    look_alikes = ["PT Maju Jaya", "PT Maju\u200b Jaya", "PT Maju Ja\u200dya", "\ufeffPT  Maju\u00a0Jaya\u2060",
                   "ＰＴ Ｍａｊｕ Ｊａｙａ", "PT Maju\u2066 Jaya\u2069", "PT\tMaju\nJaya\x00"]  # fmt: skip
    files = [(f"{i}.json", variant(name, region="Jawa\u202e Barat")) for i, name in enumerate(look_alikes)]
    files.append(("rlo.json", variant("PT \u202eayaJ ujaM\u202c")))
    lines = outcomes(gapura, files)
    assert len({line.organization_id for *_, line in lines[:-1]}) == 1
    names = {name for _, name, _ in gapura.store.organizations()}
    assert names == {"PT Maju Jaya", "PT ayaJ ujaM"}
    assert gapura.store.profile(lines[0][2].organization_id)["region"] == "Jawa Barat"
    assert gapura.store.find_organization("pt maju\u200bjaya") is None  # what it shows: "PT MajuJaya"
    assert gapura.store.find_organization("PT MAJU \u200bJAYA") == lines[0][2].organization_id


def in_threads(n, task):
    """`task(i)` in n threads started together; their results, or the exceptions they raised."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return task(i)
        except Exception as exc:  # noqa: BLE001 - the test asserts there were none
            return exc

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_the_same_file_imported_by_8_at_once_is_stored_once(gapura):
    raw = variant("PT Serentak")
    results = in_threads(8, lambda i: list(gapura.transfer.import_files(CLI, [(f"{i}.json", raw)]))[0])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(line.outcome for line in results) == ["duplicate"] * 7 + ["imported"]
    assert len({line.assessment_id for line in results}) == 1
    assert rows(gapura, schema.Assessment) == 1


def test_8_starts_at_once_get_8_rounds(gapura):
    workspace = gapura.store.workspace(gapura.store.ensure_organization({"name": "PT Klik Ganda"}))
    results = in_threads(8, lambda i: workspace.start("mini", "1"))
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(s.round for s in workspace.assessments()) == list(range(1, 9))


def test_export_paths_never_collide(gapura):
    names = ["PT Maju Jaya", "PT Maju-Jaya", "PT. Maju Jaya", "株式会社 丸", "株式会社 角", "Компания", "PT Maju Jaya!"]
    lines = outcomes(gapura, [(f"{i}.json", variant(name)) for i, name in enumerate(names)])
    assert [o for _, o, _ in lines] == ["imported"] * 7
    archive, count = gapura.transfer.export_zip(CLI)
    paths = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert count == 7 and len(set(paths)) == 7
    ids = {line.organization: line.organization_id for *_, line in lines}
    assert f"pt-maju-jaya-{ids['PT Maju Jaya']}/mini-1-r1.json" in paths
    assert f"organization-{ids['Компания']}/mini-1-r1.json" in paths
