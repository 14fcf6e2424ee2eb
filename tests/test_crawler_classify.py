import pytest

from crawler.classify import column_report_year, cut_title, filled_by_script, full_title, listed_by_script, report_year
from crawler.listings.trs_wcm import trs_page_names, trs_pages


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("怀化市民族宗教事务局2020年政府信息公开工作年度报告", 2020),
        ("西宁市湟中区民族宗教事务局关于2020年度政府信息公开工作报告", 2020),
        ("2023年临江市教育局政府信息公开工作年度报告", 2023),
        ("临江市人民政府政府信息公开年报（2019年）", 2019),
        ("北塘街道2022年政务公开工作年度报告", 2022),
        ("二〇二一年临江市政府信息公开工作年度报告", 2021),
        ("２０２３年临江市政府信息公开工作年度报告", 2023),  # full-width digits
        ("临江县2023年度政府信息公开年度工作报告", 2023),
        ("临江县人民政府2023年度政府信息公开工作情况报告", 2023),
        ("临江县教育局关于2023年政府信息公开工作的年度报告", 2023),
        ("临江县2023年政府信息主动公开工作年度报告", 2023),
        ("关于《临江市教育局2021年政府信息公开工作年度报告》的解读", None),
        ("临江市人民政府2023年政务公开工作要点", None),
        ("临江市人民政府2022年法治政府建设年度报告", None),
        ("临江市财政局2021年部门决算", None),
        ("江源县人民政府政府信息公开指南", None),
        ("图解：2021年政府信息公开工作年度报告", None),
    ],
)
def test_report_year(title, year):
    assert report_year(title) == year


# Pager calls as real TRS/WCM sites print them (the site each was printed on, as quoted in public
# crawler repositories), and the further pages each names.
REAL_PAGERS = [
    # www.ndrc.gov.cn column: the classic pager, pages from 0
    ('createPageHTML(9, 0, "index", "html");', (9, "index", "html", 1), "index_1.html", "index_8.html"),
    # www.csrc.gov.cn/csrc/c106256/fg.shtml: the newer pager, 5 pages of 89 records
    ("createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89);", (5, "fg", "shtml", 2), "fg_2.shtml", "fg_5.shtml"),
    # kunshan land deals (common_list.shtml, then common_list_2.shtml …)
    ("createPageHTML('page_div',22,1,'common_list','shtml',325)", (22, "common_list", "shtml", 2),
     "common_list_2.shtml", "common_list_22.shtml"),
    # a Hunan city's statistics bulletins
    ("createPageHTML('page_div',10, 1,'xlist','shtml',189)", (10, "xlist", "shtml", 2), "xlist_2.shtml",
     "xlist_10.shtml"),
    ("createPageHTML('page_div', 10, 1, 'list_zw_wj', 'shtml', 278)", (10, "list_zw_wj", "shtml", 2),
     "list_zw_wj_2.shtml", "list_zw_wj_10.shtml"),
    ("createPageHTML('12','1','index','shtml')", (12, "index", "shtml", 1), "index_1.shtml", "index_11.shtml"),
    ("var countPage = 5//共多少页", (5, "index", "html", 1), "index_1.html", "index_4.html"),
]


@pytest.mark.parametrize(("script", "pages", "second", "last"), REAL_PAGERS)
def test_trs_pages_of_real_pagers(script, pages, second, last):
    assert trs_pages(script) == pages
    names = trs_page_names(script)
    assert (names[0], names[-1], len(names)) == (second, last, pages[0] - 1)


@pytest.mark.parametrize("script", ["no pagination here",
                                    "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}"])
def test_trs_pages_not_a_pager(script):
    assert trs_pages(script) is None and trs_page_names(script) == []


@pytest.mark.parametrize(("title", "head"), [
    ("临江市教育局2023年政府信息公开工作年度...", "临江市教育局2023年政府信息公开工作年度"),
    ("临江县2023年政府信息…", "临江县2023年政府信息"),
    ("2023年临江县人民政府信息公开工作年度⋯", "2023年临江县人民政府信息公开工作年度"),
    ("临江县2023年政务公开工．．．", "临江县2023年政务公开工"),
    ("2023年政府信息公开工作要...", None),  # 工作要点, not a report
    ("关于2023年政府信息公开工作年度报告的解...", None),  # a 解读
    ("临江局政府信息公开工作年度...", None),  # no year left
    ("2023年临江县人民政...", None),  # too little left to tell
    ("2023年政府信息公开工作年度报告", None),  # not cut
])
def test_titles_cut_short_that_may_name_a_report(title, head):
    assert cut_title(title) == head


def test_the_page_prints_the_whole_title():
    head = "临江县2023年政府信息"
    page = f"<html><head><title>{head}公开工作年度报告-临江县人民政府</title></head><body>"
    assert full_title(head, page) == "临江县2023年政府信息公开工作年度报告"
    assert report_year(full_title(head, page.replace("公开工作年度报告", "公开工作要点"))) is None
    assert full_title(head, "<html><body>别的</body></html>") is None


@pytest.mark.parametrize(("title", "strict", "in_column"), [
    ("临江市教育局2023年度报告", None, 2023),
    ("2022年年报", None, 2022),
    ("临江市2023年政府信息公开工作年度报告", 2023, 2023),
    ("临江市2023年政府工作报告", None, None),  # another kind of report
    ("2023年统计年报", None, None),
    ("临江市统计局2023年度报告", None, 2023),  # the body's name holds 统计, not the report's
    ("临江市生态环境局2023年年报", None, 2023),
    ("临江市2023年度环境状况公报及年度报告", None, None),
    ("关于临江市教育局2023年度报告的解读", None, None),
    ("临江市2023年度法治政府建设年度报告", None, None),
    ("2023年度", None, None),  # a year tab, not a report
])
def test_a_report_column_names_its_reports_by_fewer_words(title, strict, in_column):
    assert report_year(title) == strict
    assert column_report_year(title) == in_column


@pytest.mark.parametrize(("page", "shell"), [
    # the article written by script from data in the page: its words only inside <script>
    ('<html><body><h1>临江县2023年政府信息公开工作年度报告</h1><div id="c"></div>'
     '<script>var html = "<table><tr><td>行政复议</td></tr></table>"; c.innerHTML = html;</script>'
     '</body></html>', True),
    ('<html><body><div id="c"></div><SCRIPT src="/a.js"></SCRIPT><script>load("/api/article?id=9")</script>'
     '</body></html>', True),
    # the article in the page as served, script or not
    ('<html><body><script>var a = 1;</script><table><tr><td>主动公开政府信息情况</td></tr></table></body></html>',
     False),
    ('<html><body><p>二、收到和处理政府信息公开申请情况</p><script>var t = "行政复议";</script></body></html>', False),
    ("<html><body><p>没有脚本，也没有表格</p></body></html>", False),
])
def test_a_report_page_whose_article_is_written_by_script(page, shell):
    assert filled_by_script(page) is shell


@pytest.mark.parametrize(("page", "listed"), [
    # TRS entries one document.write each, title and address in variables
    ("<ul><li><script>var _title = \"临江市财政局2023年政府信息公开工作年度报告\";"
     " var _url = \"./202401/t20240115_1.html\";"
     "document.write('<a href=\"' + _url + '\">' + _title + '</a>');</script></li></ul>", True),
    # the addresses alone (titles escaped or built): a TRS article's address in script
    ("<script>var urls = ['./202401/t20240115_80012.html', './202301/t20230110_80011.html'];</script>", True),
    # entries in markup beside the site's scripts; a column's name in a script variable
    ("<ul><li><a href='./202401/t20240115_1.html'>临江市财政局2023年政府信息公开工作年度报告</a></li></ul>"
     "<script>var _hmt = _hmt || []; var column = '政府信息公开年报';</script>", False),
    ("<html><body><p>临江市2023年政府信息公开工作年度报告</p></body></html>", False),
    # a data island its reader reads as it is (JCMS's datastore): not written by script
    ("<script type=\"text/xml\"><datastore><record><![CDATA[<li><a href='/art/2024/1/1/art_1_1.html'>"
     "关于《开化县2023年政府信息公开工作年度报告》的解读</a></li>]]></record></datastore></script>", False),
])
def test_listings_that_name_their_entries_in_script(page, listed):
    assert listed_by_script(page) is listed
