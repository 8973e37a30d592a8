"""Reading certificates back: the text of a PDF and the QR codes drawn on it."""

from __future__ import annotations

import io

import pypdf
import zxingcpp
from PIL import Image


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def qr_codes_in(pdf: bytes) -> list[str]:
    found = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)).convert("L"))
            found += [d.text for d in decoded if d.format == zxingcpp.BarcodeFormat.QRCode]
    return found
