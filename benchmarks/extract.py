"""Extraction throughput per format on one core, beside the bare parse of the same bytes.

    .venv/bin/python benchmarks/extract.py [--seconds 3]

Prints reports/s for ``pipelines.extract.extract`` and for the library alone (lxml,
PDFium, python-docx, openpyxl) parsing the same documents: the gold reports rendered into each
form, then the scale portal's ~50 KB report pages (as served, and double-encoded), then the real
saved page of ``tests/gold/real`` (a portal's own markup, an unknown layout read through
trafilatura) and the PDFs LibreOffice and Chromium made of it. PDFs are read with PDFium; the
pdfplumber row shows what reading the same PDFs' words with pdfminer alone costs.

Each rate twice: over ``--seconds`` of work, and from each document's fastest pass. This
machine's speed swings by a third from one minute to the next with what else it runs; the
fastest pass is what it does when quiet, and moves far less from run to run.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pdfplumber
import pypdfium2

from fixture_portal.forms import render_forms
from fixture_portal.reports import SHARED, shared_report, synthetic_report
from fixture_portal.scale import report_page
from pipelines.extract import extract


def _bare_pdf(body: bytes) -> None:
    pdf = pypdfium2.PdfDocument(body)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _bare_pdfplumber(body: bytes) -> None:
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def _bare_docx(body: bytes) -> None:
    document = docx.Document(io.BytesIO(body))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                _ = cell.text


BARE = {
    "html": lambda body: lxml.html.document_fromstring(body),
    "text_cell_blocks": lambda body: body.decode("utf-8").splitlines(),
    "docx": _bare_docx,
    "xlsx": lambda body: openpyxl.load_workbook(io.BytesIO(body), data_only=True),
    "pdf": _bare_pdf,
    "pdf_unruled": _bare_pdf,
}


def rate(function, documents: list[bytes], seconds: float) -> tuple[float, float]:
    """(documents a second over ``seconds``, the rate from each document's fastest pass): the
    second is what a quiet machine does; the first falls with whatever else the machine runs."""
    done, start = 0, time.perf_counter()
    fastest = [float("inf")] * len(documents)
    while time.perf_counter() - start < seconds:
        for index, body in enumerate(documents):
            began = time.perf_counter()
            function(body)
            fastest[index] = min(fastest[index], time.perf_counter() - began)
            done += 1
    return done / (time.perf_counter() - start), len(documents) / sum(fastest)


def row(form: str, ours: tuple[float, float], base: tuple[float, float]) -> str:
    return (f"{form:<18}{ours[0]:>16.1f}{base[0]:>16.1f}{ours[0] / base[0]:>13.0%}"
            f"{ours[1]:>16.1f}{base[1]:>16.1f}{ours[1] / base[1]:>13.0%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    reports = [shared_report(s) for s in SHARED] + [synthetic_report("临江市教育局", 2022, "2021", 7)]
    rendered = [render_forms(r) for r in reports]
    print(f"{'':<18}{'over --seconds':^46}{'each document at its fastest':^46}")
    print(f"{'format':<18}{'xxgk reports/s':>16}{'bare parse/s':>16}{'xxgk / bare':>14}"
          f"{'xxgk reports/s':>16}{'bare parse/s':>16}{'xxgk / bare':>14}")
    for form, bare in BARE.items():
        documents = [forms[form] for forms in rendered]
        print(row(form, rate(extract, documents, args.seconds), rate(bare, documents, args.seconds)))
    documents = [forms["pdf"] for forms in rendered]
    plumber = rate(_bare_pdfplumber, documents, args.seconds)
    print(f"{'(pdf, pdfminer)':<18}{'':>16}{plumber[0]:>16.1f}{'':>14}{'':>16}{plumber[1]:>16.1f}")
    # The scale portal's report pages as a crawl fetches them (~50 KB: a portal's chrome, Word's table
    # markup), and the same pages double-encoded (UTF-8 read as Latin-1, saved as UTF-8 again).
    pages = [report_page(site, k) for site in range(4) for k in range(5)]
    twice = [page.decode("latin-1").encode("utf-8") for page in pages]
    for form, documents in (("real-size page", pages), ("double-encoded", twice)):
        print(row(form, rate(extract, documents, args.seconds), rate(BARE["html"], documents, args.seconds)))
    real = Path(__file__).resolve().parents[1] / "tests" / "gold" / "real"  # saved from a portal, and made of it
    for form, pattern, bare in (("real page", "*.html", BARE["html"]), ("real PDFs", "*.pdf", _bare_pdf)):
        documents = [path.read_bytes() for path in sorted(real.glob(pattern))]
        print(row(form, rate(extract, documents, args.seconds), rate(bare, documents, args.seconds)))


if __name__ == "__main__":
    main()
