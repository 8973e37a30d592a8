"""The certificate as a one-page PDF, with a QR code that opens its public verification page."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats
from reportlab.lib.units import mm

from portal.pdf_documents import MARGIN, NAVY, Document
from training.models import Certificate


def certificate_pdf(certificate: Certificate, *, verification_url: str) -> bytes:
    course = certificate.course
    document = Document(title=f"Certificate: {course.title}", administration=settings.AEO_ISSUING_ADMINISTRATION,
                        reference=f"Training certificate {certificate.code}", verification_url=verification_url,
                        wide=True, framed=True, author=course.centre.name)
    document.text(course.centre.name.upper(), size=13, centred=True, gap=14 * mm)
    document.text("Certificate of completion", size=30, bold=True, colour=NAVY, centred=True, gap=17 * mm)
    document.text("This certifies that", size=14, centred=True, gap=15 * mm)
    document.text(certificate.holder_name, size=24, bold=True, colour=NAVY, centred=True, gap=15 * mm)
    document.text("has completed the course, its lessons and its assessment", size=14, centred=True, gap=13 * mm)
    document.text(course.title, size=18, bold=True, colour=NAVY, centred=True, gap=10 * mm)

    size = 48 * mm
    document.y = document.bottom + 20 * mm
    issued = formats.date_format(certificate.issued_at, "j F Y")
    expires = formats.date_format(certificate.expires_at, "j F Y") if certificate.expires_at else "does not expire"
    for line in (f"Issued: {issued}", f"Valid until: {expires}", f"Verification code: {certificate.code}"):
        document.text(line, size=11, left=MARGIN + 4 * mm, gap=7 * mm)
    document.qr_code(verification_url, x=document.width - MARGIN - 4 * mm - size, y=document.bottom + 2 * mm,
                     size=size, caption="Scan to verify")
    return document.finish()
