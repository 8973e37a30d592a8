"""The certificate as a one-page PDF, with a QR code that opens its public verification page."""

from __future__ import annotations

import io

import qrcode
from django.utils import formats
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from training.models import Certificate

NAVY = HexColor("#0b2545")
GREY = HexColor("#505a5f")


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_pdf(certificate: Certificate, *, verification_url: str) -> bytes:
    course = certificate.course
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"Certificate: {course.title}")
    pdf.setAuthor(course.centre.name)
    pdf.setSubject(f"Verification: {verification_url}")

    pdf.setStrokeColor(NAVY)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    pdf.setFillColor(GREY)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(width / 2, height - 40 * mm, course.centre.name.upper())
    pdf.setFillColor(NAVY)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 58 * mm, "Certificate of completion")
    pdf.setFillColor(GREY)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 75 * mm, "This certifies that")
    pdf.setFillColor(NAVY)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 90 * mm, certificate.holder_name)
    pdf.setFillColor(GREY)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 105 * mm, "has completed the course, its lessons and its assessment")
    pdf.setFillColor(NAVY)
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 118 * mm, course.title)

    pdf.setFillColor(GREY)
    pdf.setFont("Helvetica", 11)
    issued = formats.date_format(certificate.issued_at, "j F Y")
    expires = formats.date_format(certificate.expires_at, "j F Y") if certificate.expires_at else "does not expire"
    left = 24 * mm
    pdf.drawString(left, 52 * mm, f"Issued: {issued}")
    pdf.drawString(left, 45 * mm, f"Valid until: {expires}")
    pdf.drawString(left, 38 * mm, f"Verification code: {certificate.code}")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, 30 * mm, f"Check that this certificate is valid: {verification_url}")
    pdf.linkURL(verification_url, (left, 28 * mm, width - 80 * mm, 34 * mm))

    size = 48 * mm
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(verification_url))), width - 24 * mm - size, 22 * mm,
                  size, size)
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(width - 24 * mm - size / 2, 19 * mm, "Scan to verify")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
