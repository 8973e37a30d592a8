"""The one layout of issued documents: the issuer on every page, the reference and verification in every
footer, long text carried over to new pages, and the same content giving the same bytes."""

from __future__ import annotations

import io

import pypdf

from portal.pdf_documents import Document
from tests.pdf import qr_codes_in


def _document(paragraphs: int) -> bytes:
    document = Document(title="Decision", administration="Autoridade Tributária e Aduaneira",
                        reference="Decision notice AEO-PT-2026-000001/D7",
                        verification_url="https://portal.example/verify/abc/")
    document.heading("Grounds")
    for n in range(paragraphs):
        document.text(f"Paragraph {n}: the applicant keeps no record of the seals it applies to containers.")
    document.qr_code("https://portal.example/verify/abc/", x=100, y=100, size=100, caption="Scan to verify")
    return document.finish()


def test_every_page_names_the_issuer_and_carries_the_reference_and_the_verification_address():
    pages = pypdf.PdfReader(io.BytesIO(_document(120))).pages
    assert len(pages) >= 3  # 120 paragraphs do not fit on one A4 page
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Autoridade Tributária e Aduaneira" in text
        assert "Decision notice AEO-PT-2026-000001/D7" in text and f"Page {number}" in text
        assert "https://portal.example/verify/abc/" in text
    body = "".join(page.extract_text() for page in pages)
    assert all(f"Paragraph {n}:" in body for n in range(120))  # nothing lost at a page break


def test_the_same_content_gives_the_same_bytes_and_a_readable_qr_code():
    assert _document(3) == _document(3)  # a notice's SHA-256 identifies its content
    assert qr_codes_in(_document(3)) == ["https://portal.example/verify/abc/"]
