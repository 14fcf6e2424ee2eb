"""The three real reports extract exactly: every cell, agency, year and template."""

import json
from importlib import resources

import pytest

from fixture_portal.reports import SHARED
from pipelines.extract import extract

REPORTS = resources.files("fixture_portal") / "reports"


@pytest.mark.parametrize("stem", SHARED)
def test_real_report_exact(stem):
    expected = json.loads((REPORTS / f"{stem}.expected.json").read_text(encoding="utf-8"))
    report = extract((REPORTS / f"{stem}.txt").read_bytes())
    assert report.status == "ok", report.reason
    assert (report.agency, report.year, report.template) == (
        expected["agency"], expected["year"], expected["template"])
    assert report.tables() == expected["tables"]
    assert [i for i in report.issues if i.code in ("row_misaligned", "missing_table")] == []


def test_traditional_edition_repaired():
    report = extract((REPORTS / "001_10716707aaeecff2.txt").read_bytes())
    assert "t2s" in report.repairs
    assert any(r.startswith("pinyin_annotations:") for r in report.repairs)
    assert "likely_mirror" in report.repairs
    assert "(wù)" not in report.sections.get("overview", "")
    # 驳回1 in a number cell: 1, with the printed text kept.
    cell = next(c for c in report.cells if c.table == "review_litigation" and c.text == "驳回1")
    assert cell.value == 1 and cell.note


def test_word_text_export_artefacts_dropped():
    report = extract((REPORTS / "000_2edaf997620af2ce.txt").read_bytes())
    assert "[bookmark" not in "".join(report.sections.values())
    assert report.sections["overview"].startswith("（一）强化组织领导")
