"""Printed labels of both templates, mapped to the keys of schema.py.

All matching is done on *normalised* label text (see ``normalise_label``): no white space,
no enumerators such as "（三）" or "1.", ASCII punctuation. Each entry lists fragments, any
of which identifies the key; entries are tried in order, so more specific ones come first.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Enumerators printed before labels: 一、 （三） (3) 1. 1、 ①
ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|[①-⑩])+"
)
_NOISE = re.compile(r"[\s\u3000\xa0*“”\"'‘’]")


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """Label text for matching: no spaces, quotes or leading enumerators."""
    text = _NOISE.sub("", text)
    text = text.replace("（", "(").replace("）", ")")
    previous = None
    while previous != text:
        previous = text
        text = ENUMERATOR.sub("", text)
    return text


# Table 二: row labels (normalised) -> row key.
ACTIVE_ROWS = (
    ("regulation", ("规章",)),
    ("normative_document", ("规范性文件",)),
    ("other_administrative_service", ("其他对外管理服务", "对外管理服务事项")),
    ("administrative_license", ("行政许可",)),
    ("administrative_penalty", ("行政处罚",)),
    ("administrative_enforcement", ("行政强制",)),
    ("administrative_fee", ("行政事业性收费", "事业性收费")),
    ("centralized_procurement", ("政府集中采购", "集中采购")),
)

# Table 二: column header labels -> column key.
ACTIVE_COLUMNS = (
    ("made_this_year", ("本年新制作", "新制作数量")),
    ("published_this_year", ("本年新公开", "新公开数量")),
    ("total_published", ("对外公开总数", "公开总数量")),
    ("previous_year_items", ("上一年项目数", "上年项目数")),
    ("change_this_year", ("本年增/减", "本年增减", "增/减", "增减")),
    ("items", ("采购项目数",)),
    ("amount_yuan", ("采购总金额",)),
    ("issued_this_year", ("本年制发", "制发件数")),
    ("repealed_this_year", ("本年废止", "废止件数")),
    ("in_force", ("现行有效",)),
    ("amount_10k_yuan", ("收费金额",)),
    ("decisions", ("处理决定数",)),
)

# Table 三: row labels -> row key. Context-free fragments only; "其他" under 其他处理 and the
# plain 其他处理 row are resolved by the mapper from the group they sit in.
APPLICATION_ROWS = (
    ("new_received", ("本年新收",)),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年度", "转下年度", "下年度继续")),
    ("partially_granted", ("部分公开",)),
    ("withheld_state_secret", ("国家秘密",)),
    ("withheld_prohibited_by_law", ("法律行政法规禁止", "禁止公开")),
    ("withheld_security_stability", ("三安全一稳定", "三安全", "一稳定")),
    ("withheld_third_party_rights", ("第三方",)),
    ("withheld_internal_affairs", ("内部事务",)),
    ("withheld_process_information", ("过程性",)),
    ("withheld_enforcement_files", ("执法案卷",)),
    ("withheld_administrative_inquiry", ("行政查询",)),
    ("unavailable_not_held", ("不掌握",)),
    ("unavailable_needs_creation", ("另行制作", "没有现成")),
    ("unavailable_unclear_after_correction", ("仍不明确", "补正后")),
    ("not_processed_petition", ("信访", "举报投诉")),
    ("not_processed_repeated", ("重复申请",)),
    ("not_processed_publication", ("出版物",)),
    ("not_processed_excessive", ("大量反复", "无正当理由大量")),
    ("not_processed_reconfirmation", ("重新出具", "确认或重新")),
    ("other_overdue_correction", ("逾期不补正", "不补正")),
    ("other_overdue_fee", ("缴纳费用", "收费通知")),
    ("granted", ("予以公开",)),
    ("total_handled", ("总计",)),
)
APPLICATION_GROUP_OTHER = "其他处理"

# Table 三: applicant column headers -> column key (normalised text).
APPLICANT_HEADERS = (
    ("natural_person", ("自然人",)),
    ("commercial_enterprise", ("商业企业",)),
    ("research_institution", ("科研机构",)),
    ("social_welfare_org", ("社会公益组织", "公益组织")),
    ("legal_service_org", ("法律服务机构",)),
    ("other_org", ("其他",)),
    ("total", ("总计",)),
)

# Words that identify each table's header or heading.
TABLE_MARKERS = {
    "active_disclosure": ("主动公开政府信息情况", "第二十条第", "信息内容"),
    "applications": ("本年新收政府信息公开申请", "申请人情况", "本年度办理结果"),
    "review_litigation": ("行政复议", "行政诉讼"),
}

# Header words that decide the template (spec: from the headers, not the year).
TEMPLATE_MARKERS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "缴纳费用"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额"),
}


_MATCHED: dict[tuple[int, str], str | None] = {}  # (table, text) -> key: labels repeat across documents


def match(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The first key whose fragment occurs in normalised ``text``."""
    slot = (id(table), text)
    if slot in _MATCHED:
        return _MATCHED[slot]
    found = next((key for key, fragments in table if any(fragment in text for fragment in fragments)), None)
    if len(_MATCHED) < 200_000:
        _MATCHED[slot] = found
    return found


# Labels that open a group or a table rather than name a row: never the first half of a wrapped label.
GROUP_WORDS = ("不予公开", "无法提供", "不予处理", APPLICATION_GROUP_OTHER, "本年度办理结果", "申请人情况",
               "法人或其他组织", "信息内容")

MIN_FUZZY_CHARS = 3  # a label shares at least this many characters in a row with a fragment
MIN_FUZZY_SHARE = 0.6  # and at least this share of the fragment


@lru_cache(maxsize=65536)
def _shared_run(text: str, fragment: str) -> int:
    """Length of the longest run of characters ``fragment`` and ``text`` have in common."""
    from difflib import SequenceMatcher

    found = SequenceMatcher(None, text, fragment, autojunk=False).find_longest_match(0, len(text), 0, len(fragment))
    return found.size


def match_words(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The key whose distinctive words ``text`` holds best, for a label cut, wrapped or slightly
    misprinted ("2.其他法律行政法规禁", "补正后申请内容仍不名确"); None when no key is clearly best."""
    scores: dict[str, float] = {}
    for key, fragments in table:
        for fragment in fragments:
            run = _shared_run(text, fragment)
            if run >= MIN_FUZZY_CHARS and run / len(fragment) >= MIN_FUZZY_SHARE:
                scores[key] = max(scores.get(key, 0.0), run / len(fragment))
    if not scores:
        return None
    ranked = sorted(scores.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] - ranked[1] < 0.15:
        return None  # two rows fit as well: ambiguity is not resolved by a guess
    return max(scores, key=lambda k: scores[k])
