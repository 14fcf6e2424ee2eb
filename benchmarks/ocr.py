"""OCR of scanned reports on one core: seconds a page and cells right, beside bare Tesseract.

    .venv/bin/python benchmarks/ocr.py [--reports 5]

For each scanned form of the gold reports (``fixture_portal/render_scan.py``) prints the pages,
xxgk's seconds a page (``extract``: deskew, ruling lines, every cell read, prose read, the
arithmetic settling doubtful digits), the cells right, the wrong numbers left unflagged, and the
seconds a page that bare Tesseract (tesserocr, the same Chinese model, automatic page layout)
takes to read the same page images whole, which reads text but no table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict

import cv2
import numpy as np
import pypdfium2 as pdfium

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from gold.gold_set import gold_reports, score, wrong_numbers  # noqa: E402

from fixture_portal.forms import render_forms  # noqa: E402
from fixture_portal.render_scan import render_scans  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from pipelines.extract.read_scan import _native_dpi, tessdata  # noqa: E402


def _pages(body: bytes) -> list[np.ndarray]:
    if not body.startswith(b"%PDF"):
        return [cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_GRAYSCALE)]
    pdf = pdfium.PdfDocument(body)
    out = []
    for page in pdf:
        dpi = _native_dpi(page) or 200
        out.append(np.asarray(page.render(scale=dpi / 72).to_pil().convert("L")))
    pdf.close()
    return out


def _bare(pages: list[np.ndarray], api) -> None:
    from PIL import Image

    for page in pages:
        api.SetImage(Image.fromarray(page))
        api.GetUTF8Text()


def main() -> None:
    from tesserocr import PSM, PyTessBaseAPI

    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, the OCR child included
    api = PyTessBaseAPI(path=tessdata(), lang="chi_sim", psm=PSM.AUTO)
    totals = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0.0])  # pages, seconds, right, cells, unflagged, bare s
    for _name, report in gold_reports()[: args.reports]:
        for form, body in render_scans(render_forms(report)["pdf"]).items():
            pages = _pages(body)
            started = time.perf_counter()
            result = extract(body)
            seconds = time.perf_counter() - started
            right, cells, wrong = score(result, report)
            flagged = {i.where for i in result.issues if i.code == "ocr_low_confidence"}
            started = time.perf_counter()
            _bare(pages, api)
            bare = time.perf_counter() - started
            row = totals[form]
            row[0] += len(pages)
            row[1] += seconds
            row[2] += right
            row[3] += cells
            row[4] += sum(1 for w in wrong_numbers(wrong) if w[0] not in flagged)
            row[5] += bare
    print(f"{'form':<12}{'pages':>7}{'xxgk s/page':>13}{'cells right':>14}{'unflagged wrong':>17}"
          f"{'bare Tesseract s/page':>23}")
    for form, (pages, seconds, right, cells, unflagged, bare) in totals.items():
        print(f"{form:<12}{pages:>7}{seconds / pages:>13.2f}{right / cells:>14.2%}{unflagged:>17}{bare / pages:>23.2f}")


if __name__ == "__main__":
    main()
