"""Scanned reports: image-only PDFs and page images read by OCR, doubtful readings settled by the
tables' arithmetic or flagged, OCR bounded in time, and stored scans read again on demand."""

from dataclasses import replace

import pytest
from gold.gold_set import score, wrong_numbers
from test_crawler_end_to_end import run_xxgk

from fixture_portal.forms import render_forms
from fixture_portal.render_scan import cjk_font_missing, render_scans
from fixture_portal.reports import synthetic_report
from pipelines.extract import Limits, extract, ocr_doubt, read_scan
from pipelines.model import OcrText, RawDocument, Report
from storage.repository import Repository

REPORT = synthetic_report("临江市教育局", 2022, "2021", seed=7)
PDF = render_forms(REPORT)["pdf"]
pytestmark = [
    pytest.mark.skipif(read_scan.available() is not None, reason=f"OCR not installed: {read_scan.available()}"),
    pytest.mark.skipif(cjk_font_missing(PDF), reason="no CJK font to render the scans (fonts-wqy-zenhei)"),
]


@pytest.fixture(scope="module")
def scans():
    return render_scans(PDF, seed=3)


def _unflagged_wrong(report, expected) -> list:
    flagged = {issue.where for issue in report.issues if issue.code == "ocr_low_confidence"}
    return [w for w in wrong_numbers(score(report, expected)[2]) if w[0] not in flagged]


@pytest.mark.parametrize("form", ["scan_150", "scan_png"])
def test_a_scan_is_read_by_ocr_into_the_report(scans, form):
    report = extract(scans[form])
    right, total, _ = score(report, REPORT)
    assert report.status == "ok" and "ocr" in report.repairs
    assert (report.agency, report.year, report.template) == (REPORT["agency"], REPORT["year"], REPORT["template"])
    assert right / total >= 0.99, score(report, REPORT)[2]
    assert _unflagged_wrong(report, REPORT) == []
    assert {"overview", "problems", "other_matters"} <= set(report.sections)  # the prose is read too


def test_ocr_is_bounded_by_its_own_time_limit(scans):
    report = extract(scans["scan_300"], limits=Limits(ocr_seconds=0.05))
    assert report.status == "needs_ocr" and "XXGK_LIMIT_OCR_SECONDS" in report.reason


def _ocr_cells():
    """A clean report's cells as OCR would hand them on: every printed figure read with certainty."""
    report = extract(render_forms(REPORT)["html"])
    assert report.ok
    return [replace(c, text=OcrText(c.text, 99.0)) if c.text is not None else c for c in report.cells], report.template


def _corrupt(cells, key, text: str, confidence: float, alternatives=()):
    index = next(i for i, c in enumerate(cells) if (c.table, c.row, c.column) == key)
    cells = list(cells)
    cells[index] = ocr_doubt._with_text(cells[index], OcrText(text, confidence, tuple(alternatives)))
    return cells, index


def _key(report_tables):
    """A cell with two digits that identities run through: a row and a column of table 三."""
    for row in ("new_received", "granted"):
        for column, value in report_tables["applications"][row].items():
            if column != "total" and value and value >= 11 and len(set(str(value))) == 1:
                return ("applications", row, column), value
    for row in ("new_received", "granted"):
        for column, value in report_tables["applications"][row].items():
            if column != "total" and value and value >= 10:
                return ("applications", row, column), value
    raise AssertionError("no two-digit cell")


def test_the_arithmetic_chooses_between_readings_of_a_doubtful_digit():
    cells, template = _ocr_cells()
    key, value = _key(REPORT["tables"])
    wrong = str(value)[:-1] + str((int(str(value)[-1]) + 1) % 10)
    bad, index = _corrupt(cells, key, wrong, 60.0, alternatives=(str(value),))
    settled, flags, repairs = ocr_doubt.settle(bad, template)
    assert settled[index].value == value and flags == [] and repairs
    # without the right reading among the alternatives, the cell stays as read and is flagged
    bad, index = _corrupt(cells, key, wrong, 60.0, alternatives=("7",))
    settled, flags, _ = ocr_doubt.settle(bad, template)
    assert str(settled[index].text) == wrong and [f.where for f in flags] == [".".join(key)]


def test_a_confident_merged_digit_is_set_right_only_by_the_arithmetic():
    cells, template = _ocr_cells()
    for table, rows in REPORT["tables"].items():
        for row, cols in rows.items():
            for column, value in cols.items():
                if table == "applications" and column != "total" and value in (11, 22, 33, 44, 55, 66, 77, 88, 99):
                    bad, index = _corrupt(cells, (table, row, column), str(value)[0], 99.0)
                    settled, flags, _ = ocr_doubt.settle(bad, template)
                    assert settled[index].value == value and flags == []
                    return
    pytest.skip("no repeated-digit figure in this report")


def test_a_doubtful_reading_an_identity_confirms_is_not_flagged_and_certain_ones_never_are():
    cells, template = _ocr_cells()
    key, value = _key(REPORT["tables"])
    doubtful, _ = _corrupt(cells, key, str(value), 60.0)
    assert ocr_doubt.settle(doubtful, template)[1] == []
    assert ocr_doubt.settle(cells, template)[1] == []
    # an unreadable cell (ink, no reading) is always flagged
    blank_key = next((c.table, c.row, c.column) for c in cells if c.table == "active_disclosure" and c.value == 0)
    unread, _ = _corrupt(cells, blank_key, "", 0.0)
    assert [f.where for f in ocr_doubt.settle(unread, template)[1]] == [".".join(blank_key)]


def test_reextract_outcome_needs_ocr_reads_the_scans_an_earlier_build_could_not(scans, tmp_path):
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    repo = Repository.from_url(db)
    repo.create_schema()
    for path, body in (("/nb-scan.pdf", scans["scan_150"]), ("/nb.html", render_forms(REPORT)["html"])):
        raw = RawDocument(url="http://a.gov.cn" + path, kind="file", status=200, body=body)
        raw.report = (Report(status="needs_ocr", reason="PDF without a text layer") if path.endswith("pdf")
                      else extract(body))
        repo.record(raw)
    assert repo.stored_document_ids(outcomes=("needs_ocr",)) != []
    repo.close()
    result = run_xxgk(["reextract", "--outcome", "needs_ocr"], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "re-extracted 1 documents" in result.stdout
    repo = Repository.from_url(db)
    assert repo.stored_document_ids(outcomes=("needs_ocr",)) == []
    assert len(repo.stored_document_ids(outcomes=("report",))) == 2
    repo.close()


def test_an_unruled_scan_is_read_by_position_and_every_wrong_number_is_flagged():
    """Without ruling lines, the words OCR places are lined up with columns by where they stand,
    as for an unruled PDF; those positions are approximate, so a figure no identity confirms is
    flagged, never taken as certain."""
    from gold.gold_set import gold_reports

    for _name, expected in gold_reports()[:2]:
        scan = render_scans(render_forms(expected)["pdf_unruled"])["scan_150"]
        report = extract(scan)
        right, total, _ = score(report, expected)
        assert report.status == "ok" and right / total >= 0.8
        assert _unflagged_wrong(report, expected) == []


def test_a_model_tesseract_cannot_load_leaves_the_scan_needs_ocr(scans, monkeypatch, tmp_path):
    for model in read_scan.MODELS:
        (tmp_path / f"{model}.traineddata").write_bytes(b"not a model")
    monkeypatch.setattr(read_scan, "TESSDATA_DIRS", ())
    monkeypatch.setenv("XXGK_TESSDATA", str(tmp_path))
    read_scan._engines.cache_clear()
    try:
        report = extract(scans["scan_png"])
    finally:
        read_scan._engines.cache_clear()
    assert report.status == "needs_ocr" and "could not load" in report.reason, report.reason
    assert str(tmp_path) in report.reason


def test_pictures_of_a_report_s_pages_in_one_zip_are_read_as_one_report():
    """A report published as pictures of its pages (the crawl keeps them in one zip, each as
    fetched, in page order): read as one document; a zip of anything else is not a report."""
    import io
    import zipfile

    import pypdfium2 as pdfium

    from pipelines.extract.sniff import pack_image_pages, zip_image_pages

    pdf = pdfium.PdfDocument(PDF)
    pages = []
    for page in pdf:
        out = io.BytesIO()
        page.render(scale=150 / 72).to_pil().convert("L").save(out, "JPEG", quality=90)
        pages.append(out.getvalue())
    pdf.close()
    packed = pack_image_pages(pages)
    assert packed == pack_image_pages(pages)  # the same pictures, the same bytes
    assert zip_image_pages(packed) == pages
    report = extract(packed)
    right, total, _ = score(report, REPORT)
    assert report.status == "ok" and report.format == "zip" and "ocr" in report.repairs
    assert right / total >= 0.99 and _unflagged_wrong(report, REPORT) == []
    shuffled = io.BytesIO()
    with zipfile.ZipFile(shuffled, "w") as archive:  # names as people write them: page 10 after page 2
        for name, data in (("page-10.jpg", pages[-1]), ("page-2.jpg", pages[0])):
            archive.writestr(name, data)
    assert zip_image_pages(shuffled.getvalue()) == [pages[0], pages[-1]]
    mixed = io.BytesIO()
    with zipfile.ZipFile(mixed, "w") as archive:
        archive.writestr("page-1.jpg", pages[0])
        archive.writestr("readme.txt", "说明")
    assert zip_image_pages(mixed.getvalue()) == []
    assert extract(mixed.getvalue()).status == "unsupported_format"
