"""The normalised report schema of docs/report.md, as data (no dependencies: storage, the views,
the codebook and the extractor all import it).

Every row and column key of the three statistics tables for both templates lives here and
nowhere else; the mapper, the checks, the storage views and the fixture generator read it.
"""

from __future__ import annotations

TEMPLATES = ("2019", "2021")
TABLES = ("active_disclosure", "applications", "review_litigation")
SECTIONS = (
    ("overview", "总体情况"),
    ("active_disclosure", "主动公开政府信息情况"),
    ("applications", "收到和处理政府信息公开申请情况"),
    ("review_litigation", "政府信息公开行政复议、行政诉讼情况"),
    ("problems", "存在的主要问题及改进情况"),
    ("other_matters", "其他需要报告的事项"),
)

_DOC3 = ("made_this_year", "published_this_year", "total_published")
_ITEMS3 = ("previous_year_items", "change_this_year", "decisions")
_ISSUED3 = ("issued_this_year", "repealed_this_year", "in_force")

ACTIVE_DISCLOSURE: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "regulation": _DOC3,
        "normative_document": _DOC3,
        "administrative_license": _ITEMS3,
        "other_administrative_service": _ITEMS3,
        "administrative_penalty": _ITEMS3,
        "administrative_enforcement": _ITEMS3,
        "administrative_fee": ("previous_year_items", "change_this_year"),
        "centralized_procurement": ("items", "amount_yuan"),
    },
    "2021": {
        "regulation": _ISSUED3,
        "normative_document": _ISSUED3,
        "administrative_license": ("decisions",),
        "administrative_penalty": ("decisions",),
        "administrative_enforcement": ("decisions",),
        "administrative_fee": ("amount_10k_yuan",),
    },
}

APPLICANT_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)

_APPLICATION_HEAD = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_security_stability",
    "withheld_third_party_rights",
    "withheld_internal_affairs",
    "withheld_process_information",
    "withheld_enforcement_files",
    "withheld_administrative_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear_after_correction",
    "not_processed_petition",
    "not_processed_repeated",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_reconfirmation",
)
OTHER_HANDLING = {
    "2019": ("other_handling",),
    "2021": ("other_overdue_correction", "other_overdue_fee", "other_misc"),
}
APPLICATION_ROWS: dict[str, tuple[str, ...]] = {
    t: _APPLICATION_HEAD + OTHER_HANDLING[t] + ("total_handled", "carried_forward")
    for t in TEMPLATES
}
# Rows whose sum is total_handled (the handling results, 三、本年度办理结果).
HANDLING_ROWS = {t: APPLICATION_ROWS[t][2:-2] for t in TEMPLATES}

REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# Columns whose printed numbers carry a currency unit; the value is stored in this unit.
COLUMN_UNITS = {"amount_yuan": "元", "amount_10k_yuan": "万元"}


def layout(template: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every table -> row -> columns of one template, in printed order."""
    return {
        "active_disclosure": dict(ACTIVE_DISCLOSURE[template]),
        "applications": {row: APPLICANT_COLUMNS for row in APPLICATION_ROWS[template]},
        "review_litigation": {row: REVIEW_COLUMNS for row in REVIEW_ROWS},
    }


def empty_tables(template: str) -> dict[str, dict[str, dict[str, None]]]:
    """The tables of a template with every cell null (blank)."""
    return {
        table: {row: dict.fromkeys(cols) for row, cols in rows.items()}
        for table, rows in layout(template).items()
    }
