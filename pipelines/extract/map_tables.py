"""Grids of cell text -> the keyed cells of docs/report.md.

Rows are read as one stream across all tables of a document (tables split in two or
nested in layout tables read the same), each row split into leading *label* cells and
trailing *value* cells. The label decides the row key; the values are matched to column
keys by the header above them or by the template's printed order. Nothing is guessed: a
row whose values cannot be lined up with its columns is reported, not filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.model import Cell, Grid, Issue

from .. import schema
from . import labels
from .values import BLANK, TEXT, CellValue, clean_cell_text, parse_cell

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_NUMBER_WORDS = {"无", "不适用", "空"}
MAX_VALUE_CJK = 4  # CJK characters a value cell may carry beside its number


@lru_cache(maxsize=65536)
def is_label(text: str) -> bool:
    """A cell that names a row or column rather than holding a value."""
    compact = clean_cell_text(text)
    cjk = len(_CJK.findall(compact))
    if cjk < 2 or compact in _NOT_NUMBER_WORDS:
        return False
    value = parse_cell(compact)
    # "驳回1", "10.22亿", "4068.208万元" are values with a note; "1.属于国家秘密" is a label
    # with an enumerator; a number inside a long text ("2020年…报告") is prose.
    return value.kind == TEXT or labels.normalise_label(compact) != compact or cjk > MAX_VALUE_CJK


@dataclass
class _Row:
    labels: list[str]
    values: list[str]  # texts of origin (non-spanned) cells after the labels
    all_texts: list[str]


def split_row(row) -> _Row:
    """Leading label cells (blank cells between them included) and the values after them."""
    last_label = -1
    for index, cell in enumerate(row):
        if is_label(cell.text):
            last_label = index
        elif clean_cell_text(cell.text):
            break
    label_cells = [cell.text for cell in row[: last_label + 1] if cell.text]
    values = [cell.text for cell in row[last_label + 1 :] if not cell.spanned]
    return _Row(label_cells, values, [cell.text for cell in row])


def regroup_stream(grid: Grid) -> Grid:
    """Rows of a one-cell-a-line stream: a new row starts where a label follows a value."""
    rows: Grid = []
    current: list = []
    seen_value = False
    for (cell, *_rest) in grid:
        if is_label(cell.text):
            if seen_value:
                rows.append(current)
                current, seen_value = [], False
        else:
            seen_value = True
        current.append(cell)
    if current:
        rows.append(current)
    return rows


def _grid_rows(grids: list[Grid]) -> list[_Row]:
    rows: list[_Row] = []
    for grid in grids:
        if len(grid) > 10 and all(len(row) == 1 for row in grid):
            grid = regroup_stream(grid)
        rows.extend(split_row(row) for row in grid)
    return rows


def fit_values(values: list[str], width: int) -> list[str] | None:
    """Line printed values up with ``width`` columns, dropping only surplus blank cells."""
    values = list(values)
    while len(values) > width and not clean_cell_text(values[-1]):
        values.pop()
    while len(values) > width and not clean_cell_text(values[0]):
        values.pop(0)
    return values if len(values) == width else None


@dataclass
class TableMapping:
    template: str | None
    template_reason: str = ""
    found: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # printed text
    issues: list[Issue] = field(default_factory=list)

    def put(self, table: str, row: str, columns: tuple[str, ...], texts: list[str]) -> None:
        slot = self.found.setdefault(table, {})
        if row in slot:
            return  # first occurrence wins; later repeats are usually a second copy
        slot[row] = dict(zip(columns, texts, strict=True))


def detect_template(rows: list[_Row], year: int | None) -> tuple[str | None, str]:
    text = "".join(labels.normalise_label(t) for row in rows for t in row.all_texts)
    scores = {
        template: sum(marker in text for marker in markers)
        for template, markers in labels.TEMPLATE_MARKERS.items()
    }
    best = max(scores, key=lambda t: scores[t])
    if scores[best] and scores[best] != min(scores.values()):
        return best, f"header words {scores}"
    if year:
        return ("2021" if year >= 2021 else "2019"), "no header words; from the year"
    return None, "no header words and no year"


def _region(row: _Row, current: str | None) -> str | None:
    joined = "".join(labels.normalise_label(t) for t in row.all_texts)
    if "行政复议" in joined and ("行政诉讼" in joined or "结果维持" in joined or "维持" in joined):
        return "review_litigation"
    if any(m in joined for m in ("申请人情况", "自然人", "本年新收")):
        return "applications"
    if any(m in joined for m in ("信息内容", "第二十条", "主动公开政府信息情况")):
        return "active_disclosure"
    if row.labels and labels.match(labels.normalise_label(row.labels[0]), labels.ACTIVE_ROWS):
        if current != "applications":
            return "active_disclosure"
    return current


def _active_header(row: _Row) -> list[str] | None:
    keys = [labels.match(labels.normalise_label(t), labels.ACTIVE_COLUMNS) for t in row.all_texts[1:]]
    return list(dict.fromkeys(k for k in keys if k)) or None


def _map_active(row: _Row, mapping: TableMapping, header: list[str] | None) -> None:
    if not row.labels:
        return
    key = labels.match(labels.normalise_label(row.labels[-1]), labels.ACTIVE_ROWS)
    if key is None or mapping.template is None:
        return
    columns = schema.ACTIVE_DISCLOSURE[mapping.template].get(key)
    if columns is None:
        mapping.issues.append(Issue("row_outside_template", f"active_disclosure.{key}",
                                    f"row {row.labels[-1]!r} is not in template {mapping.template}"))
        return
    if header and len(header) >= len(columns) and set(columns) <= set(header):
        order = [c for c in header if c in columns]
    else:
        order = list(columns)
    fitted = fit_values(row.values, len(order))
    if fitted is None:
        mapping.issues.append(Issue("row_misaligned", f"active_disclosure.{key}",
                                    f"{len(row.values)} values for {len(order)} columns"))
        return
    texts = dict(zip(order, fitted, strict=True))
    mapping.put("active_disclosure", key, columns, [texts[c] for c in columns])


def _application_key(row: _Row, group: str | None) -> str | None:
    last = labels.normalise_label(row.labels[-1])
    key = labels.match(last, labels.APPLICATION_ROWS)
    if key:
        return key
    if labels.APPLICATION_GROUP_OTHER in last:
        return "other_handling"
    if group == labels.APPLICATION_GROUP_OTHER and last.startswith("其他"):
        return "other_misc"
    return None


def _map_applications(row: _Row, mapping: TableMapping, group: str | None) -> None:
    if not row.labels or not row.values:
        return
    key = _application_key(row, group)
    if key is None:
        return
    header_words = ("申请人情况", "自然人", "商业企业", "法人或其他组织")
    if key in ("total_handled", "other_misc") and any(
        w in labels.normalise_label(t) for t in row.labels for w in header_words
    ):
        return  # the header's 总计/其他 columns, not the （七）总计 row
    width = len(schema.APPLICANT_COLUMNS)
    fitted = fit_values(row.values, width)
    if fitted is None:
        mapping.issues.append(Issue("row_misaligned", f"applications.{key}",
                                    f"{len(row.values)} values for {width} columns"))
        return
    mapping.put("applications", key, schema.APPLICANT_COLUMNS, fitted)


def _map_review(row: _Row, mapping: TableMapping) -> bool:
    width = len(schema.REVIEW_ROWS) * len(schema.REVIEW_COLUMNS)
    values = row.values
    if len(values) < width or any(is_label(v) for v in values):
        return False
    fitted = fit_values(values, width)
    if fitted is None:
        return False
    step = len(schema.REVIEW_COLUMNS)
    for i, key in enumerate(schema.REVIEW_ROWS):
        mapping.put("review_litigation", key, schema.REVIEW_COLUMNS, fitted[i * step:(i + 1) * step])
    return True


def map_tables(grids: list[Grid], year: int | None) -> TableMapping:
    rows = _grid_rows(grids)
    template, why = detect_template(rows, year)
    mapping = TableMapping(template, template_reason=why)
    if template is None:
        return mapping
    region: str | None = None
    header: list[str] | None = None
    group: str | None = None
    for row in rows:
        region = _region(row, region)
        if region == "active_disclosure":
            found = _active_header(row)
            if found:
                header = found
            if row.values:
                _map_active(row, mapping, header)
        elif region == "applications":
            for text in row.labels:
                norm = labels.normalise_label(text)
                for word in ("不予公开", "无法提供", "不予处理", labels.APPLICATION_GROUP_OTHER):
                    if norm.startswith(word):
                        group = word
            _map_applications(row, mapping, group)
        elif region == "review_litigation":
            _map_review(row, mapping)
    _settle_other_handling(mapping)
    return mapping


def _settle_other_handling(mapping: TableMapping) -> None:
    """2021 tables keep one 其他处理 row in some reports: keep it, flagged, as printed."""
    apps = mapping.found.get("applications", {})
    if mapping.template == "2021" and "other_handling" in apps:
        subrows = set(schema.OTHER_HANDLING["2021"]) & set(apps)
        if subrows:
            del apps["other_handling"]  # the group's own header row, not a data row
        else:
            mapping.issues.append(Issue("mixed_template", "applications.other_handling",
                                        "2021 table printed with the single 2019 其他处理 row"))
    elif mapping.template == "2019":
        for key in schema.OTHER_HANDLING["2021"]:
            if key in apps:
                mapping.issues.append(Issue("mixed_template", f"applications.{key}",
                                            "2019 table printed with a 2021 其他处理 row"))


def to_cells(mapping: TableMapping) -> list[Cell]:
    """Every cell of the template (blank where the report has none), in printed order."""
    cells: list[Cell] = []
    assert mapping.template is not None
    layout = schema.layout(mapping.template)
    for table, rows in mapping.found.items():
        for row in rows:
            if row not in layout[table]:
                layout[table][row] = schema.APPLICANT_COLUMNS  # mixed-template extra row
    for table, rows in layout.items():
        for row, columns in rows.items():
            printed = mapping.found.get(table, {}).get(row)
            for column in columns:
                text = None if printed is None else printed.get(column)
                unit = schema.COLUMN_UNITS.get(column)
                value = parse_cell(text, unit) if text is not None else CellValue(None, BLANK)
                cells.append(Cell(table, row, column, value.value, text, value.kind, value.note))
    return cells
