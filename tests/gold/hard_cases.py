"""Hand-made hard cases: (name, report dict with printed overrides, forms to render)."""

from __future__ import annotations

import copy

from fixture_portal.reports import synthetic_report
from pipelines import schema


def _mixed_template() -> dict:
    """2021 active-disclosure table with the 2019 single 其他处理 row."""
    report = synthetic_report("南平镇人民政府", 2021, "2021", seed=31)
    apps = report["tables"]["applications"]
    merged = {c: sum(apps[r][c] for r in schema.OTHER_HANDLING["2021"]) for c in schema.APPLICANT_COLUMNS}
    report["applications_template"] = "2019"
    rows = {}
    for key in schema.APPLICATION_ROWS["2019"]:
        rows[key] = merged if key == "other_handling" else apps[key]
    for key in schema.OTHER_HANDLING["2021"]:
        rows[key] = dict.fromkeys(schema.APPLICANT_COLUMNS)  # blank: not printed
    report["tables"]["applications"] = rows
    report["tables"]["applications"] = {k: rows[k] for k in schema.APPLICATION_ROWS["2021"][:20]} | {
        k: rows[k] for k in schema.OTHER_HANDLING["2021"]} | {
        "other_handling": merged, "total_handled": rows["total_handled"],
        "carried_forward": rows["carried_forward"]}
    return report


def _label_variants() -> dict:
    report = synthetic_report("临江市统计局", 2022, "2021", seed=32)
    report["labels"] = {
        "1.属于国家秘密": "1、属于国家秘密",
        "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府信",  # a character missing
        "行政规范性文件": "规范性文件",
        "3.危及“三安全一稳定”": "3.危及\"三安全一稳定\"",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开",
        "2.重复申请": "2. 重 复 申 请",
    }
    return report


def _printed_values() -> dict:
    report = synthetic_report("青州市自然资源和规划局", 2020, "2019", seed=33)
    active = report["tables"]["active_disclosure"]
    active["centralized_procurement"]["amount_yuan"] = 1022000000
    active["administrative_license"]["change_this_year"] = -3
    active["regulation"]["made_this_year"] = None
    active["regulation"]["published_this_year"] = None
    active["normative_document"]["total_published"] = None
    report["tables"]["review_litigation"]["review"]["other"] = 1
    report["tables"]["review_litigation"]["review"]["total"] = (
        sum(v for k, v in report["tables"]["review_litigation"]["review"].items() if k != "total") )
    report["printed"] = {
        "active_disclosure.centralized_procurement.amount_yuan": "10.22亿",
        "active_disclosure.administrative_license.change_this_year": "减少3",
        "active_disclosure.regulation.made_this_year": "/",
        "active_disclosure.regulation.published_this_year": "无",
        "active_disclosure.normative_document.total_published": "—",
        "review_litigation.review.other": "驳回1",
        "applications.granted.natural_person": f"　{report['tables']['applications']['granted']['natural_person']}　",
    }
    return report


def _fee_in_10k_yuan() -> dict:
    report = synthetic_report("江源县财政局", 2023, "2021", seed=34)
    report["tables"]["active_disclosure"]["administrative_fee"]["amount_10k_yuan"] = 4068.208
    report["printed"] = {"active_disclosure.administrative_fee.amount_10k_yuan": "4068.208万元"}
    return report


def hard_cases() -> list[tuple[str, dict]]:
    cases = [("mixed_template", _mixed_template()), ("label_variants", _label_variants()),
             ("printed_values", _printed_values()), ("fee_in_10k_yuan", _fee_in_10k_yuan())]
    return [(name, copy.deepcopy(report)) for name, report in cases]
