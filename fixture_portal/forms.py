"""One report rendered into every form portals publish: the gold set's generator.

``render_forms(report)`` -> {form: bytes}. Forms: Word-exported HTML (plain, digits split
across tags, full-width digits, nested in a layout table, tables split in two, GBK),
text exports (tab rows, cell blocks), DOCX, XLSX, ruled PDF; with LibreOffice also DOC,
WPS and XLS (converted from the DOCX/XLSX, as portals' own files were made).
"""

from __future__ import annotations

import io

from .pages import article_page
from .render_markdown import markdown_forms
from .render_pdf import render_pdf
from .render_tables import TABLES, Span, place_spans, render_docx, render_html_table
from .reports import prose

_CN = "一二三四五六"


def expand(rows: list[list[Span]]) -> list[list[str]]:
    """Rows as a text export prints them: a merged cell's text once, its other places empty."""
    placed = list(place_spans(rows))
    width = max(c + span.colspan for _, c, span in placed)
    grid = [["" for _ in range(width)] for _ in rows]
    for r, c, span in placed:
        grid[r][c] = span.text
    return grid


def _odd_spans(rows: list[list[Span]]) -> list[list[Span]]:
    """Data rows whose spans do not match the header's: a label narrower, a cell added."""
    out = []
    for row in rows:
        values = [s for s in row if s.text == "" or s.text.lstrip("-").replace(".", "").isdigit()]
        wide = next((s for s in row if s.colspan >= 2 and s.text and s not in values), None)
        if len(values) >= 5 and wide is not None:
            row = [Span(s.text, s.rowspan, s.colspan - 1) if s is wide else s for s in row]
            at = row.index(next(s for s in row if s.text == wide.text)) + 1
            row.insert(at, Span(""))
        out.append(row)
    return out


def _flattened(report: dict) -> str:
    """Tables pasted as paragraphs: one cell a <p>, no <table> at all."""
    parts = []
    for heading, build in TABLES:
        parts.append(f"<p>{heading}</p>")
        for line in expand(build(report)):
            parts.extend(f"<p>{cell}</p>" for cell in line if cell)
    return "\n".join(parts)


def _html(report: dict, *, split_digits=False, style="plain", nested=False, split_table=False,
          odd_spans=False, flattened=False) -> str:
    sections = prose(report)
    parts = ["<p>一、总体情况</p>", f"<p>{sections['overview']}</p>"]
    if flattened:
        parts.append(_flattened(report))
    for heading, build in TABLES if not flattened else ():
        parts.append(f"<p><b>{heading}</b></p>")
        rows = build(report, style)
        if odd_spans:
            rows = _odd_spans(rows)
        if split_table and heading.startswith("三"):
            half = len(rows) // 2 + 2
            parts.append(render_html_table(rows[:half], split_digits))
            parts.append("<p>&nbsp;</p>")
            parts.append(render_html_table(rows[half:], split_digits))
        else:
            parts.append(render_html_table(rows, split_digits))
    parts += ["<p>五、存在的主要问题及改进情况</p>", f"<p>{sections['problems']}</p>",
              "<p>六、其他需要报告的事项</p>", f"<p>{sections['other_matters']}</p>"]
    body = "\n".join(parts)
    if nested:
        body = f'<table width="100%" class="layout"><tr><td><table><tr><td>{body}</td></tr></table></td></tr></table>'
    return article_page("临江市人民政府", "政府信息公开年报", report["title"], "2021-01-15",
                        report["agency"], body)


def ocr_lines(report: dict) -> str:
    """Text as OCR gives it: a table row a line, cells separated by spaces, blank cells gone."""
    sections = prose(report)
    out = [report["title"], "一、总体情况", sections["overview"]]
    for heading, build in TABLES:
        out.append(heading)
        out += [" ".join(cell for cell in line if cell) for line in expand(build(report))]
    out += ["五、存在的主要问题及改进情况", sections["problems"], "六、其他需要报告的事项", sections["other_matters"]]
    return "\n".join(out)


def text_export(report: dict, layout: str) -> str:
    sections = prose(report)
    out = [report["title"], "", "一、总体情况", "", sections["overview"], ""]
    for heading, build in TABLES:
        out += [heading, ""]
        for line in expand(build(report)):
            if layout == "tab_rows":
                out.append("\t".join(line))
            else:
                out.extend(f"\t{cell}" for cell in line)
                out.append("")
        out.append("")
    out += ["五、存在的主要问题及改进情况", "", sections["problems"], "", "六、其他需要报告的事项", "",
            sections["other_matters"], ""]
    return "\n".join(out)


def render_xlsx(report: dict) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "年报"
    workbook.properties.title = report["title"]
    sheet.cell(1, 1, report["title"])
    r0 = 3
    for heading, build in TABLES:
        sheet.cell(r0, 1, heading)
        r0 += 1
        rows = build(report)
        for r, c, span in place_spans(rows):
            text = span.text
            value = int(text) if text.lstrip("-").isdigit() else (float(text) if _is_float(text) else text)
            sheet.cell(r0 + r, c + 1, value if text != "" else None)
            if span.rowspan > 1 or span.colspan > 1:
                sheet.merge_cells(start_row=r0 + r, start_column=c + 1,
                                  end_row=r0 + r + span.rowspan - 1, end_column=c + span.colspan)
        r0 += len(rows) + 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _is_float(text: str) -> bool:
    try:
        float(text)
        return "." in text
    except ValueError:
        return False


def render_forms(report: dict, office: bool = False) -> dict[str, bytes]:
    forms = {
        "html": _html(report).encode("utf-8"),
        "html_split_digits": _html(report, split_digits=True).encode("utf-8"),
        "html_fullwidth": _html(report, style="fullwidth").encode("utf-8"),
        "html_nested_layout": _html(report, nested=True).encode("utf-8"),
        "html_split_table": _html(report, split_table=True).encode("utf-8"),
        "html_odd_spans": _html(report, odd_spans=True).encode("utf-8"),
        "html_flattened": _html(report, flattened=True).encode("utf-8"),
        "html_gbk": _html(report).replace("charset=utf-8", "charset=gb2312").encode("gb18030"),
        "text_tab_rows": text_export(report, "tab_rows").encode("utf-8"),
        "text_cell_blocks": text_export(report, "cell_blocks").encode("utf-8"),
        "text_ocr_lines": ocr_lines(report).encode("utf-8"),
        "docx": render_docx(report, prose(report)),
        "xlsx": render_xlsx(report),
        "pdf": render_pdf(report, prose(report)),
        "pdf_unruled": render_pdf(report, prose(report), ruled=False),
        "pdf_wrapped_labels": render_pdf(report, prose(report), narrow=True),
        "pdf_unruled_wrapped_labels": render_pdf(report, prose(report), ruled=False, narrow=True),
        **markdown_forms(report),
    }
    if office:
        from pipelines.extract.convert_office import convert

        forms["doc"] = convert(forms["docx"], "docx", "doc")
        forms["wps"] = forms["doc"]
        forms["xls"] = convert(forms["xlsx"], "xlsx", "xls")
    return forms
