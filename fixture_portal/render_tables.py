"""The three statutory tables of a report as rows of spanned cells, in the official layout.

``table_rows`` is format-neutral; ``render_html`` writes it the way Word's HTML export does
and ``render_docx`` builds a .docx with merged cells, so both come from one layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pipelines import schema

_CN_NUM = "一二三四五六七八九"


@dataclass
class Span:
    text: str
    rowspan: int = 1
    colspan: int = 1


def place_spans(rows: list[list[Span]]):
    """(row, column, span) of every span, columns counted past cells merged from above."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            yield r, c, span
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    taken.add((r + dr, c + dc))
            c += span.colspan


def fmt(value, style: str = "plain") -> str:
    if value is None:
        return ""
    text = str(int(value)) if float(value).is_integer() else str(value)
    if style == "fullwidth":
        return text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    return text


ACTIVE_LABELS = {
    "regulation": "规章",
    "normative_document": {"2019": "规范性文件", "2021": "行政规范性文件"},
    "administrative_license": "行政许可",
    "other_administrative_service": "其他对外管理服务事项",
    "administrative_penalty": "行政处罚",
    "administrative_enforcement": "行政强制",
    "administrative_fee": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
}
ACTIVE_HEADERS = {
    "made_this_year": "本年新制作数量", "published_this_year": "本年新公开数量",
    "total_published": "对外公开总数量", "previous_year_items": "上一年项目数量",
    "change_this_year": "本年增/减", "decisions": "处理决定数量", "items": "采购项目数量",
    "amount_yuan": "采购总金额", "issued_this_year": "本年制发件数",
    "repealed_this_year": "本年废止件数", "in_force": "现行有效件数",
    "amount_10k_yuan": "本年收费金额（单位：万元）",
}
ACTIVE_GROUPS = {
    "2019": (("（一）", ("regulation", "normative_document")),
             ("（五）", ("administrative_license", "other_administrative_service")),
             ("（六）", ("administrative_penalty", "administrative_enforcement")),
             ("（八）", ("administrative_fee",)), ("（九）", ("centralized_procurement",))),
    "2021": (("（一）", ("regulation", "normative_document")), ("（五）", ("administrative_license",)),
             ("（六）", ("administrative_penalty", "administrative_enforcement")),
             ("（八）", ("administrative_fee",))),
}
APPLICATION_LABELS = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密", "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”", "withheld_third_party_rights": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息", "withheld_process_information": "6.属于四类过程性信息",
    "withheld_enforcement_files": "7.属于行政执法案卷", "withheld_administrative_inquiry": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息", "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear_after_correction": "3.补正后申请内容仍不明确",
    "not_processed_petition": "1.信访举报投诉类申请", "not_processed_repeated": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物", "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_reconfirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "（六）其他处理",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他", "total_handled": "（七）总计",
}
GROUPS = (("（三）不予公开", "withheld_"), ("（四）无法提供", "unavailable_"), ("（五）不予处理", "not_processed_"))


def _printed(report: dict, where: str, value, style: str) -> str:
    """The cell as printed: an override from ``report["printed"]`` or the formatted value."""
    return report.get("printed", {}).get(where, fmt(value, style))


def _label(report: dict, text: str) -> str:
    return report.get("labels", {}).get(text, text)


def active_rows(report: dict, style: str = "plain") -> list[list[Span]]:
    t = report["template"]
    values = report["tables"]["active_disclosure"]
    rows: list[list[Span]] = []
    for item, keys in ACTIVE_GROUPS[t]:
        rows.append([Span(f"第二十条第{item}项", colspan=4)])
        columns = schema.ACTIVE_DISCLOSURE[t][keys[0]]
        header = [Span("信息内容")] + [Span(ACTIVE_HEADERS[c]) for c in columns]
        if len(columns) == 1:
            header[1].colspan = 3
        elif len(columns) == 2:
            header.append(Span(""))
        rows.append(header)
        for key in keys:
            label = ACTIVE_LABELS[key]
            label = label[t] if isinstance(label, dict) else label
            cells = [Span(_label(report, label))] + [
                Span(_printed(report, f"active_disclosure.{key}.{c}", values[key][c], style)) for c in columns]
            if len(columns) == 1:
                cells[1].colspan = 3
            elif len(columns) == 2:
                cells.append(Span(""))
            rows.append(cells)
    return rows


def application_rows(report: dict, style: str = "plain") -> list[list[Span]]:
    t = report.get("applications_template", report["template"])
    apps = report["tables"]["applications"]
    order = list(schema.APPLICATION_ROWS[t])

    def vals(row: str) -> list[Span]:
        return [Span(_printed(report, f"applications.{row}.{c}", apps[row][c], style))
                for c in schema.APPLICANT_COLUMNS]

    rows = [
        [Span("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        [Span(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
        [Span("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_received"),
        [Span("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over"),
    ]
    handling = order[2:-1]
    first = True
    i = 0
    while i < len(handling):
        key = handling[i]
        lead = [Span("三、本年度办理结果", rowspan=len(handling))] if first else []
        first = False
        group = next((g for g in GROUPS if key.startswith(g[1])), None)
        if key.startswith("other_") and t == "2021":
            group = ("（六）其他处理", "other_")
        if group:
            members = [k for k in handling if k.startswith(group[1])]
            for j, member in enumerate(members):
                head = [Span(group[0], rowspan=len(members))] if j == 0 else []
                rows.append((lead if j == 0 else []) + head + [Span(_label(report, APPLICATION_LABELS[member]))]
                            + vals(member))
            i += len(members)
            continue
        rows.append(lead + [Span(_label(report, APPLICATION_LABELS[key]), colspan=2)] + vals(key))
        i += 1
    rows.append([Span("四、结转下年度继续办理", colspan=3)] + vals("carried_forward"))
    return rows


def review_rows(report: dict, style: str = "plain") -> list[list[Span]]:
    values = report["tables"]["review_litigation"]
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [Span(x, rowspan=2) for x in results] + [Span("未经复议直接起诉", colspan=5), Span("复议后起诉", colspan=5)],
        [Span(x) for x in results * 2],
        [Span(_printed(report, f"review_litigation.{r}.{c}", values[r][c], style))
         for r in schema.REVIEW_ROWS for c in schema.REVIEW_COLUMNS],
    ]


TABLES = (
    ("二、主动公开政府信息情况", active_rows),
    ("三、收到和处理政府信息公开申请情况", application_rows),
    ("四、政府信息公开行政复议、行政诉讼情况", review_rows),
)


def _html_cell(span: Span, split_digits: bool) -> str:
    attrs = ""
    if span.rowspan > 1:
        attrs += f' rowspan="{span.rowspan}"'
    if span.colspan > 1:
        attrs += f' colspan="{span.colspan}"'
    text = span.text
    if split_digits and len(text) > 1 and text.isdigit():
        inner = "".join(f'<span lang="EN-US">{ch}</span>' for ch in text)
    else:
        inner = f'<span style="font-family:仿宋_GB2312">{text}</span>' if text else "&nbsp;"
    return f'<td valign="center"{attrs} style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center">{inner}</p></td>'


def render_html_table(rows: list[list[Span]], split_digits: bool = False) -> str:
    body = "\n".join("<tr>" + "".join(_html_cell(s, split_digits) for s in row) + "</tr>" for row in rows)
    return f'<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">\n<tbody>\n{body}\n</tbody></table>'


def render_docx(report: dict, sections: dict[str, str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = report["title"]
    document.add_paragraph(report["title"])
    document.add_paragraph("一、总体情况")
    document.add_paragraph(sections.get("overview", ""))
    for heading, build in TABLES:
        document.add_paragraph(heading)
        rows = build(report)
        width = sum(s.colspan for s in rows[0])
        height = len(rows)
        table = document.add_table(rows=height, cols=width)
        for r, c, span in place_spans(rows):
            cell = table.cell(r, c)
            cell.text = span.text
            if span.rowspan > 1 or span.colspan > 1:
                cell.merge(table.cell(r + span.rowspan - 1, c + span.colspan - 1))
                cell.text = span.text  # merging concatenates paragraphs; keep one
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph(sections.get("problems", ""))
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph(sections.get("other_matters", ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
