"""Sections hold the report's prose, never the page's chrome (navigation, sidebars, footers,
breadcrumbs, share and print links), on every fixture site and on a layout xxgk does not know."""

import re

import pytest

from fixture_portal.pages import CHROME_BOTTOM, CHROME_TOP
from fixture_portal.render_tables import TABLES, render_html_table
from fixture_portal.reports import prose, synthetic_report
from pipelines.extract import extract

# Words only the chrome prints: top bar and navigation, breadcrumbs, share/print links, footer.
CHROME_WORDS = ("无障碍", "政务服务", "互动交流", "当前位置", "分享到", "【打印】", "网站标识码", "ICP备", "主办：",
                "通知公告", "领导信息")


def _chrome_in(sections: dict[str, str]) -> list[str]:
    text = "\n".join(sections.values())
    return [word for word in CHROME_WORDS if word in text]


def test_no_fixture_site_puts_its_chrome_into_sections(portal):
    pages = 0
    for expected in portal.served_reports():
        resource = portal.resources[expected["url"]]
        if not re.search(rb"<html", resource.body[:2048], re.I):
            continue
        report = extract(resource.body, resource.content_type)
        assert report.sections, expected["id"]
        assert _chrome_in(report.sections) == [], (expected["id"], expected["url"])
        pages += 1
    assert pages >= 20


def test_a_layout_xxgk_does_not_know_is_read_by_trafilatura():
    report_data = synthetic_report("临江市教育局", 2022, "2021", seed=7)
    words = prose(report_data)
    tables = "".join(f"<p>{heading}</p>{render_html_table(build(report_data))}" for heading, build in TABLES)
    page = f"""<html><head><title>{report_data['title']}</title></head><body>{CHROME_TOP.format(site='临江市人民政府')}
<div class="sidebar"><ul><li><a href="/a">通知公告</a></li><li><a href="/b">政策解读</a></li>
<li><a href="/c">领导信息</a></li></ul></div>
<div class="wrapper-xyz"><h1>{report_data['title']}</h1><span>2023-01-20</span>
<p>一、总体情况</p><p>{words['overview']}</p>
{tables}<p>五、存在的主要问题及改进情况</p><p>{words['problems']}</p><p>六、其他需要报告的事项</p><p>{words['other_matters']}</p>
</div>{CHROME_BOTTOM.format(site='临江市人民政府')}</body></html>"""
    report = extract(page.encode("utf-8"), "text/html; charset=utf-8")
    assert report.status == "ok" and report.template == "2021"
    assert _chrome_in(report.sections) == []
    assert report.sections["other_matters"] == words["other_matters"]
    assert report.sections["overview"] == words["overview"]
    assert report.published == "2023-01-20"  # from the page itself (trafilatura's metadata)


def _unknown_layout_page(head: str, dateline: str) -> bytes:
    report_data = synthetic_report("临江市教育局", 2022, "2021", seed=7)
    tables = "".join(f"<p>{heading}</p>{render_html_table(build(report_data))}" for heading, build in TABLES)
    return f"""<html><head><title>{report_data['title']}</title>{head}</head><body>
<div class="wrapper-xyz"><h1>{report_data['title']}</h1><p>统计时间：2022年1月1日至12月31日</p>
<p>{dateline}</p><p>一、总体情况</p><p>{prose(report_data)['overview']}</p>{tables}</div>
<div class="footer">版权所有 2019-07-01</div></body></html>""".encode()


def test_a_date_printed_with_its_label_is_the_publication_date():
    page = _unknown_layout_page("", "发布日期：<span>2023年1月20日</span>")
    assert extract(page, "text/html; charset=utf-8").published == "2023-01-20"


def test_the_page_head_date_wins_over_a_labelled_one():
    page = _unknown_layout_page('<meta name="PubDate" content="2023-01-18 09:00">', "发布时间：2023-01-20")
    assert extract(page, "text/html; charset=utf-8").published == "2023-01-18"


def test_the_container_found_is_the_first_known_selector_with_text_and_its_longest_hit():
    from lxml import etree

    from pipelines.extract.read_html import find_container

    root = etree.fromstring(
        "<html><body><div class='main wide'>" + "导航" * 40 + "</div>"
        "<div class='x content'><p>" + "正文" * 30 + "</p></div>"
        "<div class='content'>" + "较长的正文" * 30 + "</div><div id='zoom'>短</div></body></html>",
        etree.HTMLParser())
    found = find_container(root)
    assert found is not None and found.get("class") == "content"  # .content ranks above .main; #zoom is too short
    page = etree.tostring(root, encoding=str)
    assert find_container(root, page) is found  # the page's text names the selectors looked for
    tabbed = etree.fromstring("<html><body><div class='TRS_Editor\tview'>" + "正文" * 30 + "</div></body></html>",
                              etree.HTMLParser())
    assert find_container(tabbed, "TRS_Editor").get("class").startswith("TRS_Editor")
    assert find_container(tabbed, "no selector named here") is None


@pytest.mark.parametrize(("body", "expected"), [
    ("<div id='zoom'>" + "正文" * 30 + "</div>", "first"),  # named once: found through the index of ids
    ("<div id='zoom'>" + "正文" * 30 + "</div><div id='zoom'>" + "较长的正文" * 30 + "</div>", "second"),  # the longer
    ("<div id='zoom'>短</div><div class='TRS_Editor'>" + "正文" * 30 + "</div>", "second"),  # too short: next
    ("<style>.zoom {}</style><div id='zoom'>" + "正文" * 30 + "</div>", "first"),  # named twice, id once
])
def test_an_id_container_is_the_one_a_walk_of_every_element_finds(body, expected):
    from lxml import etree

    from pipelines.extract.read_html import find_container

    page = f"<html><body>{body}</body></html>"
    root = etree.fromstring(page, etree.HTMLParser())
    divs = root.findall(".//div")
    found = find_container(root, page)
    assert found is (divs[0] if expected == "first" else divs[1])
    assert found is find_container(root)  # the same as without the page's text: every element walked


def test_spans_expand_into_a_rectangular_grid_of_origins_and_copies():
    from lxml import etree

    from pipelines.extract.read_html import table_grid

    table = etree.fromstring(
        "<table><tr><td rowspan='2'>申请</td><td colspan='2'>人数</td><td rowspan='3'>备注</td></tr>"
        "<tr><td>自然人</td><td>法人<br/>其他</td></tr>"
        "<tr><td>合计</td><td><span>1</span><span>2</span></td></tr>"
        "<tr><td>多余</td><td>1</td><td>2</td><td>3</td><td>4</td></tr></table>", etree.HTMLParser()).find(".//table")
    grid = [[(cell.text, cell.spanned) for cell in row] for row in table_grid(table)]
    assert grid == [
        [("申请", False), ("人数", False), ("人数", True), ("备注", False), ("", True)],
        [("申请", True), ("自然人", False), ("法人其他", False), ("备注", True), ("", True)],
        [("合计", False), ("12", False), ("", True), ("备注", True), ("", True)],
        [("多余", False), ("1", False), ("2", False), ("3", False), ("4", False)],
    ]


def test_the_real_saved_page_gives_its_printed_publication_date():
    """tests/gold/real: a portal's own page (no meta fields saved) prints 发布日期：2020-01-31 under its title."""
    from pathlib import Path

    page = (Path(__file__).parent / "gold" / "real" / "shanghai_2019_office.html").read_bytes()
    assert extract(page).published == "2020-01-31"


def test_a_decoded_page_is_parsed_as_its_text_whatever_charset_its_markup_declares():
    """The page reaches the parser decoded; a meta charset or XML declaration naming the bytes it
    came in must not make the parser decode it again."""
    page = ('<?xml version="1.0" encoding="gb2312"?><html><head><meta charset="gbk">'
            '<meta http-equiv="Content-Type" content="text/html; charset=big5"><title>年度报告</title></head>'
            '<body><div id="zoom"><p>' + "政府信息公开工作年度报告" * 6 + '</p></div></body></html>')
    from pipelines.extract.read_html import read_html

    doc = read_html(page)
    assert doc.title == "年度报告" and doc.text.startswith("政府信息公开工作年度报告")
    assert read_html("<html><body><p>前\ud800后" + "正文" * 30 + "</p></body></html>").text  # a lone surrogate
