"""Text exports: tab rows, cell blocks and cell streams map to the same cells."""

from fixture_portal.forms import expand, text_export
from fixture_portal.render_tables import TABLES
from fixture_portal.reports import synthetic_report
from pipelines.extract import extract

WITH_BLANKS = synthetic_report("临江市教育局", 2022, "2021", seed=7, blank_share=0.2)
# A stream has no row boundaries, so a blank cell leaves no trace: streams are full.
FULL = synthetic_report("临江市教育局", 2022, "2021", seed=7, blank_share=0.0)


def _stream(report: dict) -> str:
    """One cell a line with blank lines between cells, only cells that hold text (web copies)."""
    parts = [report["title"], "", "一、总体情况", "", "2022年，临江市教育局认真贯彻落实条例。", ""]
    for heading, build in TABLES:
        parts += [heading, ""]
        parts += [f"{cell}\n" for line in expand(build(report)) for cell in line if cell]
    parts += ["五、存在的主要问题及改进情况", "", "无。", "", "六、其他需要报告的事项", "", "无。", ""]
    return "\n".join(parts)


def _tables(text: str):
    report = extract(text.encode("utf-8"))
    assert report.status == "ok", report.reason
    assert report.template == "2021"
    return report.tables()


def test_tab_rows():
    assert _tables(text_export(WITH_BLANKS, "tab_rows")) == WITH_BLANKS["tables"]


def test_cell_blocks():
    assert _tables(text_export(WITH_BLANKS, "cell_blocks")) == WITH_BLANKS["tables"]


def test_cell_stream():
    assert _tables(_stream(FULL)) == FULL["tables"]
