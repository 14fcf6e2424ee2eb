"""Repair: right characters from any bytes, simplified script, no conversion artefacts.

Each stage is a plain function; ``repair_document`` applies the text stages to every
string of a parsed document at once.
"""

from __future__ import annotations

from pipelines.model import ParsedDocument

from .cleanup import clean_text
from .script import simplify_strings


def repair_document(doc: ParsedDocument) -> ParsedDocument:
    texts = [doc.text, doc.title or ""]
    cells = [cell for table in doc.tables for row in table for cell in row]
    texts.extend(cell.text for cell in cells)
    texts, converted = simplify_strings(texts)
    if converted:
        doc.repairs.append("t2s")
    texts = [clean_text(t) for t in texts]
    doc.text, title = texts[0], texts[1]
    doc.title = title or None
    for cell, text in zip(cells, texts[2:], strict=True):
        cell.text = text
    if doc.meta.get("title"):
        doc.meta["title"] = clean_text(simplify_strings([doc.meta["title"]])[0][0])
    return doc
