"""The codebook: every key researchers meet in the database, with its printed Chinese label, the
templates it belongs to, its unit and what it means.

Generated from ``pipelines.schema`` (the keys) and the labels below (the words the statutory
forms print, docs/report.md): ``entries()`` feeds the ``codebook`` table of every database and
``docs/codebook.md`` (``python -m pipelines.codebook > docs/codebook.md``); a test fails when a
schema key has no entry here. No dependencies, like the schema.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass

from pipelines import schema

TABLE_LABELS = {
    "active_disclosure": ("二、主动公开政府信息情况", "Information published on the body's own initiative"),
    "applications": ("三、收到和处理政府信息公开申请情况",
                     "Requests for information received and how they were handled"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况",
                          "Administrative reviews and lawsuits over information disclosure"),
}

ACTIVE_ROWS = {
    "regulation": ("规章", "Regulations (规章) of the body"),
    "normative_document": ("规范性文件 / 行政规范性文件", "Normative documents"),
    "administrative_license": ("行政许可", "Administrative licences"),
    "other_administrative_service": ("其他对外管理服务事项", "Other external management and service items (2019 only)"),
    "administrative_penalty": ("行政处罚", "Administrative penalties"),
    "administrative_enforcement": ("行政强制", "Administrative coercive measures"),
    "administrative_fee": ("行政事业性收费", "Administrative fees"),
    "centralized_procurement": ("政府集中采购", "Centralised government procurement (2019 only)"),
}
ACTIVE_COLUMNS = {
    "made_this_year": ("本年新制作数量", "Made this year", "count"),
    "published_this_year": ("本年新公开数量", "Newly published this year", "count"),
    "total_published": ("对外公开总数量", "Published in all, to date", "count"),
    "previous_year_items": ("上一年项目数量", "Items the year before", "count"),
    "change_this_year": ("本年增/减", "Change this year (negative when fewer)", "count"),
    "decisions": ("处理决定数量 / 本年处理决定数量", "Decisions made this year", "count"),
    "items": ("采购项目数量", "Procurement projects", "count"),
    "amount_yuan": ("采购总金额", "Total procurement amount", "元"),
    "issued_this_year": ("本年制发件数", "Issued this year", "count"),
    "repealed_this_year": ("本年废止件数", "Repealed this year", "count"),
    "in_force": ("现行有效件数", "In force at the end of the year", "count"),
    "amount_10k_yuan": ("本年收费金额（单位：万元）", "Fees collected this year", "万元"),
}
APPLICATION_ROWS = {
    "new_received": ("一、本年新收政府信息公开申请数量", "New requests received this year"),
    "carried_over": ("二、上年结转政府信息公开申请数量", "Requests carried over from the year before"),
    "granted": ("三、本年度办理结果（一）予以公开", "Handled: information disclosed"),
    "partially_granted": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "Handled: partly disclosed"),
    "withheld_state_secret": ("（三）不予公开 1.属于国家秘密", "Withheld: state secret"),
    "withheld_prohibited_by_law": ("2.其他法律行政法规禁止公开", "Withheld: other laws forbid disclosure"),
    "withheld_security_stability": ("3.危及“三安全一稳定”", "Withheld: endangers security or stability"),
    "withheld_third_party_rights": ("4.保护第三方合法权益", "Withheld: protects a third party's rights"),
    "withheld_internal_affairs": ("5.属于三类内部事务信息", "Withheld: internal affairs"),
    "withheld_process_information": ("6.属于四类过程性信息", "Withheld: process information (过程性信息)"),
    "withheld_enforcement_files": ("7.属于行政执法案卷", "Withheld: administrative enforcement files"),
    "withheld_administrative_inquiry": ("8.属于行政查询事项", "Withheld: administrative inquiry matters"),
    "unavailable_not_held": ("（四）无法提供 1.本机关不掌握相关政府信息",
                             "Cannot provide: the body does not hold it"),
    "unavailable_needs_creation": ("2.没有现成信息需要另行制作", "Cannot provide: would have to be created"),
    "unavailable_unclear_after_correction": ("3.补正后申请内容仍不明确",
                                             "Cannot provide: still unclear after correction"),
    "not_processed_petition": ("（五）不予处理 1.信访举报投诉类申请", "Not processed: petitions, complaints, reports"),
    "not_processed_repeated": ("2.重复申请", "Not processed: repeated request"),
    "not_processed_publication": ("3.要求提供公开出版物", "Not processed: asks for a publication"),
    "not_processed_excessive": ("4.无正当理由大量反复申请", "Not processed: many repeated requests without reason"),
    "not_processed_reconfirmation": ("5.要求行政机关确认或重新出具已获取信息",
                                     "Not processed: asks to confirm or reissue information already obtained"),
    "other_handling": ("（六）其他处理", "Handled otherwise (2019: one row)"),
    "other_overdue_correction": ("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                 "Handled otherwise: the applicant did not complete the request in time"),
    "other_overdue_fee": ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                          "Handled otherwise: the applicant did not pay the fee in time"),
    "other_misc": ("3.其他", "Handled otherwise: other"),
    "total_handled": ("（七）总计", "Handled in all (the sum of the handling rows)"),
    "carried_forward": ("四、结转下年度继续办理", "Carried forward to the next year"),
}
APPLICANT_COLUMNS = {
    "natural_person": ("自然人", "Natural persons"),
    "commercial_enterprise": ("法人或其他组织 · 商业企业", "Commercial enterprises"),
    "research_institution": ("法人或其他组织 · 科研机构", "Research institutions"),
    "social_welfare_org": ("法人或其他组织 · 社会公益组织", "Social welfare organisations"),
    "legal_service_org": ("法人或其他组织 · 法律服务机构", "Legal service organisations"),
    "other_org": ("法人或其他组织 · 其他", "Other organisations"),
    "total": ("总计", "All applicants (the sum of the six columns before it)"),
}
REVIEW_ROWS = {
    "review": ("行政复议", "Administrative reviews"),
    "litigation_direct": ("行政诉讼 · 未经复议直接起诉", "Lawsuits filed directly, without review"),
    "litigation_after_review": ("行政诉讼 · 复议后起诉", "Lawsuits filed after a review"),
}
REVIEW_COLUMNS = {
    "upheld": ("结果维持", "Decision upheld"),
    "corrected": ("结果纠正", "Decision corrected"),
    "other": ("其他结果", "Other outcome"),
    "pending": ("尚未审结", "Not yet concluded"),
    "total": ("总计", "All cases"),
}
FLAGS = {
    "identity_broken": "new_received + carried_over ≠ total_handled + carried_forward in a column: kept as printed",
    "total_handled_mismatch": "the handling rows do not add up to the printed total_handled",
    "applicant_total_mismatch": "the six applicant columns do not add up to the printed total",
    "review_total_mismatch": "a review or litigation row's outcomes do not add up to its printed total",
    "mixed_template": "the table's headers belong to both templates",
    "row_misaligned": "a row's values could not be placed in their columns with certainty",
    "row_outside_template": "a row printed that the detected template does not have",
    "missing_table": "a statistics table was not found in the document",
    "likely_mirror": "many pinyin annotations: a conversion widget's copy, not the original",
    "ocr_low_confidence": ("a scanned report's cell that OCR read doubtfully (unsure, two readings, or "
                           "digits missing for its width) and no identity that holds confirms; detail gives the "
                           "reading, its confidence and the other readings"),
    "lossy_text": ("characters were lost before the bytes reached us (U+FFFD or 锟斤拷), "
                   "or a PDF prints some without their Unicode value"),
}
CELL_KINDS = {
    "number": "a printed number; value holds it (in the column's unit)",
    "blank": "the cell was printed empty; value is null (apart from a printed 0)",
    "text": "printed text that is not a number (/, —, 无, 不适用); value is null, text keeps it",
}


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # table | row | column | section | flag | cell_kind
    table_name: str | None
    key: str
    templates: str  # "2019,2021", "2019" or "2021"; "" where templates do not apply
    label: str  # as printed in the statutory form
    unit: str | None
    meaning: str


def _templates(found: list[str]) -> str:
    return ",".join(found)


def entries() -> list[Entry]:
    """Every key of the schema, in printed order. Raises KeyError for a key without an entry."""
    out = [Entry("table", t, t, "2019,2021", TABLE_LABELS[t][0], None, TABLE_LABELS[t][1]) for t in schema.TABLES]
    rows: dict[str, list[str]] = {}
    columns: dict[str, list[str]] = {}
    for template in schema.TEMPLATES:
        for row, cols in schema.ACTIVE_DISCLOSURE[template].items():
            rows.setdefault(row, []).append(template)
            for col in cols:
                if template not in columns.setdefault(col, []):
                    columns[col].append(template)
    out += [Entry("row", "active_disclosure", r, _templates(t), ACTIVE_ROWS[r][0], None, ACTIVE_ROWS[r][1])
            for r, t in rows.items()]
    out += [Entry("column", "active_disclosure", c, _templates(t), ACTIVE_COLUMNS[c][0], ACTIVE_COLUMNS[c][2],
                  ACTIVE_COLUMNS[c][1]) for c, t in columns.items()]
    app_rows: dict[str, list[str]] = {}
    for template in schema.TEMPLATES:
        for row in schema.APPLICATION_ROWS[template]:
            app_rows.setdefault(row, []).append(template)
    out += [Entry("row", "applications", r, _templates(t), APPLICATION_ROWS[r][0], "count", APPLICATION_ROWS[r][1])
            for r, t in app_rows.items()]
    out += [Entry("column", "applications", c, "2019,2021", APPLICANT_COLUMNS[c][0], "count", APPLICANT_COLUMNS[c][1])
            for c in schema.APPLICANT_COLUMNS]
    out += [Entry("row", "review_litigation", r, "2019,2021", REVIEW_ROWS[r][0], "count", REVIEW_ROWS[r][1])
            for r in schema.REVIEW_ROWS]
    out += [Entry("column", "review_litigation", c, "2019,2021", REVIEW_COLUMNS[c][0], "count", REVIEW_COLUMNS[c][1])
            for c in schema.REVIEW_COLUMNS]
    out += [Entry("section", None, key, "2019,2021", label, None, f"report section {label}")
            for key, label in schema.SECTIONS]
    out += [Entry("flag", None, code, "", code, None, meaning) for code, meaning in FLAGS.items()]
    out += [Entry("cell_kind", None, kind, "", kind, None, meaning) for kind, meaning in CELL_KINDS.items()]
    return out


def digest() -> str:
    """Changes whenever an entry does: the database's codebook is refreshed when it differs."""
    return hashlib.sha256(json.dumps([astuple(e) for e in entries()], ensure_ascii=False).encode()).hexdigest()[:16]


def markdown() -> str:
    """docs/codebook.md."""
    lines = ["# Codebook", "",
             "Every key of the database with the label the statutory forms print, the templates it belongs to,",
             "its unit and its meaning. Generated from `pipelines/codebook.py` (`python -m pipelines.codebook`);",
             "the same rows are in the `codebook` table of every xxgk database. See `report.md` for the rules.", ""]
    for kind, title in (("table", "Tables"), ("row", "Rows"), ("column", "Columns"), ("section", "Sections"),
                        ("flag", "Flags"), ("cell_kind", "Cell kinds")):
        lines += [f"## {title}", "", "| table | key | templates | printed label | unit | meaning |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {e.table_name or ''} | `{e.key}` | {e.templates} | {e.label} | {e.unit or ''} | {e.meaning} |"
                  for e in entries() if e.kind == kind]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
