"""Which listing titles are annual information-disclosure reports, and of which year; and which
titles a listing cut short (``2023年政府信息公开工作年度...``) may name one."""

from __future__ import annotations

import re
import unicodedata

from pipelines.extract.metadata import year_of

# 政府信息公开工作年度报告 and the names it also goes by: …年度工作报告, …工作情况报告,
# 关于…政府信息公开工作的年度报告, 政府信息主动公开工作年度报告, 政务公开年报.
_REPORT = re.compile(r"(政府信息|政务|信息)(主动)?公开.{0,8}?(年度报告|年报|工作报告|情况报告)|"
                     r"(政府信息|政务|信息)(主动)?公开(报告|年报)")
# Titles that name a report but are not one: a 解读 of it, plans, other annual reports.
DECOY_WORDS = (
    "解读", "图解", "要点", "法治政府", "决算", "预算", "指南", "目录", "通知", "意见",
    "方案", "计划", "考核", "测评", "评估", "答记者问", "政策问答",
)


def _compact(title: str) -> str:
    """A title without spaces, its full-width digits and brackets as ASCII (２０２３ → 2023)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))


def report_year(title: str | None) -> int | None:
    """The report year when ``title`` names an annual disclosure report, else None."""
    if not title:
        return None
    compact = _compact(title)
    if not _REPORT.search(compact) or any(word in compact for word in DECOY_WORDS):
        return None
    return year_of(compact)


# Within an annual-report column, a title may name the report by less: 临江市教育局2023年度报告,
# 2023年年报. Reports of other kinds are named so too, and are left out.
_IN_COLUMN = re.compile(r"(年度报告|年报|年度工作报告)")
_OTHER_REPORTS = ("政府工作报告", "统计", "审计", "国民经济", "财务", "环境", "社会责任", "人大", "政协",
                  "述职", "履职")


def column_report_year(title: str | None) -> int | None:
    """``report_year``, or, for a title listed in an annual-report column, the year of a title that
    names a yearly report by fewer words (``…2023年度报告``) and no other kind of report."""
    found = report_year(title)
    if found is not None or not title:
        return found
    compact = _compact(title)
    # the kind of report is named after its year; before it stands the body (统计局, 生态环境局)
    kind = re.split(r"(?:19|20)\d\d", compact, maxsplit=1)[-1]
    if not _IN_COLUMN.search(compact) or any(word in compact for word in DECOY_WORDS) or any(
            word in kind for word in _OTHER_REPORTS):
        return None
    return year_of(compact)


_ELLIPSIS = re.compile(r"(\.{2,}|…+|．{2,}|。{3,}|⋯+)$")
# The names reports go by, whose beginning a cut title may end with.
_NAMES = ("政府信息公开工作年度报告", "政务公开工作年度报告", "信息公开工作年度报告", "政府信息公开年度报告",
          "政府信息公开工作报告", "政府信息公开年报", "信息公开年度报告")


def cut_title(title: str | None) -> str | None:
    """The words before the ellipsis of a title a listing cut short, when they may begin an annual
    report's title: a year, no decoy word, and an ending that begins one of the names reports go
    by (``…2023年政府信息公开工作年度…``, ``…2023年政府信息…``); else None."""
    compact = _compact(title or "")
    found = _ELLIPSIS.search(compact)
    if not found:
        return None
    head = compact[:found.start()]
    if year_of(head) is None or any(word in head for word in DECOY_WORDS):
        return None
    endings = (head[i:] for i in range(max(0, len(head) - 12), len(head) - 1))
    return head if any(name.startswith(ending) for ending in endings for name in _NAMES) else None


def full_title(head: str, page: str) -> str | None:
    """The whole title a page prints for a listing's cut ``head``: the head and what follows it
    up to the next tag, line or title separator, or None when the page does not print the head."""
    at = page.find(head)
    if at < 0:
        return None
    rest = re.match(r"[^<>\r\n]{0,60}", page[at + len(head):]).group(0)
    return head + re.split(r"\s*[-_|–—]\s*", rest, maxsplit=1)[0]  # not a <title>'s "-site name"


# Words of the report's tables and their headings that a page holding its article prints.
_TABLE_WORDS = ("主动公开政府信息", "收到和处理", "行政复议", "本年新收", "办理结果")  # in the order reports print them


def filled_by_script(page: str) -> bool:
    """Whether a report page, as served, holds its article only in script (a shell a browser
    fills from inline data or an API): it carries script, and none of the words of the report's
    tables stands outside a ``<script>`` element."""
    if "<script" not in page and "<SCRIPT" not in page:
        return False
    for word in _TABLE_WORDS:
        at = page.find(word)
        while at >= 0:
            opened = max(page.rfind("<script", 0, at), page.rfind("<SCRIPT", 0, at))
            closed = max(page.rfind("</script", 0, at), page.rfind("</SCRIPT", 0, at))
            if opened <= closed:  # outside a script
                return False
            at = page.find(word, at + len(word))
    return True


# An inline script that runs (no type, or a script's type): not a data island such as JCMS's
# <script type="text/xml"> datastore, which its reader reads as it is.
_SCRIPT_BLOCK = re.compile(r"<script\b(?![^>]*\btype\s*=\s*[\"']?"
                           r"(?!text/javascript|application/javascript|module)[\w/+-])[^>]*>(.*?)</script\s*>",
                           re.I | re.S)
# A report's title, or a TRS article's address (./202401/t20240115_123.html), as a script holds it.
_LISTED_IN_SCRIPT = re.compile(r"20\d{2}\s*年[^\"'<>;]{0,40}?(年度报告|年报)|\bt20\d{6}_\d+\.s?html?")


def listed_by_script(page: str) -> bool:
    """Whether a listing, as served, names its entries in script (``document.write`` of each
    entry's link, a list built from a script's array): a report's title or a TRS article's
    address stands inside an inline ``<script>`` that runs."""
    if "<script" not in page and "<SCRIPT" not in page:
        return False
    return any(_LISTED_IN_SCRIPT.search(block) for block in _SCRIPT_BLOCK.findall(page))


def is_annual_report(title: str | None) -> bool:
    return report_year(title) is not None
