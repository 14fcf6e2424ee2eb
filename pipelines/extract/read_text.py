"""Plain-text and Markdown exports -> ParsedDocument.

Runs of tab-separated lines become a grid each; everything else is prose. Export
artefacts (``**bold**``, ``<http://…>``, ``[bookmark: …]``) are dropped first.
"""

from __future__ import annotations

import re

from pipelines.model import GridCell, ParsedDocument

_ARTEFACTS = (
    (re.compile(r"\[bookmark:[^\]]*\]"), ""),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
)


def strip_artefacts(text: str) -> str:
    for pattern, replacement in _ARTEFACTS:
        text = pattern.sub(replacement, text)
    return text


def read_text(text: str) -> ParsedDocument:
    doc = ParsedDocument(format="text")
    text = strip_artefacts(text.replace("\r\n", "\n").replace("\r", "\n"))
    prose: list[str] = []
    current: list[list[GridCell]] = []
    for line in text.split("\n"):
        if "\t" in line.strip("\n") and line.strip():
            current.append([GridCell(c.strip()) for c in line.split("\t")])
            continue
        if current:
            doc.tables.append(current)
            current = []
        prose.append(line.strip())
    if current:
        doc.tables.append(current)
    doc.text = "\n".join(p for p in prose if p)
    return doc
