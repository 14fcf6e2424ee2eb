"""The format of a document from its first bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# Image signatures (first bytes): a scan or photo of a report, for OCR.
IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
)
IMAGE_FORMATS = ("png", "jpeg", "gif", "tiff", "bmp", "webp")
# Bytes that text never holds (NUL and the C0 controls but tab, newline, form feed, carriage return, escape).
_BINARY = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def image_format(body: bytes) -> str | None:
    for signature, name in IMAGES:
        if body.startswith(signature):
            return name
    if body.startswith(b"BM") and len(body) > 14 and body[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    if body.startswith(b"RIFF") and body[8:12] == b"WEBP":
        return "webp"
    return None


def looks_binary(body: bytes) -> bool:
    """More than a few bytes in the first 4 KB that no text encoding xxgk reads would hold."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text, read after its byte-order mark
        return False
    sample = body[:4096]
    return sum(sample.count(b) for b in _BINARY) > max(2, len(sample) // 100)


def sniff_format(body: bytes) -> str:
    """pdf | docx | xlsx | zip | ole | rtf | html | text | png | jpeg | gif | tiff | bmp | webp |
    binary | empty: by signature, never by name; text only when the bytes can be text."""
    head = body[:1024].lstrip()
    if not body.strip():
        return "empty"
    if body.startswith(b"%PDF") or b"%PDF-" in body[:1024]:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if body.startswith(OLE):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"<") and any(tag in head[:256].lower() for tag in (b"<html", b"<!doctype html", b"<body")):
        return "html"  # a page, however broken its bytes after the tag
    image = image_format(body)
    if image:
        return image
    if looks_binary(body):
        return "binary"
    lowered = body[:4096].lower()
    if head.lstrip()[:1] in (b"#", b"|") and not any(tag in lowered for tag in (b"<html", b"<body")):
        return "text"  # Markdown (a heading or a table first), HTML tables pasted in or not
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<body", b"<table", b"<div", b"<p")):
        return "html"
    return "text"


def zip_image_pages(body: bytes) -> list[bytes]:
    """The members of a zip that are all images, in the order of their names (page-1.jpg,
    page-2.jpg …; numbers compared as numbers); [] when any member is something else."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        members = [(name, archive.read(name)) for name in sorted(names, key=_natural)]
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError):
        return []
    if not members or any(image_format(data) is None for _, data in members):
        return []
    return [data for _, data in members]


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def pack_image_pages(pages: list[bytes]) -> bytes:
    """Page images, each as fetched, in one zip in their order (``page-001.jpg`` …): what a report
    published as images under one another is stored as, and read back by ``zip_image_pages``.
    Stored, not compressed, with a fixed time: the same images make the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for number, page in enumerate(pages, start=1):
            suffix = {"jpeg": "jpg"}.get(image_format(page) or "", image_format(page) or "bin")
            archive.writestr(zipfile.ZipInfo(f"page-{number:03d}.{suffix}", date_time=(1980, 1, 1, 0, 0, 0)), page)
    return out.getvalue()
