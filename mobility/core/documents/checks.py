"""Whether an uploaded file is accepted: one function, `check_upload`, used by the forms, the
services and the API alike.

The type is read from the content (magic bytes, through the `filetype` library), never from
the name or the browser's word. Accepted: PDF, JPEG and PNG (scans), and DOCX. On top of the
magic bytes:
- a PDF must start with `%PDF-`, end with `%%EOF` (a truncated upload has none) and carry no
  ZIP inside or after it (a PDF/ZIP polyglot passes a PDF reader and an unzip tool alike);
- a DOCX must be a real OOXML package: the ZIP opens, holds `[Content_Types].xml` and
  `word/document.xml`, no entry escapes its folder, no macros, and it unpacks to a sane size.
  Any other ZIP is refused;
- when the file's name has an extension, it must be one of the detected type's.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import format_lazy, get_valid_filename
from django.utils.translation import gettext_lazy as _

from mobility.core.documents.models import Document


@dataclass(frozen=True, slots=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first one is added to a name that has none
    label: Any  # lazy, translatable


PDF = FileType("application/pdf", ("pdf",), _("a PDF document"))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"), _("a JPEG image"))
PNG = FileType("image/png", ("png",), _("a PNG image"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
    _("a Word document (DOCX)"),
)

ALLOWED_TYPES: dict[str, tuple[FileType, ...]] = {
    Document.Kind.IDENTITY: (PDF, JPEG, PNG),
    Document.Kind.STATUS: (PDF, JPEG, PNG),
    Document.Kind.CV: (PDF, DOCX),
    Document.Kind.OTHER: (PDF, JPEG, PNG, DOCX),
}

# What the detector names, for the types a person may try: the message says what the file is.
_OTHER_LABELS: dict[str, Any] = {
    "application/zip": _("a ZIP archive"),
    "application/x-executable": _("a program"),
    "application/x-msdownload": _("a program"),
    "application/x-mach-binary": _("a program"),
    "application/x-sh": _("a program"),
}

# A PDF may end with line breaks (and, from some scanners, NUL padding) after `%%EOF`.
_PDF_TAIL_ALLOWED = b" \t\r\n\x00\x0c"
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_METHODS = {0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99}  # stored, deflate, bzip2, lzma, zstd, xz, …
_PNG_END = b"IEND\xaeB`\x82"
_DOCX_MAX_ENTRIES = 2000
_DOCX_REQUIRED = ("[Content_Types].xml", "word/document.xml")


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An accepted upload: its bytes and what was learnt from them."""

    content: bytes
    content_type: str
    name: str  # sanitised, with the detected type's extension
    size: int
    sha256: str


def allowed_labels(kind: str) -> str:
    labels = [str(t.label) for t in ALLOWED_TYPES[kind]]
    return ", ".join(labels[:-1]) + " " + str(_("or")) + " " + labels[-1] if len(labels) > 1 else labels[0]


def check_upload(file: IO[bytes] | Any, *, kind: str, name: str | None = None) -> CheckedFile:
    """Read the upload and accept it, or raise a ValidationError with a message a person can
    act on. Nothing is written anywhere here."""
    limit: int = settings.DOCUMENT_MAX_BYTES
    name = name if name is not None else str(getattr(file, "name", "") or "")
    content = _read(file, limit)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB. Upload a smaller file."),
            code="too_large",
            params={"limit": _megabytes(limit)},
        )
    allowed = ALLOWED_TYPES[kind]
    detected = _detect(content)
    if detected is None:
        raise ValidationError(
            _("This file is %(what)s, which is not accepted here. Upload %(allowed)s."),
            code="type",
            params={"what": _describe(content), "allowed": allowed_labels(kind)},
        )
    if detected not in allowed:
        raise ValidationError(
            _("This file is %(what)s, which is not accepted for this document. Upload %(allowed)s."),
            code="type_for_kind",
            params={"what": detected.label, "allowed": allowed_labels(kind)},
        )
    extension = _extension(name)
    if extension and extension not in detected.extensions:
        raise ValidationError(
            _("The file is named “.%(extension)s” but it is %(what)s. Upload the original file."),
            code="extension",
            params={"extension": extension, "what": detected.label},
        )
    if detected is PDF:
        _check_pdf(content)
    elif detected is PNG:
        _check_png(content)
    return CheckedFile(
        content=content,
        content_type=detected.content_type,
        name=sanitise_name(name, detected.extensions[0]),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _read(file: Any, limit: int) -> bytes:
    """At most limit + 1 bytes (enough to know the file is too large)."""
    if hasattr(file, "seek"):
        file.seek(0)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = file.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    return b"".join(chunks)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _detect(content: bytes) -> FileType | None:
    """The accepted type the content is, or None. A ZIP is a DOCX only if it is a valid
    Word package; `_check_docx` raises for a damaged or unsafe one."""
    mime = filetype.guess_mime(content[:8192])
    if mime == PDF.content_type and content.startswith(b"%PDF-"):
        return PDF
    if mime == JPEG.content_type:
        return JPEG
    if mime == PNG.content_type:
        return PNG
    if content.startswith(_ZIP_LOCAL_HEADER):
        return DOCX if _check_docx(content) else None
    return None


def _describe(content: bytes) -> Any:
    mime = filetype.guess_mime(content[:8192])
    if content.startswith(_ZIP_LOCAL_HEADER):
        return _OTHER_LABELS["application/zip"]
    if mime in _OTHER_LABELS:
        return _OTHER_LABELS[mime]
    if mime:
        return format_lazy("{} ({})", _("a file of another type"), mime)
    return _("a file of unknown type")


def _check_pdf(content: bytes) -> None:
    end = content.rfind(b"%%EOF")
    if end == -1:
        raise ValidationError(
            _("The PDF is incomplete (its end is missing). Upload the whole file again."),
            code="pdf_truncated",
        )
    tail = content[end + len(b"%%EOF") :]
    if tail.strip(_PDF_TAIL_ALLOWED) or _has_zip_entry(content, start=5):
        raise ValidationError(
            _(
                "The PDF carries other data inside or after it (for example a ZIP archive). "
                "Save or print it again as a plain PDF."
            ),
            code="pdf_appended",
        )


def _check_png(content: bytes) -> None:
    """Nothing may follow the image's last chunk (IEND and its checksum)."""
    end = content.rfind(_PNG_END)
    if end == -1 or content[end + len(_PNG_END) :].strip(_PDF_TAIL_ALLOWED) or _has_zip_entry(content):
        raise ValidationError(
            _("The image carries other data after it or is incomplete. Save or scan it again."),
            code="png_appended",
        )


def _has_zip_entry(content: bytes, *, start: int = 0) -> bool:
    """True when a ZIP local file header is embedded: the signature followed by a plausible
    header (version, compression method, a file name of printable characters). Checking the
    header as well as the four signature bytes keeps compressed streams that happen to contain
    them from being mistaken for an archive."""
    position = content.find(_ZIP_LOCAL_HEADER, start)
    while position != -1:
        header = content[position : position + 30]
        if len(header) == 30:
            version, _flags, method = struct.unpack_from("<HHH", header, 4)
            name_length = struct.unpack_from("<H", header, 26)[0]
            name = content[position + 30 : position + 30 + name_length]
            if (
                version <= 63
                and method in _ZIP_METHODS
                and 0 < name_length <= 1024
                and len(name) == name_length
                and all(32 <= b < 127 or b >= 128 for b in name)
            ):
                return True
        position = content.find(_ZIP_LOCAL_HEADER, position + 1)
    return False


def _check_docx(content: bytes) -> bool:
    """True for a valid Word package; False for a ZIP that is no Word document at all;
    a ValidationError for a damaged or unsafe package."""
    damaged = ValidationError(
        _("The Word document is damaged or is not a real DOCX file. Save it again in Word."),
        code="docx_invalid",
    )
    unsafe = ValidationError(
        _(
            "The Word document contains something that is not accepted (macros, links outside "
            "the document or an oversized part). Save it again as a plain DOCX."
        ),
        code="docx_unsafe",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if not all(required in names for required in _DOCX_REQUIRED):
            return False
        if len(infos) > _DOCX_MAX_ENTRIES:
            raise unsafe
        budget: int = settings.DOCUMENT_MAX_UNPACKED_BYTES
        for info in infos:
            if not _safe_member(info.filename) or info.filename.lower().endswith("vbaproject.bin"):
                raise unsafe
            if info.flag_bits & 0x1:  # encrypted entry
                raise damaged
            # Read for real (the sizes in the directory can lie) and stop at the budget.
            try:
                with archive.open(info) as member:
                    while chunk := member.read(64 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            raise unsafe
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                raise damaged from None
    return True


def _safe_member(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


def _extension(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    _stem, dot, extension = base.rpartition(".")
    return extension.lower() if dot and _stem else ""


def sanitise_name(name: str, extension: str) -> str:
    """A file name safe to offer back in Content-Disposition: no folders, no control
    characters, letters of any script kept, at most 120 characters, the detected type's
    extension."""
    base = os.path.basename(name.replace("\\", "/"))
    stem = base.rsplit(".", 1)[0] if _extension(base) else base
    stem = unicodedata.normalize("NFC", stem)
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] not in ("C",))
    stem = re.sub(r"\s+", "_", stem.strip())
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # "", "." and ".."
        stem = ""
    stem = stem.strip("._")[:120] or "document"
    return f"{stem}.{extension}"
