"""Every report the fixture portal publishes extracts to exactly its ground truth."""


from fixture_portal.render_tables import render_docx
from fixture_portal.reports import prose
from pipelines.extract import extract
from pipelines.extract.map_tables import map_tables
from pipelines.extract.read_html import read_html


def _cells(tables):
    return {(t, r, c): v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def _compare(expected: dict, report) -> list:
    got = _cells(report.tables())
    return [(k, v, got.get(k, "missing")) for k, v in _cells(expected["tables"]).items() if got.get(k, "missing") != v]


def test_every_fixture_report_extracts_exactly(portal):
    for expected in portal.served_reports():
        resource = portal.resources[expected["url"]]
        report = extract(resource.body, resource.content_type)
        assert report.status == "ok", (expected["id"], report.reason)
        assert report.template == expected["template"], expected["id"]
        assert report.year == expected["year"]
        assert report.agency == expected["agency"]
        assert _compare(expected, report) == [], expected["id"]


def test_forms_covered(portal):
    forms = {e["form"] for e in portal.expected}
    assert {"html", "docx", "gbk", "traditional"} <= forms
    assert {e["template"] for e in portal.expected} == {"2019", "2021"}
    assert {e["year"] for e in portal.expected} == set(range(2019, 2025))


def test_template_decided_by_headers_not_year(portal):
    kept_2019 = [e for e in portal.expected if e["year"] >= 2021 and e["template"] == "2019"]
    assert kept_2019
    resource = portal.resources[kept_2019[0]["url"]]
    assert extract(resource.body, resource.content_type).template == "2019"


def test_docx_merged_cells(portal):
    expected = next(e for e in portal.expected if e["template"] == "2021")
    report = extract(render_docx(expected, prose(expected)))
    assert report.format == "docx"
    assert _compare(expected, report) == []


def test_blank_kept_apart_from_zero(portal):
    shared = next(e for e in portal.expected if e["id"].startswith("000_"))
    resource = portal.resources[shared["url"]]
    tables = extract(resource.body).tables()
    assert tables["active_disclosure"]["administrative_license"]["previous_year_items"] == 0
    assert tables["active_disclosure"]["administrative_license"]["decisions"] is None


def test_published_date_and_sections_from_page(portal):
    expected = next(e for e in portal.expected if e["form"] == "html")
    resource = portal.resources[expected["url"]]
    report = extract(resource.body, resource.content_type)
    assert report.published == expected["published"]
    assert set(report.sections) >= {"overview", "problems", "other_matters"}
    assert "网站标识码" not in "".join(report.sections.values())  # no page chrome


def test_broken_arithmetic_is_flagged_not_corrected(portal):
    expected = next(e for e in portal.expected if e["form"] == "html" and e["template"] == "2021")
    html = portal.resources[expected["url"]].body.decode("utf-8")
    value = expected["tables"]["applications"]["new_received"]["natural_person"]
    tampered_value = value + 7
    # The first data cell of 本年新收 row is the natural_person column.
    marker = "一、本年新收政府信息公开申请数量"
    head, tail = html.split(marker, 1)
    cell = f">{value}<"
    tail = tail.replace(cell, f">{tampered_value}<", 1)
    report = extract((head + marker + tail).encode("utf-8"), "text/html; charset=utf-8")
    assert report.tables()["applications"]["new_received"]["natural_person"] == tampered_value
    codes = {(i.code, i.where) for i in report.issues}
    assert ("identity_broken", "applications.natural_person") in codes
    assert ("applicant_total_mismatch", "applications.new_received.total") in codes


def test_unmappable_table_gives_reason_and_no_numbers():
    html = ("<html><body><div id='zoom'><p>某局2020年政府信息公开工作年度报告</p>"
            "<table><tr><td>数据</td><td>12</td></tr></table></div></body></html>")
    report = extract(html.encode("utf-8"))
    assert report.status == "unrecognised_layout"
    assert report.reason and report.cells == []


def test_split_digits_across_tags():
    html = ("<table><tr><td>行政复议</td><td colspan=14>行政诉讼</td></tr><tr>"
            + "".join(f"<td><span>{d[0]}</span><span>{d[1:]}</span></td>" if len(d) > 1 else f"<td>{d}</td>"
                      for d in ["12", "0", "0", "0", "12"] + ["0"] * 10)
            + "</tr></table>")
    mapping = map_tables(read_html(html).tables, 2020)
    assert mapping.found["review_litigation"]["review"]["upheld"] == "12"
