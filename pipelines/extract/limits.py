"""Limits on what one document may cost: decompressed size, entries, pages, seconds.

Every limit has a default here (extraction runs without Scrapy) and a Scrapy setting of the
same name in ``crawler/settings.py``. A document over a limit is refused with the reason.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass


class UnsafeDocument(Exception):
    """The document is over a limit (zip bomb, too many pages, too slow); the message says which."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_unzipped_bytes: int = 100 * 1024 * 1024  # DOCX/XLSX/zip, all entries together
    max_zip_entries: int = 2000
    max_zip_ratio: int = 200  # uncompressed / compressed, per entry
    max_pdf_pages: int = 60
    pdf_seconds: float = 60.0  # PDF parsing runs in a child process killed after this
    office_seconds: float = 60.0  # LibreOffice conversion, likewise
    ocr_seconds: float = float(os.environ.get("XXGK_LIMIT_OCR_SECONDS", 30))  # a scanned page's OCR, likewise
    max_html_chars: int = 20 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def check_zip(body: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip container whose entries would inflate beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnsafeDocument(f"broken zip container: {exc}") from exc
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise UnsafeDocument(f"zip has {len(entries)} entries (limit {limits.max_zip_entries})")
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > limits.max_unzipped_bytes:
            raise UnsafeDocument(f"zip inflates beyond {limits.max_unzipped_bytes} bytes")
        if entry.compress_size and entry.file_size / entry.compress_size > limits.max_zip_ratio \
                and entry.file_size > 1024 * 1024:
            raise UnsafeDocument(f"zip entry {entry.filename!r} compressed {entry.file_size // entry.compress_size}:1")
