"""A report's PDF as the scans and photos small bodies publish: image-only PDFs and page images.

Every form is made from the PDF rendered by PDFium (the page as printed), then degraded the way
paper and cameras degrade it: a flatbed scan at 150 or 300 dpi, a photo-like copy (turned 0.6°,
slightly blurred, JPEG-compressed), a red seal stamped over the first table, and a long
screenshot of all pages stacked as one PNG. Rendering Chinese text needs a CJK font on the
machine (Debian's fonts-wqy-zenhei or fonts-noto-cjk): ``cjk_font_missing`` says when it is not.
"""

from __future__ import annotations

import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

SCAN_FORMS = ("scan_150", "scan_300", "scan_photo", "scan_stamp", "scan_png")


def _pages(pdf_body: bytes, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(pdf_body)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pdf]
    finally:
        pdf.close()


def _image_pdf(pages: list[Image.Image], dpi: int, jpeg: int | None = None) -> bytes:
    """An image-only PDF: no text layer, one picture a page (JPEG-compressed when asked)."""
    if jpeg:
        recompressed = []
        for page in pages:
            buffer = io.BytesIO()
            page.save(buffer, "JPEG", quality=jpeg)
            recompressed.append(Image.open(io.BytesIO(buffer.getvalue())))
        pages = recompressed
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def _photo(page: Image.Image, seed: int) -> Image.Image:
    """Turned 0.6°, slightly out of focus, on paper a little darker than white."""
    rng = random.Random(seed)
    turned = page.rotate(0.6 if rng.random() < 0.5 else -0.6, resample=Image.BICUBIC, fillcolor=(250, 250, 250))
    blurred = turned.filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(blurred).astype(np.int16)
    noise = np.random.default_rng(seed).normal(0, 6, pixels.shape[:2])[..., None]
    return Image.fromarray(np.clip(pixels * 0.94 + noise, 0, 255).astype(np.uint8))


def _stamp(page: Image.Image, dpi: int) -> Image.Image:
    """A red official seal (ring, star, a ring of characters as strokes) over the upper right of the
    first table, printed as ink prints: multiplied into the page, so text under it stays dark."""
    seal = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(seal)
    radius = int(dpi * 0.8)
    cx, cy = int(page.width * 0.62), int(page.height * 0.3)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=255, width=max(int(dpi * 0.04), 2))
    star = [(cx + radius * 0.35 * np.cos(np.pi / 2 + k * 4 * np.pi / 5),
             cy - radius * 0.35 * np.sin(np.pi / 2 + k * 4 * np.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=255)
    for k in range(14):
        angle = np.pi * (0.15 + 0.7 * k / 13)
        x, y = cx - radius * 0.78 * np.cos(angle), cy - radius * 0.78 * np.sin(angle)
        draw.rectangle((x - dpi * 0.05, y - dpi * 0.05, x + dpi * 0.05, y + dpi * 0.05), fill=255)
    strength = np.asarray(seal, dtype=np.float32)[..., None] / 255 * 0.85
    ink = np.array([225, 35, 40], dtype=np.float32)
    pixels = np.asarray(page.convert("RGB"), dtype=np.float32)
    stamped = pixels * (1 - strength + strength * ink / 255)
    return Image.fromarray(stamped.clip(0, 255).astype(np.uint8))


def _long_png(pages: list[Image.Image]) -> bytes:
    width = max(p.width for p in pages)
    stacked = Image.new("RGB", (width, sum(p.height for p in pages)), "white")
    top = 0
    for page in pages:
        stacked.paste(page, (0, top))
        top += page.height
    out = io.BytesIO()
    stacked.convert("L").save(out, "PNG", optimize=False)
    return out.getvalue()


def cjk_font_missing(pdf_body: bytes) -> bool:
    """True when PDFium draws the PDF's Chinese text as nothing (no CJK font on this machine)."""
    page = _pages(pdf_body, 36)[0]
    ink = np.asarray(page.convert("L")) < 128
    return ink.mean() < 0.002


def render_scans(pdf_body: bytes, seed: int = 0) -> dict[str, bytes]:
    """The scanned forms of one report's PDF, by form name (``SCAN_FORMS``)."""
    at_150, at_200, at_300 = _pages(pdf_body, 150), _pages(pdf_body, 200), _pages(pdf_body, 300)
    return {
        "scan_150": _image_pdf([p.convert("L") for p in at_150], 150),
        "scan_300": _image_pdf([p.convert("L") for p in at_300], 300),
        "scan_photo": _image_pdf([_photo(p, seed + i) for i, p in enumerate(at_200)], 200, jpeg=60),
        "scan_stamp": _image_pdf([_stamp(p, 200) if i == 0 else p for i, p in enumerate(at_200)], 200, jpeg=85),
        "scan_png": _long_png(at_150),
    }
