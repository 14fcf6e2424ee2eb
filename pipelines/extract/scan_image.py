"""A page image -> the page upright, cleaned, and the ruling lines of its tables.

OpenCV does the image work: the tilt is the angle at which the rows of ink line up best (the
projection profile of the page, searched to a tenth of a degree), a red stamp is removed by
reading the red channel (red ink is as bright there as the paper, black ink stays dark), and the
ruling lines are the long horizontal and vertical runs of ink left after a morphological opening.
Lines come out as the same edge dictionaries PDFium's reader makes of a PDF's vector lines, in
points, so the one table finder of ``read_pdf`` cuts the cells of a scan too.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .pdf_layout import edge

WORK_DPI = 200  # text ~30 px high: what Tesseract reads best, and a quarter of 300 dpi's pixels
MAX_TILT = 3.0  # degrees searched either way


@dataclass
class Page:
    gray: np.ndarray  # upright, stamp removed, ruling lines painted out, WORK_DPI
    ink: np.ndarray  # 255 where there is ink, ruling lines removed
    edges: list[dict]  # ruling lines, in points
    tilt: float  # degrees the page was turned back by

    @property
    def points(self) -> float:
        """Pixels per point."""
        return WORK_DPI / 72


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        image = image[:, :, :3]
    return image[:, :, 2].copy()  # BGR: the red channel, where a red stamp is as light as the paper


def _binary(gray: np.ndarray) -> np.ndarray:
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _rotate(image: np.ndarray, degrees: float, border: int) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=border)


def _profile_score(ink: np.ndarray, degrees: float) -> float:
    rows = _rotate(ink, degrees, 0).sum(axis=1, dtype=np.float64)
    return float(np.square(rows).sum())


def tilt_of(ink: np.ndarray) -> float:
    """The angle that makes rows of ink line up best, on a small copy of the page."""
    scale = 600 / max(ink.shape[1], 1)
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    best = max(np.arange(-MAX_TILT, MAX_TILT + 0.01, 0.5), key=lambda d: _profile_score(small, d))
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    best = max(fine, key=lambda d: _profile_score(small, d))
    return round(float(best), 1)


def _lines(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the horizontal and vertical ruling lines: runs of ink longer than any character."""
    long = max(dpi // 4, 10)  # a quarter inch: longer than a CJK character's strokes at body sizes
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long)))
    # bridge the gaps blur or a stamp leave in a line
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horizontal, vertical


def _edges(mask: np.ndarray, orientation: str, per_point: float) -> list[dict]:
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    for x, y, w, h, _area in stats[1:count]:
        if orientation == "h" and w > 3 * h:
            middle = (y + h / 2) / per_point
            found.append(edge(x / per_point, middle, (x + w) / per_point, middle))
        elif orientation == "v" and h > 3 * w:
            centre = (x + w / 2) / per_point
            found.append(edge(centre, y / per_point, centre, (y + h) / per_point))
    return [e for e in found if e]


def prepare(image: np.ndarray, dpi: float) -> Page:
    """A page image (BGR or gray, at ``dpi``) upright at WORK_DPI, with its ruling lines."""
    gray = _gray(image)
    if abs(dpi - WORK_DPI) > 1:
        scale = WORK_DPI / dpi
        gray = cv2.resize(gray, None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    ink = _binary(gray)
    tilt = tilt_of(ink)
    if tilt:
        gray = _rotate(gray, tilt, 255)
        ink = _binary(gray)
    horizontal, vertical = _lines(ink, WORK_DPI)
    per_point = WORK_DPI / 72
    edges = _edges(horizontal, "h", per_point) + _edges(vertical, "v", per_point)
    lines = cv2.bitwise_or(horizontal, vertical)
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(lines))
    gray = gray.copy()
    gray[lines > 0] = 255
    return Page(gray=gray, ink=text_ink, edges=edges, tilt=tilt)


def decode_image(body: bytes) -> np.ndarray | None:
    """Image bytes (PNG, JPEG, TIFF, BMP, WebP, GIF) -> BGR pixels, or None when unreadable."""
    pixels = cv2.imdecode(np.frombuffer(body, dtype=np.uint8), cv2.IMREAD_COLOR)
    if pixels is None:  # GIF and some TIFFs: OpenCV's decoders do not read them
        from io import BytesIO

        from PIL import Image

        try:
            with Image.open(BytesIO(body)) as picture:
                pixels = cv2.cvtColor(np.asarray(picture.convert("RGB")), cv2.COLOR_RGB2BGR)
        except Exception:  # noqa: BLE001 - any decoder error means the same: not an image we read
            return None
    return pixels
