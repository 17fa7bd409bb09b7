"""Small real files for evidence tests: a PDF (fpdf2), a PNG and a JPEG header, and things that only pretend to be
one of them."""

from __future__ import annotations

import random
import struct
import zlib

from fpdf import FPDF


def pdf(text: str = "Izin keramaian 2026") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text=text)
    return bytes(document.output())


def png(side: int = 1, rng: random.Random | None = None) -> bytes:
    """A side×side PNG: white, or noise drawn from `rng` (which does not compress away: a few KB at 32)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = (lambda: rng.randbytes(side * 3)) if rng else (lambda: b"\xff" * side * 3)
    pixels = b"".join(b"\0" + row() for _ in range(side))  # each row: filter byte, then RGB pixels
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 64 + b"\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 120  # a Linux program
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 120  # a Windows program
ZIP = b"PK\x03\x04\x14\x00\x00\x00" + b"\0" * 120
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
