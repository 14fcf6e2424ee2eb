"""Two OCR engines in xxgk's scan reader, side by side on the gold set's scanned forms.

    .venv/bin/pip install rapidocr-onnxruntime   # not a dependency: for this comparison only
    .venv/bin/python benchmarks/ocr_engines.py [--reports 5] [--doubt 0.95]

The page preparation (deskew, ruling lines, the cells cut), the label snapping, the mapper and
the arithmetic are the same for both; only what reads a cell's picture and a line of prose
differs:

- ``tesseract``: Tesseract 5 through tesserocr, Debian's ``chi_sim`` model (xxgk's reader:
  Chinese model, then a digits-only pass with every doubtful symbol's rivals);
- ``rapidocr``: RapidOCR (PaddleOCR's PP-OCRv4 recogniser on ONNX Runtime, the model files inside
  the wheel), its recogniser alone on the same pictures; a reading whose score is below
  ``--doubt`` is doubtful (RapidOCR gives a line's score, not a symbol's rivals, so the arithmetic
  has no other reading to choose from, and a doubtful cell stays flagged).

For each engine and form: seconds a page on one core, cells right, wrong numbers left unflagged,
and cells flagged. Bare: each engine reading the same page images whole with its own layout
analysis (Tesseract automatic page segmentation; RapidOCR detection + recognition).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from gold.gold_set import gold_reports, score, wrong_numbers  # noqa: E402
from ocr import _bare, _pages  # noqa: E402  (benchmarks/ocr.py)

from fixture_portal.forms import render_forms  # noqa: E402
from fixture_portal.render_scan import render_scans  # noqa: E402
from pipelines.extract import extract, read_scan  # noqa: E402
from pipelines.model import OcrText  # noqa: E402

LINE = 22  # pixels a line of the tables' print is high at read_scan's 200 dpi, its margin included


def _rapid_engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, text_score=0.0)  # every reading kept


def _rapid_readers(engine, doubt: float):
    """Replacements for read_scan's cell and line readers that ask RapidOCR's recogniser."""

    def recognise(gray: np.ndarray) -> tuple[str, float]:
        if gray.shape[0] > 1.6 * LINE:  # a label over several lines: its detector finds them
            picture = cv2.cvtColor(cv2.copyMakeBorder(gray, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=255),
                                   cv2.COLOR_GRAY2RGB)
            result, _ = engine(picture, use_det=True, use_cls=False, use_rec=True)
            if result:
                lines = sorted(result, key=lambda r: (r[0][0][1], r[0][0][0]))
                return read_scan._tidy("".join(r[1] for r in lines)), min(float(r[2]) for r in lines)
        # one line: its recogniser's own input height (48 px) and a thin margin; with Tesseract's
        # picture (text ~40 px high in a wide white margin) it reads a lone 0 as 。 or nothing
        scale = 48 / max(gray.shape[0], 1)
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        picture = cv2.cvtColor(cv2.copyMakeBorder(gray, 2, 2, 4, 4, cv2.BORDER_CONSTANT, value=255),
                               cv2.COLOR_GRAY2RGB)
        result, _ = engine(picture, use_det=False, use_cls=False, use_rec=True)
        if not result:
            return "", 0.0
        text, confidence = result[0]
        return read_scan._tidy(text), float(confidence)

    def read_box(page, box):
        x0, y0, x1, y1 = box
        x0, y0 = max(x0, 0), max(y0, 0)
        region = page.ink[y0:y1, x0:x1]
        extent = read_scan._cell_ink(region) if region.size else None
        if extent is None:
            return OcrText("", confidence=100.0)
        left, top, right, bottom = extent
        cell = page.gray[y0 + max(top - 2, 0):y0 + bottom + 2, x0 + max(left - 2, 0):x0 + right + 2]
        text, confidence = recognise(cell)
        if len(read_scan._CJK.findall(text)) >= 2:
            return OcrText(read_scan.snap(text), confidence=100 * confidence)
        plain = re.sub(r"[\s,，]", "", text)
        sure = confidence >= doubt
        return OcrText(plain, confidence=100.0 if sure else read_scan.DOUBTFUL - 1)

    def read_box_text(page, box):
        x0, y0, x1, y1 = box
        x0, y0 = max(x0 - 2, 0), max(y0 - 2, 0)
        text, _confidence = recognise(page.gray[y0:y1 + 2, x0:x1 + 2])
        return read_scan._FIRST_HEADING.sub("一、", text)

    return read_box, read_box_text


def _bare_rapid(pages: list[np.ndarray], engine) -> None:
    for page in pages:
        engine(np.dstack([page] * 3))


def main() -> None:
    from tesserocr import PSM, PyTessBaseAPI

    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--doubt", type=float, default=0.95, help="RapidOCR scores below this are doubtful")
    parser.add_argument("--engines", nargs="+", default=["tesseract", "rapidocr"], choices=["tesseract", "rapidocr"])
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, the OCR child included
    tesseract = PyTessBaseAPI(path=read_scan.tessdata(), lang="chi_sim", psm=PSM.AUTO)
    rapid = _rapid_engine()
    own = (read_scan._read_box, read_scan._read_box_text)
    readers = {"tesseract": own, "rapidocr": _rapid_readers(rapid, args.doubt)}
    bare = {"tesseract": lambda pages: _bare(pages, tesseract), "rapidocr": lambda pages: _bare_rapid(pages, rapid)}
    # engine, form -> pages, seconds, right, cells, unflagged wrong, flagged, bare seconds
    totals = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0, 0.0])
    for _name, report in gold_reports()[: args.reports]:
        for form, body in render_scans(render_forms(report)["pdf"]).items():
            pages = _pages(body)
            for engine, (read_box, read_box_text) in readers.items():
                if engine not in args.engines:
                    continue
                read_scan._read_box, read_scan._read_box_text = read_box, read_box_text
                try:
                    started = time.perf_counter()
                    result = extract(body)
                    seconds = time.perf_counter() - started
                finally:
                    read_scan._read_box, read_scan._read_box_text = own
                right, cells, wrong = score(result, report)
                flagged = {i.where for i in result.issues if i.code == "ocr_low_confidence"}
                started = time.perf_counter()
                bare[engine](pages)
                row = totals[engine, form]
                row[6] += time.perf_counter() - started
                row[0] += len(pages)
                row[1] += seconds
                row[2] += right
                row[3] += cells
                row[4] += sum(1 for w in wrong_numbers(wrong) if w[0] not in flagged)
                row[5] += len(flagged)
    print(f"{'engine':<11}{'form':<12}{'pages':>6}{'s/page':>8}{'cells right':>13}{'unflagged wrong':>17}"
          f"{'flagged':>9}{'bare s/page':>13}")
    for (engine, form), (pages, seconds, right, cells, unflagged, flagged, bare_s) in sorted(totals.items()):
        print(f"{engine:<11}{form:<12}{pages:>6}{seconds / pages:>8.2f}{right / cells:>13.2%}{unflagged:>17}"
              f"{flagged:>9}{bare_s / pages:>13.2f}")


if __name__ == "__main__":
    main()
