"""What a PDF page shows, read with PDFium (pypdfium2): its characters with their boxes and its
ruling lines as edges, in top-down page coordinates.

PDFium parses content streams in C++; reading only characters and straight path segments
keeps a report to a few milliseconds a page. The edges have the form pdfplumber's table
finder takes, so ruled tables are found by its algorithm (``read_pdf``).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

LINE_TOLERANCE = 1.0  # a segment this close to level or plumb is a ruling line
MIN_EDGE = 1.0


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def _lost(obj, textpage_handle, box, buffer) -> bool:
    """A text object PDFium could not decode: blank and without width, in a font the file does
    not embed.

    PDFium reads a one-character string printed after a line break inside a text block as a
    blank of no width (a label wrapped so that its last character stands alone: 国家秘 / 密)
    when the font is not in the file and no system font stands in for it; the character is in
    the file, but not in PDFium's text. Such pages are read again by pdfminer (``read_pdf``).
    A blank object in an embedded font is a blank glyph: the no-break space that browsers, Word
    and LibreOffice print in every empty table cell looks the same to PDFium (no text, no width).
    """
    left, bottom, right, top = box
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value >= 0.01:
        return False  # the bounds first: asking for an object's text searches the text page
    size = raw.FPDFTextObj_GetText(obj, textpage_handle, buffer, ctypes.sizeof(buffer))
    if bytes(buffer)[: max(size - 2, 0)].decode("utf-16-le", "ignore").strip():
        return False
    font = raw.FPDFTextObj_GetFont(obj)
    return not font or not raw.FPDFFont_GetIsEmbedded(font)


@dataclass(slots=True)
class PageText:
    """A page's characters, and what of its text PDFium could not give: ``undecoded`` text
    objects (``_lost``: pdfminer may read them) and ``unmapped`` glyphs, printed with no
    Unicode value anywhere in the file (glyph 0 outside any ActualText span, as Chromium prints
    a character its font lacks: no reader can recover them)."""

    chars: list[Char]
    undecoded: int = 0
    unmapped: int = 0


def _chars(handle, height: float) -> PageText:
    """Every printed (not PDFium-generated) non-blank character of a text page, with its
    font-height box."""
    rect = raw.FS_RECTF()
    found = PageText([])
    chars = found.chars
    for index in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, index)
        if code <= 32 or code in (0xA0, 0x3000) or raw.FPDFText_IsGenerated(handle, index) == 1:
            if code == 0 and raw.FPDFText_IsGenerated(handle, index) != 1:
                found.unmapped += 1
            continue
        if not raw.FPDFText_GetLooseCharBox(handle, index, rect):
            continue
        try:
            text = chr(code)
        except ValueError:
            continue
        chars.append(Char(text, rect.left, height - rect.top, rect.right, height - rect.bottom))
    return found


def read_page(page: pdfium.PdfPage) -> tuple[PageText, list[dict]]:
    """A page's characters (``PageText``, its undecoded text objects counted) and its ruling lines
    (``page_edges``), from one walk of its objects (each object costs a few calls through ctypes,
    and a browser's print has thousands a page). A page without characters has no table to read:
    its paths are not followed (text printed as outlines makes thousands, each of many segments)."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        found = _chars(textpage.raw, height)
        edges: list[dict] = []
        found.undecoded = _walk(page, height, edges if found.chars else None, textpage.raw)
    finally:
        textpage.close()
    return found, edges


def edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    if abs(top - bottom) <= LINE_TOLERANCE and abs(x1 - x0) >= MIN_EDGE:
        y = (top + bottom) / 2
        x0, x1 = sorted((x0, x1))
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if abs(x1 - x0) <= LINE_TOLERANCE and abs(top - bottom) >= MIN_EDGE:
        x = (x0 + x1) / 2
        top, bottom = sorted((top, bottom))
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0.0,
                "height": bottom - top, "orientation": "v", "object_type": "line"}
    return None


def _matrix(obj) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _invisible(obj) -> bool:
    """A path neither filled nor stroked draws no line."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(raw.FPDFPath_GetDrawMode(obj, fill, stroke)) and not fill.value and not stroke.value


def _path_edges(obj, matrix: tuple[float, ...], height: float, edges: list[dict]) -> None:
    if _invisible(obj):
        return
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    current = start = None
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            current = start = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            found = edge(current[0], current[1], point[0], point[1])
            if found:
                edges.append(found)
        current = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            found = edge(point[0], point[1], start[0], start[1])
            if found:
                edges.append(found)
            current = start


def _thin_edge(obj, height: float, edges: list[dict], box) -> bool:
    """A path on the page (not in a form) whose bounds are a line's gives the edge of its bounds:
    one call where its segments take five each (browsers draw each cell border as a thin
    filled rectangle). False for anything wider, which is read segment by segment."""
    left, bottom, right, top = box
    if raw.FPDFPath_CountSegments(obj) > 5 or not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False  # more than one line or rectangle: its pieces may stand apart
    x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
    if y1 - y0 <= LINE_TOLERANCE and x1 - x0 >= MIN_EDGE:
        found = edge(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
    elif x1 - x0 <= LINE_TOLERANCE and y1 - y0 >= MIN_EDGE:
        found = edge((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
    else:
        return False
    if found and not _invisible(obj):
        edges.append(found)
    return True


def _collect(objects, matrix: tuple[float, ...] | None, height: float, edges: list[dict] | None, depth: int,
             textpage=None) -> int:
    """Edges of the paths among ``objects`` (forms' own objects included) into ``edges`` (paths
    and forms are passed over when it is None); with a text page, the number of the page's own
    text objects PDFium could not decode (``_lost``)."""
    box = tuple(ctypes.c_float() for _ in range(4))
    buffer = (ctypes.c_ushort * 8)()
    lost = 0
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            if textpage is not None and _lost(obj, textpage, box, buffer):
                lost += 1
        elif edges is None:
            continue
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            if matrix is None and _thin_edge(obj, height, edges, box):
                continue
            own = _matrix(obj)
            _path_edges(obj, own if matrix is None else _compose(own, matrix), height, edges)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            own = _matrix(obj)
            placed = own if matrix is None else _compose(own, matrix)
            count = raw.FPDFFormObj_CountObjects(obj)
            _collect((raw.FPDFFormObj_GetObject(obj, i) for i in range(count)), placed, height, edges, depth + 1)
    return lost


def _walk(page: pdfium.PdfPage, height: float, edges: list[dict] | None, textpage=None) -> int:
    handle = page.raw
    count = raw.FPDFPage_CountObjects(handle)
    return _collect((raw.FPDFPage_GetObject(handle, i) for i in range(count)), None, height, edges, 0, textpage)


def page_edges(page: pdfium.PdfPage) -> list[dict]:
    """Horizontal and vertical segments of every visible path, rectangles' sides included."""
    edges: list[dict] = []
    _walk(page, page.get_height(), edges)
    return edges
