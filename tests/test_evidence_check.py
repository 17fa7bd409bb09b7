"""The evidence upload check (scoring/evidence.py): the type comes from the content, never from the name; every
refusal has its code; names are cleaned; arbitrary bytes and names never crash it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.evidence import ACCEPTED, MAX_NAME, Checked, Document, check, clean_name
from scoring.issues import Issue
from tests.evidence_files import ELF, EXE, HTML, JPEG, SVG, ZIP, pdf, png

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "media_type", "shown"),
    [("izin.pdf", pdf(), "application/pdf", "izin.pdf"), ("foto.JPEG", JPEG, "image/jpeg", "foto.jpg"),
     ("denah.png", png(), "image/png", "denah.png"), ("izin", pdf(), "application/pdf", "izin.pdf"),
     ("foto.pdf", png(), "image/png", "foto.png"), ("laporan.docx", pdf(), "application/pdf", "laporan.docx.pdf")],
)  # fmt: skip
def test_pdf_jpeg_and_png_pass_and_the_content_decides_the_extension(name, data, media_type, shown):
    assert check(name, data, 10 * MB) == Checked(media_type, shown)


@pytest.mark.parametrize(
    ("data", "code"),
    [(ELF, "evidence.executable"), (EXE, "evidence.executable"), (ZIP, "evidence.wrong-type"),
     (HTML, "evidence.unrecognised"), (SVG, "evidence.unrecognised"), (b"izin usaha", "evidence.unrecognised"),
     (b"", "evidence.empty"), (b"GIF89a" + b"\0" * 20, "evidence.wrong-type")],
)  # fmt: skip
def test_anything_else_named_pdf_is_refused_with_its_reason(data, code):
    refused = check("izin-usaha.pdf", data, 10 * MB)
    assert isinstance(refused, Issue) and refused.code == code
    assert refused.message("id") != refused.message("en")  # said in both languages


def test_the_size_limit_counts_bytes():
    assert isinstance(check("a.pdf", pdf().ljust(MB, b"\0"), 1 * MB), Checked)
    too_large = check("a.pdf", pdf().ljust(MB + 1, b"\0"), 1 * MB)
    assert isinstance(too_large, Issue) and too_large.code == "evidence.too-large"


@pytest.mark.parametrize(
    ("name", "shown"),
    [("C:\\Users\\budi\\Desktop\\izin.pdf", "izin.pdf"), ("../../etc/passwd", "passwd.pdf"),
     ("izin\x00\x1b[31m\u202egpj.pdf", "izin [31mgpj.pdf"), ("   .pdf", "document.pdf"), ("", "document.pdf"),
     ("a" * 500 + ".pdf", "a" * (MAX_NAME - 4) + ".pdf"), ("izin  usaha\n2026.pdf", "izin usaha 2026.pdf")],
)  # fmt: skip
def test_names_lose_path_parts_control_characters_and_length(name, shown):
    assert clean_name(name, "pdf") == shown


@given(st.binary(max_size=2048), st.text(max_size=300))
def test_arbitrary_bytes_and_names_never_crash_the_check(data, name):
    result = check(name, data, 1024)
    if isinstance(result, Checked):
        assert result.media_type in ("application/pdf", "image/jpeg", "image/png")
        assert len(result.name) <= MAX_NAME and "/" not in result.name and "\\" not in result.name
        assert not any(ord(c) < 32 for c in result.name)
    else:
        assert result.code.startswith("evidence.") and result.message("id")


@given(st.binary(max_size=512))
def test_known_headers_pass_whatever_follows(tail):
    for header, media_type in ((b"%PDF-1.7\n", "application/pdf"), (b"\xff\xd8\xff\xe0", "image/jpeg"),
                               (b"\x89PNG\r\n\x1a\n", "image/png")):  # fmt: skip
        assert check("x", header + tail, MB) == Checked(media_type, clean_name("x", ACCEPTED[media_type]))


def test_expired_and_expiring_flags():
    today = date(2026, 12, 6)

    def flag(days: int | None) -> str | None:
        expires = None if days is None else today + timedelta(days=days)
        return Document(1, "A1", "a.pdf", "application/pdf", 1, expires, datetime(2026, 1, 1)).flag(today)

    assert [flag(d) for d in (-1, 0, 29, 30, None)] == ["expired", "expiring", "expiring", None, None]
