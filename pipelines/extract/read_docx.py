"""DOCX -> ParsedDocument: paragraphs as prose, tables as grids with merged cells expanded."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from pipelines.model import Grid, GridCell, ParsedDocument


def _cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()


def _table_grid(tbl) -> Grid:
    """Expand gridSpan (columns) and vMerge (rows) of a w:tbl element."""
    grid: Grid = []
    for tr in tbl.iter(qn("w:tr")):
        row: list[GridCell] = []
        for tc in tr.iter(qn("w:tc")):
            if tc.getparent() is not tr:
                continue
            props = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if props is not None:
                gs = props.find(qn("w:gridSpan"))
                if gs is not None:
                    span = max(1, min(int(gs.get(qn("w:val"), "1")), 50))
                vm = props.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                above = grid[-1][col].text
                cells = [GridCell(above, spanned=True) for _ in range(span)]
            else:
                text = _cell_text(tc)
                cells = [GridCell(text, spanned=bool(i)) for i in range(span)]
            row.extend(cells)
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend(GridCell("", spanned=True) for _ in range(width - len(row)))
    return grid


def read_docx(body: bytes) -> ParsedDocument:
    document = docx.Document(io.BytesIO(body))
    doc = ParsedDocument(format="docx")
    lines: list[str] = []
    body_el = document.element.body
    for child in body_el:
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t"))).strip()
            if text:
                lines.append(text)
        elif child.tag == qn("w:tbl"):
            if child.find(".//" + qn("w:tbl")) is not None:
                doc.tables.extend(_table_grid(t) for t in child.iter(qn("w:tbl"))
                                  if t.find(".//" + qn("w:tbl")) is None)
            else:
                doc.tables.append(_table_grid(child))
    doc.text = "\n".join(lines)
    props = document.core_properties
    doc.title = props.title or None
    return doc
