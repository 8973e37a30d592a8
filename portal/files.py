"""Private files: the upload check every pillar uses, and the permission-checked download.

An upload is refused, with a message that says why, when it is empty, too large, of a type not
allowed, when its content is not what its name claims (a renamed executable, say), or when its
structure is not that of a plain document of its type:

- PDF: must parse (pypdf), end properly and have pages; no JavaScript, launch actions or embedded
  files; not password-protected.
- Office documents (OOXML, ODF): opened as ZIP archives within limits (entries, unpacked size,
  compression ratio); no programs, nested archives, embedded objects or macros; the parts that make
  the document what its extension says must be there.
- Images: decoded completely by Pillow, within a pixel limit.
- Text and CSV: UTF-8, no NUL or other control characters, no web page, within a size limit; CSV
  cells a spreadsheet would run as formulas are refused.

Nothing is stored until the check has passed: callers save a `CheckedUpload` only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import TypeVar

import filetype
import pypdf
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from portal.models import StoredFile, User

StoredT = TypeVar("StoredT", bound=StoredFile)  # the kind of stored file `CheckedUpload.fill` is given and returns

# Extension → MIME type its content must show. Text formats have no magic bytes; see _check_text.
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
JSON_ONLY = {"json": "application/json"}
TEXT_TYPES = {"text/csv", "text/plain", "application/json"}
# Office files are ZIP archives: some are recognised only as that.
ZIP_BASED = {"docx", "xlsx", "odt", "ods"}

# Limits of the structural check. A real document stays far below each of them.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Office XML packs 10 to 30 times; a ZIP bomb a thousand times or more. Small parts are exempt.
ZIP_MAX_RATIO = 200
ZIP_RATIO_EXEMPT_BYTES = 1024 * 1024
IMAGE_MAX_PIXELS = 50_000_000  # 50 megapixels; decoding takes about 3 bytes a pixel
TEXT_MAX_BYTES = 5 * 1024 * 1024
PDF_MAX_OBJECTS = 200_000

# The part of [Content_Types].xml that says what an OOXML package is, and ODF's `mimetype` entry.
OOXML_MAIN_PART = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
PROGRAM_EXTENSIONS = {
    "exe", "dll", "com", "scr", "msi", "msp", "cpl", "sys", "bat", "cmd", "ps1", "psm1", "vbs", "vbe",
    "js", "jse", "wsf", "wsh", "hta", "jar", "sh", "bash", "py", "pl", "rb", "app", "dmg", "apk", "elf",
    "so", "dylib", "lnk", "reg", "inf",
}
ARCHIVE_EXTENSIONS = {"zip", "7z", "rar", "gz", "tgz", "bz2", "xz", "tar", "cab", "iso", "arj", "lz", "zst",
                      "docx", "docm", "xlsx", "xlsm", "pptx", "pptm", "odt", "ods", "odp"}
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b", b"MSCF", b"BZh", b"\xfd7zXZ")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE compound file: embedded objects and VBA macro storage
# The start of a web page, as browsers sniff it (WHATWG MIME sniffing, abridged).
HTML_START = re.compile(
    rb"\s*<(!doctype\s+html|html|head|body|script|iframe|svg|object|embed|style|title|meta|a\s|img\s|"
    rb"div|table|form|p[\s>]|br|h1|b[\s>]|font|!--|\?xml)",
    re.IGNORECASE,
)
# C0 control characters other than tab, line feed, form feed and carriage return, and DEL.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A number a spreadsheet reads as a number, not a formula, even with a sign: -12, +351 21 000 0000.
SIGNED_NUMBER = re.compile(r"[+-][\d\s.,()]*")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the check, with what we learnt about it."""

    file: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str

    def fill(self, stored: StoredT, *, uploaded_by: User) -> StoredT:
        """Fill a StoredFile subclass instance; the caller sets its own fields and saves it."""
        stored.original_name = self.original_name
        stored.size = self.size
        stored.sha256 = self.sha256
        stored.content_type = self.content_type
        stored.uploaded_by = uploaded_by
        self.file.seek(0)
        stored.file.save(f"upload.{self.extension}", self.file, save=False)
        return stored


def human_size(size: int) -> str:
    """A size as people say it: "10 MB", "12.3 MB", "512 bytes" (binary multiples, as Django's)."""
    if size < 1024:
        return _("%(n)s bytes") % {"n": size} if size != 1 else _("1 byte")
    value, units = size / 1024, ["KB", "MB", "GB", "TB"]
    while value >= 1024 and len(units) > 1:
        value, units = value / 1024, units[1:]
    value = round(value, 1)
    return f"{number_format(value, decimal_pos=0 if value.is_integer() else 1)}\xa0{units[0]}"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """The two sizes of a refusal, told apart even when they round alike (10 MB and 10 MB + 1 byte)."""
    shown, shown_limit = human_size(size), human_size(limit)
    if shown == shown_limit:
        shown = _("%(n)s bytes") % {"n": number_format(size, force_grouping=True)}
        shown_limit = _("%(size)s (%(n)s bytes)") % {"size": shown_limit,
                                                    "n": number_format(limit, force_grouping=True)}
    return shown, shown_limit


def _refuse(code: str, message: str, name: str, **params) -> ValidationError:
    return ValidationError(message % {"name": name, **params}, code=code)


def _too_large(name: str, size: int, limit: int, *, what: str | None = None) -> ValidationError:
    shown, shown_limit = _sizes(size, limit)
    return _refuse(
        "too_large",
        _("“%(name)s” is too large: %(what)s may be at most %(limit)s; this one is %(size)s. "
          "Make it smaller (fewer pages, lower image resolution) or split it, and upload it again."),
        name, what=what or _("files"), limit=shown_limit, size=shown,
    )


# --- PDF ------------------------------------------------------------------------------------------
#
# A PDF with scripts, launch actions or embedded files is refused, not cleaned: the stored file must
# be exactly what the uploader sent (its SHA-256 is recorded and shown to customs as evidence), a
# rewritten PDF could lose its digital signature or its content, and no evidence document needs
# active content. The uploader can print or export it to a plain PDF.

def _pdf_walk(value, found: set[str], depth: int = 0) -> None:
    """Look through one object and the direct objects inside it (indirect ones are visited apart)."""
    if depth > 64 or isinstance(value, IndirectObject):
        return
    if isinstance(value, DictionaryObject):
        action = value.get("/S")
        if "/JS" in value or action == "/JavaScript":
            found.add("javascript")
        if action in ("/Launch", "/ImportData"):
            found.add("launch")
        if "/EmbeddedFiles" in value or "/EF" in value or value.get("/Type") == "/EmbeddedFile":
            found.add("embedded")
        for item in value.values():
            _pdf_walk(item, found, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _pdf_walk(item, found, depth + 1)


def _pdf_active_content(reader: pypdf.PdfReader) -> set[str]:
    found: set[str] = set()
    _pdf_walk(reader.trailer, found)
    numbers = {(num, gen) for gen, entries in reader.xref.items() for num in entries}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    if len(numbers) > PDF_MAX_OBJECTS:
        found.add("objects")
        return found
    for num, gen in numbers:
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except Exception:  # noqa: S112 - an unreadable object is checked as the document loads
            continue
        _pdf_walk(obj, found)
    return found


def _check_pdf(data: bytes, name: str) -> None:
    # The specification ends a PDF with %%EOF; readers accept it within the last kilobyte. A file
    # without it was cut off (an interrupted download), or is something else with a PDF header.
    if b"%%EOF" not in data[-1024:]:
        raise _refuse("truncated", _("“%(name)s” is not a complete PDF: its end is missing, so it was probably "
                                     "cut off while it was downloaded or saved. Save or export it again, then "
                                     "upload the new copy."), name)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse("encrypted", _("“%(name)s” is protected by a password, so it cannot be checked or read "
                                         "by customs. Upload a copy without the password."), name)
        pages = len(reader.pages)
        active = _pdf_active_content(reader)
    except ValidationError:
        raise
    except Exception:
        # Any parser failure on a hostile or broken file is a refusal, never a server error.
        raise _refuse("damaged", _("“%(name)s” cannot be read as a PDF: it is damaged, or it is not really a "
                                   "PDF. Open it, export or print it to PDF again, and upload that."), name) from None
    if not pages:
        raise _refuse("no_pages", _("“%(name)s” is a PDF without any pages. Upload the document itself."), name)
    if "objects" in active:
        raise _refuse("damaged", _("“%(name)s” is built of too many parts to be checked. Print it to PDF again, "
                                   "and upload that."), name)
    reasons = [label for key, label in (
        ("javascript", _("JavaScript")),
        ("launch", _("an action that starts a program")),
        ("embedded", _("embedded files")),
    ) if key in active]
    if reasons:
        raise _refuse("active_content",
                      _("“%(name)s” contains %(what)s, which we do not accept in documents. Print it to PDF "
                        "(or export it as a plain PDF) and upload that copy."),
                      name, what=_(" and ").join(reasons))


# --- Office documents (ZIP packages) --------------------------------------------------------------

def _entry_kind(info: zipfile.ZipInfo, head: bytes) -> str | None:
    path = PurePosixPath(info.filename)
    extension = path.suffix.lower().lstrip(".")
    if extension in PROGRAM_EXTENSIONS or head.startswith(PROGRAM_MAGIC):
        return "program"
    if path.name.lower().startswith("vbaproject") or path.parts[:1] in (("Basic",), ("Scripts",)):
        return "macros"
    if extension in ARCHIVE_EXTENSIONS or head.startswith(ARCHIVE_MAGIC):
        return "archive"
    if head.startswith(OLE_MAGIC) or (extension == "bin" and "embeddings" in path.parts):
        return "embedded"
    return None


def _check_package(upload: UploadedFile, name: str, extension: str) -> None:
    damaged = _refuse("damaged", _("“%(name)s” cannot be opened as a .%(ext)s document: it is damaged, or it "
                                   "is some other file renamed. Open it in your office program, save it again "
                                   "and upload that copy."), name, ext=extension)
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            raise _refuse("zip_entries", _("“%(name)s” is made of %(n)s parts; a document has far fewer (at most "
                                           "%(limit)s here). Save it again as a plain .%(ext)s document."),
                          name, n=len(entries), limit=ZIP_MAX_ENTRIES, ext=extension)
        names = [info.filename for info in entries]
        if len(set(names)) != len(names):
            raise damaged
        unpacked = sum(info.file_size for info in entries)
        if unpacked > ZIP_MAX_UNPACKED_BYTES:
            raise _refuse("zip_bomb", _("“%(name)s” would unpack to %(size)s, more than the %(limit)s a document "
                                        "may take. Files like this are built to exhaust servers; if it is a real "
                                        "document, split it or save it as PDF."),
                          name, size=human_size(unpacked), limit=human_size(ZIP_MAX_UNPACKED_BYTES))
        for info in entries:
            if info.flag_bits & 0x1:
                raise _refuse("encrypted", _("“%(name)s” is protected by a password, so it cannot be checked or "
                                             "read by customs. Upload a copy without the password."), name)
            if info.file_size > ZIP_RATIO_EXEMPT_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                raise _refuse("zip_bomb", _("“%(name)s” contains a part packed %(ratio)s times smaller than it "
                                            "unpacks, far beyond any real document. Files like this are built to "
                                            "exhaust servers; upload the document saved again, or as PDF."),
                              name, ratio=number_format(info.file_size // max(info.compress_size, 1),
                                                        force_grouping=True))
            path = PurePosixPath(info.filename)
            if path.is_absolute() or ".." in path.parts or "\\" in info.filename or ":" in info.filename:
                raise damaged
        for info in entries:
            try:
                with archive.open(info) as part:
                    head = part.read(8)
                    kind = _entry_kind(info, head)
                    if kind:
                        raise _entry_refusal(kind, name, info.filename)
                    # Reading each part to its end checks its CRC: a part that lies about its size or
                    # content fails here. zipfile never unpacks more than the size checked above.
                    while part.read(1024 * 1024):
                        pass
            except ValidationError:
                raise
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise damaged from None
        _check_package_parts(archive, name, extension, damaged)


def _entry_refusal(kind: str, name: str, entry: str) -> ValidationError:
    messages = {
        "program": _("“%(name)s” contains a program (%(entry)s), not only a document. We do not accept "
                     "programs inside documents. Upload the document saved again, or as PDF."),
        "macros": _("“%(name)s” contains macros (%(entry)s). Save it as a document without macros (.docx, "
                    ".xlsx, .odt or .ods), or as PDF, and upload that."),
        "archive": _("“%(name)s” contains another archive or document (%(entry)s). Upload each document on its "
                     "own, or save this one without embedded objects."),
        "embedded": _("“%(name)s” contains an embedded object (%(entry)s), which can hide a program. Save it "
                      "without embedded objects, or as PDF, and upload that."),
    }
    return _refuse(kind, messages[kind], name, entry=entry[:100])


def _check_package_parts(archive: zipfile.ZipFile, name: str, extension: str, damaged: ValidationError) -> None:
    names = set(archive.namelist())
    expected = DOCUMENT_TYPES[extension]
    if extension in OOXML_MAIN_PART:
        if "[Content_Types].xml" not in names:
            raise _refuse("parts", _("“%(name)s” is a ZIP archive, not a .%(ext)s document: it lacks the part "
                                     "([Content_Types].xml) every Office document has. Upload the document "
                                     "itself."), name, ext=extension)
        with archive.open("[Content_Types].xml") as part:
            declared = part.read(1024 * 1024)
        if OOXML_MAIN_PART[extension] not in declared:
            raise _refuse("parts", _("“%(name)s” is an Office package but not a .%(ext)s document (it may be "
                                     "another kind, or contain macros). Save it as .%(ext)s and upload it "
                                     "again."), name, ext=extension)
    else:
        if "mimetype" not in names:
            raise _refuse("parts", _("“%(name)s” is a ZIP archive, not a .%(ext)s document: it lacks the part "
                                     "(mimetype) every OpenDocument file has. Upload the document itself."),
                          name, ext=extension)
        with archive.open("mimetype") as part:
            declared = part.read(200).strip()
        if declared != expected.encode():
            raise _refuse("parts", _("“%(name)s” is an OpenDocument file but not a .%(ext)s document. Save it "
                                     "as .%(ext)s and upload it again."), name, ext=extension)


# --- Images ---------------------------------------------------------------------------------------

IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}


def _check_image(upload: UploadedFile, name: str, extension: str) -> None:
    too_many = _("“%(name)s” is %(w)s × %(h)s pixels; images may have at most %(limit)s million pixels. Make it "
                 "smaller and upload it again.")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if image.format != IMAGE_FORMATS[extension]:
                raise _refuse("content", _("“%(name)s” is named .%(ext)s but is a %(found)s image. Save it as "
                                           ".%(ext)s and upload it again."), name, ext=extension,
                              found=image.format or "?")
            if width * height > IMAGE_MAX_PIXELS:
                raise _refuse("pixels", too_many, name, w=width, h=height, limit=IMAGE_MAX_PIXELS // 1_000_000)
            image.load()  # decodes every pixel: a truncated or corrupt image fails here
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses sizes far beyond its own guard as it opens the file, before we can ask.
        raise _refuse("pixels", _("“%(name)s” has far more pixels than images may have (at most %(limit)s "
                                  "million). Make it smaller and upload it again."),
                      name, limit=IMAGE_MAX_PIXELS // 1_000_000) from None
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, EOFError):
        raise _refuse("damaged", _("“%(name)s” cannot be read as an image: it is damaged or incomplete. Save "
                                   "or export it again and upload that copy."), name) from None


# --- Text and CSV ---------------------------------------------------------------------------------
#
# CSV cells that a spreadsheet would run as formulas (=, +, -, @ at the start, other than plain
# signed numbers) are refused rather than accepted as inert text: the file is kept exactly as sent
# (its hash is evidence), customs staff open downloads in spreadsheets, and a formula can fetch
# remote content or run commands there (CSV injection). Values are never formulas in a data export.

def _formula_cell(text: str) -> tuple[int, str] | None:
    """The line and content of the first cell that would run as a formula, if any."""
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            for cell in row:
                value = cell.lstrip(" ")
                if value and (value[0] in "=@\t\r" or (value[0] in "+-" and not SIGNED_NUMBER.fullmatch(value))):
                    return reader.line_num, cell
    except csv.Error:
        return None
    return None


def _check_text(upload: UploadedFile, name: str, extension: str) -> None:
    assert upload.size is not None  # check_upload has refused a file of no known size
    if upload.size > TEXT_MAX_BYTES:
        raise _too_large(name, upload.size, TEXT_MAX_BYTES, what=_("text and CSV files"))
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        raise _refuse("nul", _("“%(name)s” contains NUL bytes (binary data), so it is not a text file. Save it "
                               "as plain text or CSV (UTF-8) and upload it again."), name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refuse("encoding", _("“%(name)s” is not UTF-8 text (line %(line)s has a character in another "
                                    "encoding). Save it as “CSV UTF-8” or “Unicode (UTF-8)” text and upload it "
                                    "again."), name, line=line) from None
    control = TEXT_CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        raise _refuse("control", _("“%(name)s” contains a control character on line %(line)s, which text files "
                                   "do not have. Save it again as plain text or CSV and upload it."),
                      name, line=line)
    if extension != "json" and HTML_START.match(data.lstrip(b"\xef\xbb\xbf")):
        raise _refuse("html", _("“%(name)s” is a web page (HTML), not plain text. Upload the document itself, "
                                "or save the page as PDF."), name)
    if extension == "csv":
        found = _formula_cell(text)
        if found:
            line, cell = found
            raise _refuse("formula", _("“%(name)s” has a cell a spreadsheet would run as a formula (line %(line)s: "
                                       "“%(cell)s”). Export the values only, or put an apostrophe before text that "
                                       "starts with =, +, - or @, and upload it again."),
                          name, line=line, cell=cell.strip()[:40])


# --- The check ------------------------------------------------------------------------------------

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
        raise _too_large(name, upload.size, max_bytes)
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted type. Accepted: %(types)s.") % {"name": name, "types": allowed_list},
            code="type",
        )
    expected = allowed[extension]
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if expected in TEXT_TYPES:
        matches = kind is None
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
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    if expected in TEXT_TYPES:
        _check_text(upload, name, extension)
    elif extension == "pdf":
        upload.seek(0)
        _check_pdf(upload.read(), name)
    elif extension in ZIP_BASED:
        _check_package(upload, name, extension)
    elif extension in IMAGE_FORMATS:
        _check_image(upload, name, extension)
    upload.seek(0)
    return CheckedUpload(upload, name, extension, expected, upload.size, sha.hexdigest())


class PrivateFileField(forms.FileField):
    """A form field that runs the upload check; `cleaned_data` holds a CheckedUpload."""

    default_error_messages = {"required": gettext_lazy("Choose a file to upload.")}

    def __init__(self, *, allowed: dict[str, str] = DOCUMENT_TYPES, **kwargs):
        self.allowed = allowed
        kwargs.setdefault("help_text", gettext_lazy("%(types)s, at most %(limit)s.") % {
            "types": ", ".join(sorted({e.upper() for e in allowed})),
            "limit": human_size(settings.UPLOAD_MAX_BYTES),
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
