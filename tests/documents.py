"""Small genuine documents of each accepted type, for tests that upload files."""

from __future__ import annotations

import io
import zipfile

import pypdf
from PIL import Image


def pdf(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(parts: dict[str, bytes], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:  # ODF wants its mimetype first and stored, not compressed
            archive.writestr(zipfile.ZipInfo(first), parts.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def ooxml(kind: str = "docx", extra: dict[str, bytes] | None = None) -> bytes:
    main, part = {
        "docx": ("wordprocessingml.document", "word/document.xml"),
        "xlsx": ("spreadsheetml.sheet", "xl/workbook.xml"),
    }[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.{main}.main+xml"/>'
        "</Types>"
    )
    return _zip({"[Content_Types].xml": types.encode(), part: b"<?xml version='1.0'?><document/>", **(extra or {})})


def odf(kind: str = "odt", extra: dict[str, bytes] | None = None) -> bytes:
    mime = {"odt": "text", "ods": "spreadsheet"}[kind]
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{mime}".encode(),
                 "content.xml": b"<?xml version='1.0'?><office:document-content/>",
                 "META-INF/manifest.xml": b"<?xml version='1.0'?><manifest/>", **(extra or {})}, first="mimetype")


def image(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(out, kind)
    return out.getvalue()


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG")
DOCX = ooxml("docx")
XLSX = ooxml("xlsx")
ODT = odf("odt")
ODS = odf("ods")
CSV = "code;description;quantity\n8471;Computers — ação;-12\n".encode()
