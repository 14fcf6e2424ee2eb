"""The gold set: real reports as published, and every report rendered into every form."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from fixture_portal.forms import render_forms
from fixture_portal.reports import SHARED, shared_report, synthetic_report

from .hard_cases import hard_cases


def gold_reports() -> list[tuple[str, dict]]:
    reports = [(stem, shared_report(stem)) for stem in SHARED]
    reports.append(("syn-2021", synthetic_report("临江市教育局", 2022, "2021", seed=7)))
    reports.append(("syn-2019", synthetic_report("东川区人民政府", 2019, "2019", seed=8, blank_share=0.4)))
    return reports + hard_cases()


REAL = Path(__file__).parent / "real"  # real reports in the forms they were found or made in (SOURCES.md)


def real_documents():
    """(name, form, bytes, expected) of every real report's every form under ``real/``."""
    for truth in sorted(REAL.glob("*.expected.json")):
        stem = truth.name.removesuffix(".expected.json")
        expected = json.loads(truth.read_text(encoding="utf-8"))
        for path in sorted(REAL.glob(f"{stem}.*")):
            if path != truth:
                yield stem, "real:" + path.name.removeprefix(stem + ".").replace(".", "_"), path.read_bytes(), expected


def gold_documents(office: bool = False):
    """(name, form, bytes, expected report) of every gold document."""
    folder = resources.files("fixture_portal") / "reports"
    for stem in SHARED:
        expected = json.loads((folder / f"{stem}.expected.json").read_text(encoding="utf-8"))
        yield stem, "published_text", (folder / f"{stem}.txt").read_bytes(), expected
    yield from real_documents()
    for name, report in gold_reports():
        for form, body in render_forms(report).items():
            yield name, form, body, report
    if office:
        name, report = gold_reports()[0]
        forms = render_forms(report, office=True)
        for form in ("doc", "wps", "xls"):
            yield name, form, forms[form], report


SCANNED_REPORTS = 5  # the real reports and the two synthetic ones, in every scanned form


def scanned_documents():
    """(name, form, bytes, expected) of the gold reports as scans and photos (render_scan.py)."""
    from fixture_portal.render_scan import render_scans

    for name, report in gold_reports()[:SCANNED_REPORTS]:
        for form, body in render_scans(render_forms(report)["pdf"]).items():
            yield name, form, body, report


# Forms that lose blank cells' positions: a row with a blank cell cannot be lined up, and is
# left null and flagged. They are held to "no wrong number" and a pinned recall.
LOSSY_FORMS = frozenset({"html_flattened", "text_ocr_lines"})

# PDFs without ruling lines: columns are found from where values stand, and a column no value
# and no header word stands in cannot be found. Held to "no wrong number" and a pinned recall.
POSITIONAL_FORMS = frozenset({"pdf_unruled", "pdf_unruled_wrapped_labels"})


def wrong_numbers(wrong: list) -> list:
    """Cells where a number was read that is not the printed one (worse than a miss)."""
    return [w for w in wrong if w[2] not in (None, "missing", "present")]


def score(report, expected: dict) -> tuple[int, int, list]:
    """(right cells, all cells, wrong cells) of one extraction against its expected tables."""
    got = report.tables()
    wrong = []
    total = 0
    for table, rows in expected["tables"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                total += 1
                found = got.get(table, {}).get(row, {}).get(col, "missing")
                if found != value:
                    wrong.append((f"{table}.{row}.{col}", value, found))
    for table, rows in got.items():  # a row the report does not have is wrong too
        for row in rows:
            if row not in expected["tables"].get(table, {}):
                wrong.append((f"{table}.{row}", "absent", "present"))
    return total - len(wrong), total, wrong
