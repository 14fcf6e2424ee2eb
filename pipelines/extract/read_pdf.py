"""PDF with a text layer -> ParsedDocument (pdfplumber).

Ruled tables are read from their lines, merged cells included, across pages. Where a page
has no ruled table, its text lines are read as rows of whitespace-separated cells. A PDF
without any text layer is a scan: ``meta["needs_ocr"]`` says so, and no number is read.
"""

from __future__ import annotations

import io
import re

import pdfplumber

from pipelines.model import GridCell, ParsedDocument

MAX_PAGES = 60
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_WS = re.compile(r"\s+")
_VALUE = re.compile(r"^[-+]?[\d０-９.,，]+[^\s]{0,4}$|^[/／—\-–无]$")


def _grid(table: list[list[str | None]]) -> list[list[GridCell]]:
    return [
        [GridCell("", spanned=True) if cell is None else GridCell(_WS.sub("", cell)) for cell in row]
        for row in table
    ]


def line_cells(line: str) -> list[GridCell]:
    """A text line as cells: words that are values stand alone, the rest join as labels."""
    cells: list[GridCell] = []
    label: list[str] = []
    for word in line.split():
        if _VALUE.match(word):
            if label:
                cells.append(GridCell("".join(label)))
                label = []
            cells.append(GridCell(word))
        else:
            label.append(word)
    if label:
        cells.append(GridCell("".join(label)))
    return cells


def read_pdf(body: bytes, max_pages: int = MAX_PAGES) -> ParsedDocument:
    doc = ParsedDocument(format="pdf")
    prose: list[str] = []
    chars = 0
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        doc.meta["pages"] = str(len(pdf.pages))
        title = (pdf.metadata or {}).get("Title")
        if isinstance(title, str) and title.strip():
            doc.title = title.strip()
        if len(pdf.pages) > max_pages:
            doc.meta["pages_read"] = str(max_pages)
        for page in pdf.pages[:max_pages]:
            chars += len(page.chars)
            tables = page.find_tables(_TABLE_SETTINGS)
            outside = page
            for table in tables:
                doc.tables.append(_grid(table.extract()))
                outside = outside.outside_bbox(table.bbox)
            text = outside.extract_text() or ""
            if tables:
                prose.extend(text.splitlines())
            else:
                rows = [line_cells(line) for line in text.splitlines()]
                doc.tables.append([row for row in rows if row])
                prose.extend(text.splitlines())
    if chars == 0:
        doc.meta["needs_ocr"] = "no text layer"
        doc.tables = []
    doc.tables = [t for t in doc.tables if t]
    doc.text = "\n".join(line.strip() for line in prose if line.strip())
    return doc
