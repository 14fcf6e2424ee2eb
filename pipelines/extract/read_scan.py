"""Scanned reports -> ParsedDocument: an image-only PDF's pages, or image attachments, by OCR.

Tesseract 5 (``tesserocr``, its C API: the page image is set once and each region read by a
rectangle, with no process per call) reads the page that ``scan_image`` has set upright and
cleaned. Tables are cut by their ruling lines with the same table finder as a PDF's, and each
cell is read alone: labels with the Chinese model, and a cell that reads as a number once more
with a digits-only setting. A cell's text carries Tesseract's confidence and, for a doubtful
digit, the other digits Tesseract considered (``OcrText``): the mapper keeps it as printed, and
``ocr_doubt`` lets the table's arithmetic choose between readings and flags what stays doubtful.
Text outside the tables is read line by line, for the title, the body and the prose sections.
Pages without ruling lines are read by position, as the PDF reader reads unruled text.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

import cv2
import numpy as np
from pdfplumber.table import Table

from pipelines.model import GridCell, OcrText, ParsedDocument

from .labels import normalise_label
from .ocr_doubt import DOUBTFUL
from .ocr_labels import snap, vocabulary
from .pdf_columns import positional_rows, text_lines
from .pdf_layout import Char
from .read_pdf import _tables
from .scan_image import WORK_DPI, Page, decode_image, prepare

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
PACKAGES = "tesseract-ocr-chi-sim and tesseract-ocr-eng (Debian) and tesserocr (PyPI)"
MIN_INK = 12  # pixels of ink a cell needs before it is read: fewer is a blank cell or a speck
_SPACE_IN_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FIRST_HEADING = re.compile(r"^[-—_－一]\s*[、,，.]")  # 一、 is read as a dash often: its stroke alone
_DIGITS = re.compile(r"^-?\d+(?:\.\d+)?%?$")


class OcrUnavailable(Exception):
    """Tesseract or its Chinese model is not installed: the message names what to install."""


MODELS = {"chi_sim": "tesseract-ocr-chi-sim", "eng": "tesseract-ocr-eng"}  # labels; figures digits-only


def tessdata() -> str:
    """The directory holding both models (``XXGK_TESSDATA``, else Debian's): Chinese for the
    labels and prose, English for the digits-only reading of the figures."""
    seen: set[str] = set()
    for directory in (os.environ.get("XXGK_TESSDATA"), *TESSDATA_DIRS):
        if not directory:
            continue
        have = {m for m in MODELS if os.path.isfile(os.path.join(directory, f"{m}.traineddata"))}
        if len(have) == len(MODELS):
            return directory
        seen |= have
    missing = sorted(set(MODELS) - seen) or sorted(MODELS)  # each in a different directory: both in one
    names = ", ".join(f"{m}.traineddata" for m in missing)
    packages = " and ".join(MODELS[m] for m in missing)
    raise OcrUnavailable(f"Tesseract's model {names} not found: install {packages} (Debian) and tesserocr (PyPI)")


@lru_cache(maxsize=1)
def _engines():
    """The two Tesseract instances of a process: Chinese text, and digits only."""
    try:
        from tesserocr import PSM, PyTessBaseAPI
    except ImportError as exc:
        raise OcrUnavailable(f"tesserocr is not installed: install {PACKAGES}") from exc
    path = tessdata()
    try:
        text = PyTessBaseAPI(path=path, lang="chi_sim", psm=PSM.SINGLE_BLOCK)
        digits = PyTessBaseAPI(path=path, lang="eng", psm=PSM.SINGLE_LINE)
    except RuntimeError as exc:  # a model file Tesseract cannot load (truncated, another version)
        raise OcrUnavailable(f"Tesseract could not load its models in {path} ({exc}): reinstall {PACKAGES}") from exc
    digits.SetVariable("tessedit_char_whitelist", "0123456789.-%")
    digits.SetVariable("lstm_choice_mode", "2")  # every symbol's alternatives, for doubtful digits
    return text, digits


def available() -> str | None:
    """None when OCR can run here, else the reason it cannot (checked without loading a model)."""
    import importlib.util

    if importlib.util.find_spec("tesserocr") is None:
        return f"tesserocr is not installed: install {PACKAGES}"
    try:
        tessdata()
    except OcrUnavailable as exc:
        return str(exc)
    return None


def _recognise(engine) -> str:
    """The engine's text of its rectangle; nothing when Tesseract finds no text there."""
    try:
        return engine.GetUTF8Text()
    except RuntimeError:  # tesserocr's "No text returned"
        return ""


def _tidy(text: str) -> str:
    return _SPACE_IN_CJK.sub("", text.strip()).replace("\n", "")


def _picture(gray: np.ndarray, height: int = 40):
    """Part of the page (gray, lines painted out) with a white margin, scaled so its text is
    ~``height`` pixels high: Tesseract reads small print far better enlarged."""
    from PIL import Image

    scale = max(1.0, min(3.0, height / max(gray.shape[0], 1)))
    if scale > 1.05:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    gray = cv2.copyMakeBorder(gray, 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(gray)


def _cell_ink(region: np.ndarray) -> tuple[int, int, int, int] | None:
    """Where a cell's ink is (x0, y0, x1, y1 in the region), specks and slivers of ruling lines
    at its edges left out; None for a blank cell."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    height, width = region.shape
    keep = np.zeros(count, dtype=bool)
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        at_edge = x <= 1 or y <= 1 or x + w >= width - 1 or y + h >= height - 1
        sliver = w <= 3 or h <= 3
        keep[index] = area >= 6 and not (at_edge and sliver)
    if not keep.any():
        return None
    mask = keep[labels]
    ys, xs = np.nonzero(mask)
    if len(ys) < MIN_INK:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _digit_reading(digits, picture) -> OcrText:
    """A number cell read digits-only, with the symbols Tesseract hesitated over and their rivals."""
    from tesserocr import RIL, iterate_level

    digits.SetImage(picture)
    if not digits.Recognize():
        return OcrText("", confidence=0.0)
    symbols: list[tuple[str, float, tuple[str, ...]]] = []
    iterator = digits.GetIterator()
    for symbol in iterate_level(iterator, RIL.SYMBOL) if iterator else ():
        try:
            char = symbol.GetUTF8Text(RIL.SYMBOL)
        except RuntimeError:  # an empty result: nothing was read there
            continue
        rivals = tuple(dict.fromkeys(c.GetUTF8Text() for c in symbol.GetChoiceIterator()
                                     if c.GetUTF8Text() and c.GetUTF8Text() != char))
        symbols.append((char, symbol.Confidence(RIL.SYMBOL), rivals))
    text = "".join(s[0] for s in symbols)
    confidence = min((s[1] for s in symbols), default=0.0)
    alternatives = []
    for index, (_char, conf, rivals) in enumerate(symbols):
        if conf < DOUBTFUL:
            for rival in rivals[:3]:
                alternatives.append(text[:index] + rival + text[index + 1:])
    return OcrText(text, confidence=confidence, alternatives=tuple(a for a in alternatives if a != text))


def _too_narrow(number: OcrText, width: int, height: int) -> OcrText:
    """A reading with fewer digits than its ink is wide for: Tesseract merges a repeated digit
    printed close (33 read 3). Doubtful then, each digit doubled as the other readings."""
    digits = sum(ch.isdigit() for ch in number)
    if not digits or height <= 0:
        return number
    room = (width + 0.2 * height) / (0.75 * height)  # a digit's advance is ~3/4 of its height
    if round(room) < digits + 1:
        return number
    doubled = tuple(number[:i] + number[i] + number[i:] for i in range(len(number)) if number[i].isdigit())
    return OcrText(number, confidence=min(number.confidence, DOUBTFUL - 1),
                   alternatives=tuple(dict.fromkeys((*number.alternatives, *doubled))))


def _label_in_wide_ink(text_engine, cell: np.ndarray, width: int, height: int, text: str) -> OcrText | None:
    """A short label (规章) the block layout read as a digit or two: ink far wider than what was
    read is read again as one line, larger, and kept only when it is a label of the forms."""
    read = sum(1 for ch in text if not ch.isspace())
    if height <= 0 or width < 1.6 * height or width < (read + 1.5) * 0.75 * height:
        return None
    from tesserocr import PSM

    text_engine.SetPageSegMode(PSM.SINGLE_LINE)
    try:
        text_engine.SetImage(_picture(cell, 60))
        again = _tidy(_recognise(text_engine))
        confidence = float(text_engine.MeanTextConf())
    finally:
        text_engine.SetPageSegMode(PSM.SINGLE_BLOCK)
    if len(_CJK.findall(again)) >= 2 and normalise_label(again) in vocabulary():
        return OcrText(again, confidence=confidence)
    return None


def _read_box(page: Page, box: tuple[int, int, int, int]) -> OcrText:
    """The text in a box of the page (pixels): blank without ink; a short reading read digits-only too."""
    x0, y0, x1, y1 = box
    x0, y0 = max(x0, 0), max(y0, 0)
    region = page.ink[y0:y1, x0:x1]
    extent = _cell_ink(region) if region.size else None
    if extent is None:
        return OcrText("", confidence=100.0)
    left, top, right, bottom = extent
    cell = page.gray[y0 + max(top - 2, 0):y0 + bottom + 2, x0 + max(left - 2, 0):x0 + right + 2]
    picture = _picture(cell)
    text_engine, digits = _engines()
    text_engine.SetImage(picture)
    text = _tidy(_recognise(text_engine))
    confidence = float(text_engine.MeanTextConf())
    if not text or confidence < 50:  # a short word the block layout missed: read as one line
        from tesserocr import PSM

        text_engine.SetPageSegMode(PSM.SINGLE_LINE)
        again = _tidy(_recognise(text_engine))
        if again and float(text_engine.MeanTextConf()) > confidence:
            text, confidence = again, float(text_engine.MeanTextConf())
        text_engine.SetPageSegMode(PSM.SINGLE_BLOCK)
    if len(_CJK.findall(text)) >= 2:
        return OcrText(snap(text), confidence=confidence)
    label = _label_in_wide_ink(text_engine, cell, right - left, bottom - top, text)
    if label is not None:
        return label
    # a value cell, or a word too short for the Chinese model to be sure: read digits-only too
    number = _too_narrow(_digit_reading(digits, picture), right - left, bottom - top)
    plain = re.sub(r"[\s,，]", "", text)
    if number and not any(ch.isdigit() for ch in number) and not _DIGITS.match(plain):
        again = _digits_again(digits, cell)  # a dash or a dot for a blurred digit: once more, larger
        if again is not None and any(ch.isdigit() for ch in again):
            return again
    if number and number == plain:
        return number  # both models agree; the digits model's doubt over a symbol still counts
    if number and (not plain or not _CJK.search(plain) or number.confidence > confidence):
        rivals = (plain, *number.alternatives) if _DIGITS.match(plain) else number.alternatives
        doubt = number.confidence if not plain else min(number.confidence, DOUBTFUL - 1)
        return OcrText(number, confidence=doubt, alternatives=tuple(dict.fromkeys(r for r in rivals if r != number)))
    if not number and not _DIGITS.match(plain):  # ink no model read as a number: once more, larger
        return _digits_again(digits, cell) or OcrText("", confidence=0.0)  # never a blank with certainty
    return OcrText(text, confidence=confidence)


def _digits_again(digits, cell: np.ndarray) -> OcrText | None:
    """A value cell read digits-only once more, larger, as a raw line then as a word: doubtful,
    unless an identity that holds runs through it. None when nothing is read."""
    from tesserocr import PSM

    for mode in (PSM.RAW_LINE, PSM.SINGLE_WORD):
        digits.SetPageSegMode(mode)
        try:
            again = _digit_reading(digits, _picture(cell, 60))
        finally:
            digits.SetPageSegMode(PSM.SINGLE_LINE)
        if again:
            return OcrText(again, confidence=min(again.confidence, DOUBTFUL - 1), alternatives=again.alternatives)
    return None


def _grid(page: Page, cells: list[tuple[float, float, float, float]]) -> list[list[GridCell]]:
    scale = page.points
    inset = 3
    grid = []
    for row in Table(None, cells).rows:
        out = []
        for cell in row.cells:
            if cell is None:
                out.append(GridCell("", spanned=True))
                continue
            x0, y0, x1, y1 = (int(round(v * scale)) for v in cell)
            out.append(GridCell(_read_box(page, (x0 + inset, y0 + inset, x1 - inset, y1 - inset))))
        grid.append(out)
    return grid


def _text_lines(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes of the lines of text in an ink mask, top to bottom."""
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (WORK_DPI // 6, 3)))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = [(x, y, x + w, y + h) for x, y, w, h, area in stats[1:count] if h >= 8 and w >= 8]
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def read_page(page: Page) -> tuple[list[list[list[GridCell]]], list[str]]:
    """One upright page: its ruled tables' grids and its other lines of text."""
    scale = page.points
    grids = []
    outside = page.ink.copy()
    for cells in sorted(_tables(page.edges), key=lambda t: min(c[1] for c in t)):
        grids.append(_grid(page, cells))
        x0, y0 = (int(min(c[i] for c in cells) * scale) for i in (0, 1))
        x1, y1 = (int(max(c[i] for c in cells) * scale) for i in (2, 3))
        outside[max(y0 - 2, 0):y1 + 3, max(x0 - 2, 0):x1 + 3] = 0
    if not grids:  # no ruling lines: the page's lines are read once, by position, values and prose
        rows = _positional(page)
        return [rows], [_FIRST_HEADING.sub("一、", " ".join(cell.text for cell in row if cell.text)) for row in rows]
    lines = [_read_box_text(page, box) for box in _text_lines(outside)]
    return grids, [line for line in lines if line]


def _line(page: Page, box: tuple[int, int, int, int]):
    """A line of text's picture, set in the Chinese engine; with where it sits and its scale."""
    x0, y0, x1, y1 = box
    x0, y0 = max(x0 - 2, 0), max(y0 - 2, 0)
    gray = page.gray[y0:y1 + 2, x0:x1 + 2]
    scale = max(1.0, min(3.0, 40 / max(gray.shape[0], 1)))
    text_engine, _digits = _engines()
    text_engine.SetImage(_picture(gray))
    return text_engine, (x0, y0), scale


def _read_box_text(page: Page, box: tuple[int, int, int, int]) -> str:
    text_engine, _at, _scale = _line(page, box)
    return _FIRST_HEADING.sub("一、", _tidy(_recognise(text_engine)))


def _positional(page: Page) -> list[list[GridCell]]:
    """An unruled page's lines as rows, words placed by where they stand (as read_pdf does)."""
    from tesserocr import RIL, iterate_level

    chars = []
    per_point = page.points
    for box in _text_lines(page.ink):
        text_engine, (left0, top0), scale = _line(page, box)
        if not text_engine.Recognize():
            continue
        iterator = text_engine.GetIterator()
        for word in iterate_level(iterator, RIL.WORD) if iterator else ():
            try:
                text = _tidy(word.GetUTF8Text(RIL.WORD))
            except RuntimeError:
                continue
            bbox = word.BoundingBox(RIL.WORD)
            if not text or not bbox:
                continue
            left, top, right, bottom = ((v - 16) / scale for v in bbox)
            left, right = (left0 + left) / per_point, (left0 + right) / per_point
            top, bottom = (top0 + top) / per_point, (top0 + bottom) / per_point
            step = (right - left) / len(text)
            chars.extend(Char(ch, left + i * step, top, left + (i + 1) * step, bottom) for i, ch in enumerate(text))
    rows = positional_rows(text_lines(chars))
    for row in rows:  # columns found from approximate positions: doubtful unless an identity confirms
        for cell in row:
            if cell.text:
                cell.text = OcrText(cell.text, confidence=DOUBTFUL - 1)
    return rows


def read_images(images: list[np.ndarray], dpi: list[float]) -> ParsedDocument:
    """Page images (BGR or gray) at their resolutions -> the document OCR reads on them."""
    doc = ParsedDocument(format="scan")
    prose: list[str] = []
    tilts = []
    for image, resolution in zip(images, dpi, strict=True):
        page = prepare(image, resolution)
        tilts.append(page.tilt)
        grids, lines = read_page(page)
        doc.tables.extend(g for g in grids if g)
        prose.extend(lines)
    doc.meta["ocr_pages"] = str(len(images))
    if any(tilts):
        doc.meta["ocr_tilt"] = ",".join(f"{t:g}" for t in tilts)
    doc.text = "\n".join(prose)
    doc.repairs.append("ocr")
    return doc


def estimated_dpi(image: np.ndarray) -> float:
    """A photo or scan's resolution, taking the page to be A4 (8.27 inches across, portrait or not)."""
    height, width = image.shape[:2]
    return min(width, height) / 8.27


def _native_dpi(page) -> float | None:
    """The resolution of the largest picture on a page (a scan is one picture the page's size), so
    the page is rendered at the pixels it was scanned at, not resampled twice."""
    import pypdfium2.raw as pdfium_raw

    best = None
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        width_px, _height_px = obj.get_px_size()
        left, _bottom, right, _top = obj.get_bounds()
        if right - left > 0 and (best is None or width_px > best[0]):
            best = (width_px, width_px / ((right - left) / 72))
    if best is None:
        return None
    return float(min(max(best[1], 100), 400))


def read_scanned_pdf(body: bytes, max_pages: int, dpi: int = WORK_DPI) -> ParsedDocument:
    """An image-only PDF: every page rendered at ``dpi`` and read by OCR."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(body)
    images = []
    try:
        resolutions = []
        for number in range(min(len(pdf), max_pages)):
            page = pdf[number]
            try:
                native = min(_native_dpi(page) or dpi, dpi)  # resampled by PDFium down, by OpenCV up
                bitmap = page.render(scale=native / 72)
                images.append(cv2.cvtColor(np.asarray(bitmap.to_pil().convert("RGB")), cv2.COLOR_RGB2BGR))
                resolutions.append(native)
            finally:
                page.close()
        title = pdf.get_metadata_dict().get("Title")
        pages = len(pdf)
    finally:
        pdf.close()
    doc = read_images(images, resolutions)
    doc.format = "pdf"
    doc.meta["pages"] = str(pages)
    if title and title.strip():
        doc.title = title.strip()
    return doc


def read_image_pages(bodies: list[bytes]) -> ParsedDocument:
    """Page images of one report, in order (the scans a page shows one under another, or a zip of
    them): one document, its tables read across the pages as a PDF's are."""
    images = []
    for number, body in enumerate(bodies, start=1):
        image = decode_image(body)
        if image is None:
            raise ValueError(f"page {number}: image data that no decoder reads")
        images.append(image)
    return read_images(images, [estimated_dpi(image) for image in images])


def read_image_file(body: bytes) -> ParsedDocument:
    """One image attachment (a photo or scan of a page)."""
    image = decode_image(body)
    if image is None:
        raise ValueError("image data that no decoder reads")
    return read_images([image], [estimated_dpi(image)])
