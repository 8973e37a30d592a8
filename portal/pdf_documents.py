"""The documents the portal issues, as PDF: certificates and decision notices share one layout.

Every page carries a header naming the issuing administration and a footer with the document's reference
and, where it has one, the address that verifies it; the body flows down the page in the house fonts and
colours, wrapped to the width and continued on a new page when it runs out. Each document (AEO
certificate, training certificate, decision notice) writes only its own content.
"""

from __future__ import annotations

import io

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
NAVY = HexColor("#0b2545")
GREY = HexColor("#505a5f")
MARGIN = 20 * mm
HEADER_HEIGHT = 22 * mm
FOOTER_HEIGHT = 18 * mm


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Document:
    """One issued document. Write its body with `text`, `heading`, `fields` and `qr_code`; `finish` gives the PDF.

    The bytes depend only on the content (`invariant`), so a notice's SHA-256 identifies its text.
    """

    def __init__(self, *, title: str, administration: str, reference: str, verification_url: str = "",
                 wide: bool = False, framed: bool = False, author: str = "") -> None:
        self.administration, self.reference, self.verification_url = administration, reference, verification_url
        self.framed = framed
        self.width, self.height = landscape(A4) if wide else A4
        self._buffer = io.BytesIO()
        self.pdf = canvas.Canvas(self._buffer, pagesize=(self.width, self.height), pageCompression=1, invariant=1)
        self.pdf.setTitle(title)
        self.pdf.setAuthor(author or administration)
        if verification_url:
            self.pdf.setSubject(_("Verification: %(url)s") % {"url": verification_url})
        self._page = 0
        self._start_page()

    @property
    def bottom(self) -> float:
        """The lowest line the body may use: above the footer."""
        return MARGIN + FOOTER_HEIGHT

    def _start_page(self) -> None:
        self._page += 1
        if self.framed:
            self.pdf.setStrokeColor(NAVY)
            self.pdf.setLineWidth(3)
            self.pdf.rect(12 * mm, 12 * mm, self.width - 24 * mm, self.height - 24 * mm)
        top = self.height - MARGIN
        self.pdf.setFillColor(NAVY)
        self.pdf.setFont(FONT_BOLD, 12)
        self.pdf.drawString(MARGIN, top - 4 * mm, self.administration)
        self.pdf.setStrokeColor(GREY)
        self.pdf.setLineWidth(0.5)
        self.pdf.line(MARGIN, top - 8 * mm, self.width - MARGIN, top - 8 * mm)
        self.y = self.height - MARGIN - HEADER_HEIGHT

    def _end_page(self) -> None:
        self.pdf.setStrokeColor(GREY)
        self.pdf.setLineWidth(0.5)
        self.pdf.line(MARGIN, MARGIN + 9 * mm, self.width - MARGIN, MARGIN + 9 * mm)
        self.pdf.setFillColor(GREY)
        self.pdf.setFont(FONT, 8)
        self.pdf.drawString(MARGIN, MARGIN + 4 * mm, self.reference)
        self.pdf.drawRightString(self.width - MARGIN, MARGIN + 4 * mm, _("Page %(n)s") % {"n": self._page})
        if self.verification_url:
            caption = _("Check that this document is valid: %(url)s") % {"url": self.verification_url}
            self.pdf.drawString(MARGIN, MARGIN, caption)
            self.pdf.linkURL(self.verification_url, (MARGIN, MARGIN - 1 * mm, self.width - MARGIN, MARGIN + 3 * mm))
        self.pdf.showPage()

    def new_page(self) -> None:
        self._end_page()
        self._start_page()

    def space(self, height: float) -> None:
        self.y -= height

    def text(self, text: str, *, size: float = 10, bold: bool = False, colour: Color = GREY,
             centred: bool = False, gap: float | None = None, left: float = MARGIN) -> None:
        """A paragraph, wrapped to the page; `gap` is the distance to the next line (1.5 × size by default)."""
        font = FONT_BOLD if bold else FONT
        step = gap if gap is not None else size * 1.5
        for part in simpleSplit(text, font, size, self.width - left - MARGIN) or [""]:
            if self.y < self.bottom:
                self.new_page()
            self.pdf.setFillColor(colour)
            self.pdf.setFont(font, size)
            if centred:
                self.pdf.drawCentredString(self.width / 2, self.y, part)
            else:
                self.pdf.drawString(left, self.y, part)
            self.y -= step

    def heading(self, text: str) -> None:
        self.space(2 * mm)
        self.text(text, size=11, bold=True, colour=NAVY, gap=6 * mm)

    def fields(self, rows: list[tuple[str, str]], *, label_width: float = 55 * mm, size: float = 12) -> None:
        """Label and value side by side, one row each."""
        for label, value in rows:
            top = self.y
            self.text(label, size=size, bold=True, colour=NAVY, left=MARGIN + 10 * mm, gap=10 * mm)
            self.y = top
            self.text(value, size=size, left=MARGIN + 10 * mm + label_width, gap=10 * mm)

    def qr_code(self, url: str, *, x: float, y: float, size: float, caption: str) -> None:
        """The QR code of `url` with its lower left corner at (x, y), the caption centred under it."""
        self.pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), x, y, size, size)
        self.pdf.setFillColor(GREY)
        self.pdf.setFont(FONT, 8)
        self.pdf.drawCentredString(x + size / 2, y - 3 * mm, caption)

    def finish(self) -> bytes:
        self._end_page()
        self.pdf.save()
        return self._buffer.getvalue()
