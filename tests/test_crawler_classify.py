import pytest

from crawler.classify import report_year
from crawler.listings.trs_wcm import trs_pages


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("怀化市民族宗教事务局2020年政府信息公开工作年度报告", 2020),
        ("西宁市湟中区民族宗教事务局关于2020年度政府信息公开工作报告", 2020),
        ("2023年临江市教育局政府信息公开工作年度报告", 2023),
        ("临江市人民政府政府信息公开年报（2019年）", 2019),
        ("北塘街道2022年政务公开工作年度报告", 2022),
        ("二〇二一年临江市政府信息公开工作年度报告", 2021),
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


@pytest.mark.parametrize(
    ("script", "pages"),
    [
        ('createPageHTML(3, 0, "index", "html");', (3, "index", "html")),
        ("createPageHTML('12','1','index','shtml')", (12, "index", "shtml")),
        ("var countPage = 5//共多少页", (5, "index", "html")),
        ("no pagination here", None),
    ],
)
def test_trs_pages(script, pages):
    assert trs_pages(script) == pages
