"""Private files: the upload check every pillar uses, and the permission-checked download.

An upload is refused, with a message that says why, when it is empty, too large, of a type not
allowed, or when its content is not what its name claims (a renamed executable, say).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import StoredFile

# Extension → MIME type its content must show. Text formats have no magic bytes; see _is_text.
DOCUMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
}
PDF_ONLY = {"pdf": "application/pdf"}
TEXT_TYPES = {"text/csv", "text/plain"}
# Office files are ZIP archives: some are recognised only as that.
ZIP_BASED = {"docx", "xlsx", "odt", "ods"}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the check, with what we learnt about it."""

    file: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str

    def fill(self, stored: StoredFile, *, uploaded_by) -> StoredFile:
        """Fill a StoredFile subclass instance; the caller sets its own fields and saves it."""
        stored.original_name = self.original_name
        stored.size = self.size
        stored.sha256 = self.sha256
        stored.content_type = self.content_type
        stored.uploaded_by = uploaded_by
        self.file.seek(0)
        stored.file.save(f"upload.{self.extension}", self.file, save=False)
        return stored


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine.
        return exc.start >= len(head) - 3
    return True


def check_upload(upload: UploadedFile, *, allowed: dict[str, str] = DOCUMENT_TYPES,
                 max_bytes: int | None = None) -> CheckedUpload:
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = PurePath(upload.name or "").name[:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed_list = ", ".join(sorted(e.upper() for e in allowed))
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty. Choose the file again, or a different one.") % {"name": name},
                              code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted type. Accepted: %(types)s.") % {"name": name, "types": allowed_list},
            code="type",
        )
    expected = allowed[extension]
    upload.seek(0)
    head = upload.read(8192)
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    kind = filetype.guess(head)
    if expected in TEXT_TYPES:
        matches = kind is None and _is_text(head)
    elif kind is None:
        matches = False
    else:
        matches = kind.mime == expected or (extension in ZIP_BASED and kind.mime == "application/zip")
    if not matches:
        found = kind.extension.upper() if kind else _("unrecognised content")
        raise ValidationError(
            _("“%(name)s” is named .%(ext)s but its content is %(found)s. Upload the document itself, "
              "saved as one of: %(types)s.") % {"name": name, "ext": extension, "found": found,
                                               "types": allowed_list},
            code="content",
        )
    return CheckedUpload(upload, name, extension, expected, upload.size, sha.hexdigest())


class PrivateFileField(forms.FileField):
    """A form field that runs the upload check; `cleaned_data` holds a CheckedUpload."""

    default_error_messages = {"required": gettext_lazy("Choose a file to upload.")}

    def __init__(self, *, allowed: dict[str, str] = DOCUMENT_TYPES, **kwargs):
        self.allowed = allowed
        kwargs.setdefault("help_text", gettext_lazy("%(types)s, at most %(limit)s.") % {
            "types": ", ".join(sorted({e.upper() for e in allowed})),
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
        })
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(f".{e}" for e in sorted(self.allowed))
        return attrs

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_upload(upload, allowed=self.allowed) if upload else upload


def file_download_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """Send a private file as a download. Call it only after the caller's permission check."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(stored: StoredFile) -> FileResponse:
    """Send an uploaded file under the name it was uploaded with."""
    return file_download_response(stored.file, filename=stored.original_name, content_type=stored.content_type)
