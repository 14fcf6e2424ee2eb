"""Which listing titles are annual information-disclosure reports, and of which year."""

from __future__ import annotations

import re

from pipelines.extract.metadata import year_of

_REPORT = re.compile(
    r"(政府信息公开|政务公开|信息公开)(工作)?(年度)?(报告|年报)|信息公开年报|信息公开工作报告"
)
# Titles that name a report but are not one: a 解读 of it, plans, other annual reports.
DECOY_WORDS = (
    "解读", "图解", "要点", "法治政府", "决算", "预算", "指南", "目录", "通知", "意见",
    "方案", "计划", "考核", "测评", "评估", "答记者问", "政策问答",
)


def report_year(title: str | None) -> int | None:
    """The report year when ``title`` names an annual disclosure report, else None."""
    if not title:
        return None
    compact = re.sub(r"\s+", "", title)
    if not _REPORT.search(compact) or any(word in compact for word in DECOY_WORDS):
        return None
    return year_of(compact)


def is_annual_report(title: str | None) -> bool:
    return report_year(title) is not None
