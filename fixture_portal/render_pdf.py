"""A report as a PDF with a text layer: ruled tables with merged cells, as Word prints them.

``ruled=False`` prints the same tables without lines (values aligned by position only),
the harder case of PDFs exported from spreadsheets or typeset by hand; ``narrow=True`` makes
the label columns narrow, so labels wrap over several lines of their cell.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .render_tables import TABLES, place_spans

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=6.5, leading=8, wordWrap="CJK")
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=14, leading=20, alignment=1)


def _table(rows, ruled: bool, narrow: bool = False) -> Table:
    width = sum(s.colspan for s in rows[0])
    data = [["" for _ in range(width)] for _ in rows]
    styles = [("FONT", (0, 0), (-1, -1), FONT, 6.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if ruled:
        styles.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    for r, c, span in place_spans(rows):
        data[r][c] = Paragraph(span.text, _CELL) if len(span.text) > 6 else span.text
        if span.rowspan > 1 or span.colspan > 1:
            styles.append(("SPAN", (c, r), (c + span.colspan - 1, r + span.rowspan - 1)))
    total = A4[0] - 80
    label_share = (0.34 if width > 4 else 0.4) * (0.7 if narrow else 1)
    label_cols = 3 if width == 10 else 1
    if width == 15:
        widths = [total / 15] * 15
    else:
        label_w = total * label_share / label_cols
        widths = [label_w] * label_cols + [(total * (1 - label_share)) / (width - label_cols)] * (width - label_cols)
    return Table(data, colWidths=widths, style=TableStyle(styles), repeatRows=0)


def render_pdf(report: dict, sections: dict[str, str], ruled: bool = True, narrow: bool = False) -> bytes:
    """``narrow``: label columns half as wide, so long labels wrap over three or four lines."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=40,
                            bottomMargin=40, title=report["title"])
    story = [Paragraph(report["title"], _TITLE), Spacer(1, 8),
             Paragraph("一、总体情况", _BODY), Paragraph(sections.get("overview", ""), _BODY)]
    for heading, build in TABLES:
        story += [Spacer(1, 6), Paragraph(heading, _BODY), Spacer(1, 4), _table(build(report), ruled, narrow)]
    story += [Spacer(1, 6), Paragraph("五、存在的主要问题及改进情况", _BODY),
              Paragraph(sections.get("problems", ""), _BODY),
              Paragraph("六、其他需要报告的事项", _BODY), Paragraph(sections.get("other_matters", ""), _BODY)]
    doc.build(story)
    return out.getvalue()
