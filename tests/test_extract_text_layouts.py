"""Text exports: tab rows, cell blocks and cell streams map to the same cells."""

from fixture_portal.render_tables import TABLES
from fixture_portal.reports import synthetic_report
from pipelines.extract import extract

WITH_BLANKS = synthetic_report("临江市教育局", 2022, "2021", seed=7, blank_share=0.2)
# A stream has no row boundaries, so a blank cell leaves no trace: streams are full.
FULL = synthetic_report("临江市教育局", 2022, "2021", seed=7, blank_share=0.0)
TITLE = "临江市教育局2022年政府信息公开工作年度报告\n\n一、总体情况\n\n2022年，临江市教育局认真贯彻落实条例。\n\n"


def _grids(report):
    for heading, build in TABLES:
        yield heading, build(report)


def _expand(rows):
    """Spans as the text export prints them: a span's text once, its other places empty."""
    taken, out = {}, []
    for r, row in enumerate(rows):
        line, c = [], 0
        for span in row:
            while (r, c) in taken:
                line.append("")
                c += 1
            line.append(span.text)
            line.extend("" for _ in range(span.colspan - 1))
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = True
            c += span.colspan
        out.append(line)
    return out


def _text(report, layout):
    parts = [TITLE]
    for heading, rows in _grids(report):
        parts.append(heading + "\n\n")
        for line in _expand(rows):
            if layout == "tab_rows":
                parts.append("\t".join(line) + "\n")
            elif layout == "cell_blocks":
                parts.append("".join(f"\t{cell}\n" for cell in line) + "\n")
            else:  # a stream prints only the cells that hold text, plus every value cell
                parts.append("".join(f"{cell}\n\n" for cell in line if cell) + "")
        parts.append("\n")
    parts.append("五、存在的主要问题及改进情况\n\n无。\n\n六、其他需要报告的事项\n\n无。\n")
    return "".join(parts)


def _check(source, layout):
    report = extract(_text(source, layout).encode("utf-8"))
    assert report.status == "ok", report.reason
    assert report.template == "2021"
    return report.tables()


def test_tab_rows():
    assert _check(WITH_BLANKS, "tab_rows") == WITH_BLANKS["tables"]


def test_cell_blocks():
    assert _check(WITH_BLANKS, "cell_blocks") == WITH_BLANKS["tables"]


def test_cell_stream():
    assert _check(FULL, "cell_stream") == FULL["tables"]
