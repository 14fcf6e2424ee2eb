"""Repair: right characters from any bytes, simplified script, no conversion artefacts.

Each stage is a plain function; ``repair_document`` applies the text stages to every
string of a parsed document at once, recording each repair in ``doc.repairs``.
"""

from __future__ import annotations

from pipelines.model import ParsedDocument

from .cleanup import clean_text, needs_cleaning
from .pinyin import MIRROR_THRESHOLD, may_hold_annotations, strip_annotations
from .script import simplify_strings

_SEPARATOR = "\x1f"  # joins a document's strings for one look (and one clean-up) at all of them


def repair_strings(texts: list[str]) -> tuple[list[str], list[str]]:
    """The text stages over a document's strings: (repaired strings, repairs applied). Each stage
    looks at all the strings joined first and runs string by string only where its traces are."""
    repairs: list[str] = []
    removed = 0
    strings, joined = texts, _SEPARATOR.join(texts)
    if may_hold_annotations(joined):
        strings = []
        for text in texts:
            text, n = strip_annotations(text) if text else (text, 0)
            removed += n
            strings.append(text)
    if removed:
        repairs.append(f"pinyin_annotations:{removed}")
        if removed >= MIRROR_THRESHOLD:
            repairs.append("likely_mirror")
        joined = _SEPARATOR.join(strings)
    strings, did_convert = simplify_strings(strings, joined)
    if did_convert:
        repairs.append("t2s")
        joined = _SEPARATOR.join(strings)
    if not needs_cleaning(joined):
        return list(strings), repairs
    if joined.count(_SEPARATOR) == len(strings) - 1:  # no string holds the separator itself
        return clean_text(joined).split(_SEPARATOR), repairs
    return [clean_text(t) for t in strings], repairs


def repair_document(doc: ParsedDocument) -> ParsedDocument:
    cells = [cell for table in doc.tables for row in table for cell in row]
    meta_title = doc.meta.get("title") or ""
    texts, repairs = repair_strings([doc.text, doc.title or "", meta_title] + [c.text for c in cells])
    doc.repairs.extend(repairs)
    doc.text, doc.title = texts[0], texts[1] or None
    if meta_title:
        doc.meta["title"] = texts[2]
    for cell, text in zip(cells, texts[3:], strict=True):
        if text != cell.text:  # unchanged texts stay as they are (an OCR reading keeps its confidence)
            cell.text = text
    return doc
