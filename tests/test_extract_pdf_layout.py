"""PDF text layers as the hard cases print them: read by position, never by stream order."""

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipelines.extract import extract
from pipelines.extract.read_pdf import read_pdf

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = "临江市统计局2022年政府信息公开工作年度报告"


def _pdf(draw) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 14)
    page.drawString(60, 800, TITLE)
    page.setFont(FONT, 9)
    draw(page)
    page.save()
    return out.getvalue()


def _cells(report, table):
    return {(c.row, c.column): c.value for c in report.cells if c.table == table}


def _active_table(page, values_first: bool, ruled: bool = False) -> None:
    """Table 二 (2021): a group label one character a line, header words letter-spaced,
    a blank cell in the first row, values drawn before their labels when asked."""
    columns = (250, 340, 430)
    rows = {"规章": ("1", "", "5"), "行政规范性文件": ("2", "0", "7")}
    ys = {"规章": 690, "行政规范性文件": 670}

    def values():
        for label, texts in rows.items():
            for x, text in zip(columns, texts, strict=True):
                if text:
                    page.drawString(x, ys[label], text)

    if values_first:
        values()
    page.drawString(60, 740, "二、主动公开政府信息情况")
    page.drawString(120, 712, "信息内容")
    for x, header in zip(columns, ("本 年 制 发 件 数", "本 年 废 止 件 数", "现 行 有 效 件 数"), strict=True):
        page.drawString(x, 712, header)
    for i, char in enumerate("第二十条第一项"):  # printed down the left margin
        page.drawString(62, 700 - 9 * i, char)
    for label, y in ys.items():
        page.drawString(120, y, label)
    if not values_first:
        values()
    if ruled:  # the group label's cell is merged down the table's rows
        page.line(55, 725, 500, 725)
        page.line(55, 640, 500, 640)
        for y in (705, 685):
            page.line(110, y, 500, y)
        for x in (55, 110, 245, 335, 425, 500):
            page.line(x, 725, x, 640)


def test_values_printed_before_labels_read_the_same():
    for values_first in (False, True):
        report = extract(_pdf(lambda p, v=values_first: _active_table(p, v)))
        assert report.ok, report.reason
        assert report.template == "2021"
        cells = _cells(report, "active_disclosure")
        assert cells[("regulation", "issued_this_year")] == 1
        assert cells[("regulation", "repealed_this_year")] is None  # blank stays blank, in its place
        assert cells[("regulation", "in_force")] == 5
        assert cells[("normative_document", "repealed_this_year")] == 0
        assert cells[("normative_document", "in_force")] == 7


def test_ruled_table_reads_a_vertical_label_and_spaced_header_words_whole():
    body = _pdf(lambda p: _active_table(p, values_first=True, ruled=True))
    grid = [[(cell.text, cell.spanned) for cell in row] for row in read_pdf(body).tables[-1]]
    assert [text for text, _ in grid[0]] == [
        "第二十条第一项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert grid[1] == [("", True), ("规章", False), ("1", False), ("", False), ("5", False)]
    cells = _cells(extract(body), "active_disclosure")
    assert (cells[("regulation", "issued_this_year")], cells[("regulation", "repealed_this_year")]) == (1, None)


def test_a_character_pdfium_cannot_decode_is_read_by_pdfminer(monkeypatch):
    """PDFium loses a wrapped label's last character alone on its line when no CJK font is
    installed; here it is made to lose it whatever the machine has, and pdfminer reads it."""
    from pipelines.extract import read_pdf as module
    from pipelines.extract.pdf_layout import PageText

    def wrapped(page):
        text = page.beginText(60, 700)
        text.setFont(FONT, 9)
        text.textLine("1.属于国家秘")
        text.textLine("密")  # a wrapped label's last character alone on its line
        page.drawText(text)

    real = module.read_page

    def losing(page):
        text, edges = real(page)
        kept = [c for c in text.chars if not (c.text == "密" and c.top > text.chars[0].bottom)]
        return PageText(kept, undecoded=len(text.chars) - len(kept)), edges

    monkeypatch.setattr(module, "read_page", losing)
    doc = read_pdf(_pdf(wrapped))
    assert doc.meta["pages_read_by_pdfminer"] == "1"
    assert "国家秘\n密" in doc.text  # the lost character is back, on its own line as printed


def test_a_page_without_characters_is_not_searched_for_ruling_lines():
    """Text printed as outlines (no text layer: OCR reads it) makes thousands of paths of many
    segments a page: they are not followed when the page has no character; a page with text has
    its ruling lines as page_edges finds them."""
    import pypdfium2 as pdfium

    from pipelines.extract.pdf_layout import page_edges, read_page

    out = io.BytesIO()
    page = canvas.Canvas(out)
    _active_table(page, values_first=True, ruled=True)
    page.showPage()
    for x in (55, 110, 245, 335, 425, 500):  # the same lines, no text
        page.line(x, 725, x, 640)
    page.line(55, 725, 500, 725)
    page.save()
    pdf = pdfium.PdfDocument(out.getvalue())
    try:
        (text, edges), (bare, none) = read_page(pdf[0]), read_page(pdf[1])
        assert text.chars and edges == page_edges(pdf[0]) and len(edges) >= 10
        assert not bare.chars and none == [] and len(page_edges(pdf[1])) == 7
    finally:
        pdf.close()


def test_a_page_pdfminer_reads_whole_has_its_ruling_lines(monkeypatch):
    """A page whose every character PDFium lost (so read_page followed no path) and pdfminer
    reads: its ruled table is still found."""
    from pipelines.extract import read_pdf as module
    from pipelines.extract.pdf_layout import PageText

    real = module.read_page

    def nothing_decoded(page):
        text, _edges = real(page)
        return PageText([], undecoded=len(text.chars)), []

    monkeypatch.setattr(module, "read_page", nothing_decoded)
    doc = read_pdf(_pdf(lambda p: _active_table(p, values_first=True, ruled=True)))
    assert doc.meta["pages_read_by_pdfminer"] == "1"
    assert [cell.text for cell in doc.tables[-1][0]] == [
        "第二十条第一项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]


def test_blank_cells_of_real_pdfs_are_not_lost_characters(monkeypatch):
    """Browsers and LibreOffice print a no-break space in every empty table cell, a text object
    PDFium reads as blank and without width, like a character it could not decode; in an
    embedded font it is a blank glyph: no page is read again by pdfminer for it, and the
    LibreOffice print is not flagged. The Chromium print does lose 年 and 发 (glyph 0, no
    Unicode value in the file): flagged, without a pdfminer pass that could not read them."""
    from pathlib import Path

    from pipelines.extract import read_pdf as module

    def never(body, number):
        raise AssertionError(f"page {number + 1} read again by pdfminer")

    monkeypatch.setattr(module, "_pdfminer_chars", never)
    real = Path(__file__).parent / "gold" / "real"
    office = read_pdf((real / "shanghai_2019_office.libreoffice.pdf").read_bytes())
    assert office.repairs == [] and "pages_read_by_pdfminer" not in office.meta
    assert "发布日期：2020-01-31" in office.text and "六、其他需要报告的事项" in office.text
    browser = read_pdf((real / "shanghai_2019_office.chromium.pdf").read_bytes())
    assert browser.repairs == ["pdf_chars_lost"]  # page 1 only: the title's 年, the date's 发
    report = extract((real / "shanghai_2019_office.chromium.pdf").read_bytes())
    assert "lossy_text" in {i.code for i in report.issues}
    assert "lossy_text" not in {i.code for i in extract((real / "shanghai_2019_office.libreoffice.pdf")
                                                        .read_bytes()).issues}


def test_a_blank_in_an_embedded_font_is_not_lost(monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont

    from pipelines.extract import read_pdf as module

    monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))  # the registry as it was, after
    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))

    def cells(page):
        for x in (100, 200, 300):
            page.setFont("DejaVuSans", 9)
            page.drawString(x, 700, "\u00a0")  # an empty cell as a browser prints it
        page.drawString(400, 700, "12")

    monkeypatch.setattr(module, "_pdfminer_chars", lambda body, number: [])
    doc = read_pdf(_pdf(cells))
    assert doc.repairs == [] and "12" in doc.text


def test_the_cell_search_finds_what_pdfplumbers_does():
    """read_pdf's intersections_to_cells is pdfplumber's, made faster: the same cells on the
    ruling lines of real-tool PDFs, rendered PDFs with wide and narrow labels, and a scan."""
    from pathlib import Path

    import numpy as np
    import pypdfium2 as pdfium
    from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

    from fixture_portal.forms import render_forms
    from fixture_portal.reports import synthetic_report
    from pipelines.extract.pdf_layout import page_edges
    from pipelines.extract.read_pdf import TOLERANCE
    from pipelines.extract.read_pdf import intersections_to_cells as ours

    real = Path(__file__).parent / "gold" / "real"
    forms = render_forms(synthetic_report("临江市教育局", 2022, "2021", seed=7))
    bodies = [p.read_bytes() for p in sorted(real.glob("*.pdf"))] + [forms["pdf"], forms["pdf_wrapped_labels"]]
    pages = []
    for body in bodies:
        pdf = pdfium.PdfDocument(body)
        pages += [page_edges(page) for page in pdf]
        pdf.close()
    try:  # a scan's lines, as OpenCV finds them
        from pipelines.extract.scan_image import prepare

        pdf = pdfium.PdfDocument(forms["pdf"])
        image = np.asarray(pdf[0].render(scale=150 / 72).to_pil().convert("RGB"))[:, :, ::-1]
        pages.append(prepare(image, 150).edges)
        pdf.close()
    except ImportError:
        pass
    compared = 0
    for edges in pages:
        edges = merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
        points = edges_to_intersections(edges, TOLERANCE, TOLERANCE)
        assert ours(points) == intersections_to_cells(points)
        compared += len(points)
    assert compared > 500
