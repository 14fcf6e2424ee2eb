"""The format of a document from its first bytes, never from its name."""

from __future__ import annotations

import io
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(body: bytes) -> str:
    """pdf | docx | xlsx | zip | ole | rtf | html | text | empty"""
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
    lowered = body[:4096].lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<body", b"<table", b"<div", b"<p")):
        return "html"
    return "text"
