"""XLSX -> ParsedDocument: each sheet a grid, merged ranges expanded (openpyxl)."""

from __future__ import annotations

import io

from pipelines.model import Grid, GridCell, ParsedDocument

MAX_ROWS, MAX_COLS = 2000, 60


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(body: bytes) -> ParsedDocument:
    import openpyxl  # loaded by the first workbook, not at start-up

    workbook = openpyxl.load_workbook(io.BytesIO(body), data_only=True, read_only=False)
    doc = ParsedDocument(format="xlsx")
    lines: list[str] = []
    for sheet in workbook.worksheets:
        rows = min(sheet.max_row, MAX_ROWS)
        cols = min(sheet.max_column, MAX_COLS)
        grid: Grid = [[GridCell(_text(sheet.cell(r, c).value)) for c in range(1, cols + 1)]
                      for r in range(1, rows + 1)]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1].text if merged.min_row <= rows else ""
            for r in range(merged.min_row, min(merged.max_row, rows) + 1):
                for c in range(merged.min_col, min(merged.max_col, cols) + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        grid[r - 1][c - 1] = GridCell(top, spanned=True)
        # Rows with a single text cell are headings or prose, not table rows.
        for row in grid:
            filled = [cell.text for cell in row if cell.text and not cell.spanned]
            if len(filled) == 1 and len(filled[0]) > 15:
                lines.append(filled[0])
        doc.tables.append(grid)
    doc.text = "\n".join(lines)
    doc.title = workbook.properties.title or (lines[0] if lines else None)
    return doc
