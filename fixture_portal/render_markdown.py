"""A report as the Markdown that converters (PDF-to-Markdown, OCR tools) make of it.

Shapes, as such tools print them:

- ``markdown``: every table one pipe table, merged cells as empty cells;
- ``markdown_converter``: a heading per group (``### （三）不予公开``) over its own small table;
  generic column headers (``| 类别 | 数据1 | … | 数据6 | 总计 |``); table 三's header rows in a
  table of their own with labels cut mid-word across rows (``| 业 | 构 | 益组织 | 务机构 |``);
  long row labels wrapped over two lines, the values on the second; table 四 as one row of 15
  numbers under a two-line header;
- ``markdown_review_parts``: table 四 as three small tables under their headings;
- ``markdown_html``: the tables as HTML pasted into the Markdown.
"""

from __future__ import annotations

from pipelines import schema

from .render_tables import (
    ACTIVE_GROUPS,
    ACTIVE_HEADERS,
    ACTIVE_LABELS,
    APPLICATION_LABELS,
    GROUPS,
    TABLES,
    _label,
    _printed,
    render_html_table,
)
from .reports import prose

WRAP_AT = 10  # characters of a label on its first line, when a converter wraps it


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_pipe(header), _pipe(["---"] * len(header)), *(_pipe(r) for r in rows), ""]


def _frame(report: dict, tables: list[str]) -> str:
    sections = prose(report)
    out = [f"# {report['title']}", "", "## 一、总体情况", "", sections["overview"], ""]
    out += tables
    out += ["## 五、存在的主要问题及改进情况", "", sections["problems"], "",
            "## 六、其他需要报告的事项", "", sections["other_matters"], ""]
    return "\n".join(out)


def plain_markdown(report: dict) -> str:
    from .forms import expand

    out: list[str] = []
    for heading, build in TABLES:
        grid = expand(build(report))
        out += [f"## {heading}", "", *_table(grid[0], grid[1:])]
    return _frame(report, out)


def _wrapped(label: str, values: list[str]) -> list[list[str]]:
    """A long label over two lines: its start alone, the rest beside the values."""
    if len(label) <= WRAP_AT + 4:
        return [[label, *values]]
    return [[label[:WRAP_AT], *[""] * len(values)], [label[WRAP_AT:], *values]]


def _active(report: dict) -> list[str]:
    t = report["template"]
    values = report["tables"]["active_disclosure"]
    out = ["## 二、主动公开政府信息情况", ""]
    for item, keys in ACTIVE_GROUPS[t]:
        columns = schema.ACTIVE_DISCLOSURE[t][keys[0]]
        out += [f"### 第二十条第{item}项", ""]
        rows = []
        for key in keys:
            label = ACTIVE_LABELS[key]
            label = label[t] if isinstance(label, dict) else label
            rows.append([_label(report, label)] + [
                _printed(report, f"active_disclosure.{key}.{c}", values[key][c], "plain") for c in columns])
        out += _table(["信息内容", *(ACTIVE_HEADERS[c] for c in columns)], rows)
    return out


def _applications(report: dict) -> list[str]:
    t = report.get("applications_template", report["template"])
    apps = report["tables"]["applications"]

    def vals(row: str) -> list[str]:
        return [_printed(report, f"applications.{row}.{c}", apps[row][c], "plain") for c in schema.APPLICANT_COLUMNS]

    generic = ["类别", *(f"数据{i}" for i in range(1, 7)), "总计"]
    out = ["## 三、收到和处理政府信息公开申请情况", ""]
    out += _table(["", "申请人情况", "", "", "", "", "", ""], [
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "商业企", "科研机", "社会公", "法律服", "其他", ""],
        ["", "", "业", "构", "益组织", "务机构", "", ""],
    ])
    order = list(schema.APPLICATION_ROWS[t])
    rows: list[list[str]] = []
    for key, label in (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量")):
        rows += _wrapped(label, vals(key))
    out += _table(generic, rows)
    handling = order[2:-1]
    loose: list[list[str]] = []
    i = 0
    while i < len(handling):
        key = handling[i]
        group = next((g for g in GROUPS if key.startswith(g[1])), None)
        if key.startswith("other_") and t == "2021":
            group = ("（六）其他处理", "other_")
        if group:
            if loose:
                out += _table(generic, loose)
                loose = []
            members = [k for k in handling if k.startswith(group[1])]
            out += [f"### {group[0]}", ""]
            group_rows: list[list[str]] = []
            for member in members:
                group_rows += _wrapped(_label(report, APPLICATION_LABELS[member]), vals(member))
            out += _table(generic, group_rows)
            i += len(members)
            continue
        loose += _wrapped(_label(report, APPLICATION_LABELS[key]), vals(key))
        i += 1
    loose += _wrapped("四、结转下年度继续办理", vals("carried_forward"))
    out += _table(generic, loose)
    return out


def _review_values(report: dict, row: str) -> list[str]:
    values = report["tables"]["review_litigation"]
    return [_printed(report, f"review_litigation.{row}.{c}", values[row][c], "plain") for c in schema.REVIEW_COLUMNS]


RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _review_one_row(report: dict) -> list[str]:
    out = ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    header = ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9]
    second = [*RESULTS, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]
    row = [v for r in schema.REVIEW_ROWS for v in _review_values(report, r)]
    return out + _table(header, [second, row])


def _review_parts(report: dict) -> list[str]:
    out = ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    for row, heading in zip(schema.REVIEW_ROWS, ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"),
                            strict=True):
        out += [f"### {heading}", "", *_table(RESULTS, [_review_values(report, row)])]
    return out


def converter_markdown(report: dict) -> str:
    return _frame(report, _active(report) + _applications(report) + _review_one_row(report))


def review_parts_markdown(report: dict) -> str:
    return _frame(report, _active(report) + _applications(report) + _review_parts(report))


def html_in_markdown(report: dict) -> str:
    out: list[str] = []
    for heading, build in TABLES:
        out += [f"## {heading}", "", render_html_table(build(report)), ""]
    return _frame(report, out)


def markdown_forms(report: dict) -> dict[str, bytes]:
    return {
        "markdown": plain_markdown(report).encode("utf-8"),
        "markdown_converter": converter_markdown(report).encode("utf-8"),
        "markdown_review_parts": review_parts_markdown(report).encode("utf-8"),
        "markdown_html": html_in_markdown(report).encode("utf-8"),
    }
