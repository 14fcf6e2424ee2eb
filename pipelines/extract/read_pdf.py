"""PDF with a text layer -> ParsedDocument.

PDFium (``pdf_layout``) gives each page's characters and ruling lines. Ruled tables are found
from the lines by pdfplumber's table finder (edges -> intersections -> cells -> tables), merged
cells included, and each cell takes the characters inside it in reading order, so labels
printed one character a line or split into spaced words read whole. Text outside ruled tables
is read by position (``pdf_columns``): values line up with their columns by where they stand,
blank cells stay blank, whatever order the content stream printed them in. A PDF without any
text layer is a scan: ``meta["needs_ocr"]`` says so, and ``read_scan`` reads it by OCR.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections import Counter

import pdfplumber
import pypdfium2 as pdfium
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, merge_edges
from pdfplumber.utils import obj_to_bbox

from pipelines.model import GridCell, ParsedDocument

from .pdf_columns import lines_words, positional_rows, text_lines
from .pdf_layout import Char, page_edges, read_page

MAX_PAGES = 60
TOLERANCE = 3  # points: pdfplumber's default snap, join and intersection tolerances


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``, the same cells from the same points, at a fraction
    of the cost: each point's edges are made a set once, not again for every pair compared, and
    the points below and to the right are looked up by coordinate, not searched for."""
    vertical = {p: {obj_to_bbox(e) for e in edges["v"]} for p, edges in intersections.items()}
    horizontal = {p: {obj_to_bbox(e) for e in edges["h"]} for p, edges in intersections.items()}
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for point in sorted(intersections):
        by_x.setdefault(point[0], []).append(point)
        by_y.setdefault(point[1], []).append(point)
    cells = []
    for point in sorted(intersections):
        below = [q for q in by_x[point[0]] if q[1] > point[1] and not vertical[point].isdisjoint(vertical[q])]
        right = [q for q in by_y[point[1]] if q[0] > point[0] and not horizontal[point].isdisjoint(horizontal[q])]
        found = None
        for below_point in below:
            for right_point in right:
                corner = (right_point[0], below_point[1])
                if corner in intersections and not vertical[corner].isdisjoint(vertical[right_point]) \
                        and not horizontal[corner].isdisjoint(horizontal[below_point]):
                    found = (point[0], point[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    edges = merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= TOLERANCE]
    cells = intersections_to_cells(edges_to_intersections(edges, TOLERANCE, TOLERANCE))
    return [table for table in cells_to_tables(cells) if len(table) > 1]


class _CellIndex:
    """Which cell of a table holds a point: the grid of all cell borders, each slot to its cell."""

    def __init__(self, cells) -> None:
        self.xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
        self.ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
        self.slots: dict[tuple[int, int], tuple] = {}
        for cell in cells:
            for i in range(self.xs.index(cell[0]), self.xs.index(cell[2])):
                for j in range(self.ys.index(cell[1]), self.ys.index(cell[3])):
                    self.slots[(i, j)] = cell

    def find(self, x: float, y: float):
        i, j = bisect_right(self.xs, x) - 1, bisect_right(self.ys, y) - 1
        return self.slots.get((i, j))


def _cell_text(chars: list[Char]) -> str:
    """A cell's characters line by line, each line left to right."""
    return "".join("".join(c.text for c in line) for line in text_lines(chars))


def _read_tables(chars: list[Char], edges: list[dict]) -> tuple[list[list[list[GridCell]]], list[Char]]:
    """Grids of the ruled tables, and the characters outside them."""
    grids = []
    outside = chars
    for cells in sorted(_tables(edges), key=lambda t: min(c[1] for c in t)):
        index = _CellIndex(cells)
        held: dict[tuple, list[Char]] = {}
        rest = []
        for char in outside:
            cell = index.find(char.centre, char.middle)
            if cell is None:
                rest.append(char)
            else:
                held.setdefault(cell, []).append(char)
        outside = rest
        grids.append([[GridCell("", spanned=True) if cell is None else GridCell(_cell_text(held.get(cell, [])))
                       for cell in row.cells] for row in Table(None, cells).rows])
    return grids, outside


def _pdfminer_chars(body: bytes, number: int) -> list[Char]:
    """A page's characters as pdfminer reads them (for pages PDFium could not decode whole)."""
    with pdfplumber.open(io.BytesIO(body), pages=[number + 1]) as pdf:
        return [Char(c["text"], c["x0"], c["top"], c["x1"], c["bottom"])
                for c in pdf.pages[0].chars if c["text"].strip()]


def _holds(theirs: list[Char], ours: list[Char]) -> bool:
    """pdfminer's reading of a page is taken only when it holds nearly all PDFium read: some fonts
    it decodes into one repeated character (发发发…) or (cid:0)."""
    if not theirs:
        return False
    common = Counter(c.text for c in theirs) & Counter(c.text for c in ours)
    return sum(common.values()) >= 0.9 * len(ours)


def read_pdf(body: bytes, max_pages: int = MAX_PAGES) -> ParsedDocument:
    doc = ParsedDocument(format="pdf")
    prose: list[str] = []
    seen_chars = 0
    pdf = pdfium.PdfDocument(body)
    try:
        doc.meta["pages"] = str(len(pdf))
        title = pdf.get_metadata_dict().get("Title")
        if title and title.strip():
            doc.title = title.strip()
        if len(pdf) > max_pages:
            doc.meta["pages_read"] = str(max_pages)
        for number in range(min(len(pdf), max_pages)):
            page = pdf[number]
            try:
                text, edges = read_page(page)
                chars = text.chars
                if text.undecoded:
                    theirs = _pdfminer_chars(body, number)
                    if _holds(theirs, chars):
                        if not chars:  # read_page followed no path on a page it found no character on
                            edges = page_edges(page)
                        chars = theirs
                        doc.meta["pages_read_by_pdfminer"] = str(int(doc.meta.get("pages_read_by_pdfminer", 0)) + 1)
                    else:  # pdfminer misreads this font: PDFium's text, less what it lost, is kept
                        doc.repairs.append("pdf_chars_lost")
                elif text.unmapped:  # glyphs with no Unicode value in the file: nothing can read them
                    doc.repairs.append("pdf_chars_lost")
                seen_chars += len(chars)
                grids, outside = _read_tables(chars, edges) if chars else ([], [])
            finally:
                page.close()
            doc.tables.extend(grids)
            lines = text_lines(outside)
            prose.extend(" ".join(word.text for word in words) for words in lines_words(lines))
            if not grids:
                doc.tables.append(positional_rows(lines))
    finally:
        pdf.close()
    if seen_chars == 0:
        doc.meta["needs_ocr"] = "no text layer"
        doc.tables = []
    doc.tables = [t for t in doc.tables if t]
    doc.text = "\n".join(line.strip() for line in prose if line.strip())
    return doc

