"""Legacy office files (DOC, WPS, XLS, RTF) -> DOCX/XLSX with LibreOffice headless.

The conversion runs in a subprocess with its own profile directory and a time limit, so a
file that hangs LibreOffice is killed and reported, never left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60
_BINARIES = ("soffice", "libreoffice")


class ConversionError(Exception):
    """LibreOffice is missing, failed, or ran out of time; the message says which."""


def soffice() -> str | None:
    return next((path for name in _BINARIES if (path := shutil.which(name))), None)


def ole_kind(body: bytes) -> str:
    """doc | xls for an OLE compound file (WPS is the Word binary format)."""
    head = body[:200_000]
    if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in head or b"Workbook" in head or b"Book\x00" in head:
        return "xls"
    return "doc"


def convert(body: bytes, source_ext: str, target: str, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert ``body`` (an .``source_ext`` file) to ``target`` (docx or xlsx)."""
    binary = soffice()
    if binary is None:
        raise ConversionError("LibreOffice (soffice) not installed")
    with tempfile.TemporaryDirectory(prefix="xxgk-office-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{source_ext}"
        source.write_bytes(body)
        command = [binary, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                   "--norestore", "--convert-to", target, "--outdir", str(folder / "out"), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice took longer than {timeout}s") from exc
        result = folder / "out" / f"input.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise ConversionError(f"LibreOffice could not convert this {source_ext} file")
        return result.read_bytes()
