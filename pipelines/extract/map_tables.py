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
_GENERIC_HEADER = re.compile(r"^(?:数据|列|栏|第)\d{1,2}(?:列|栏)?$")  # a converter's column names: 数据1, 列2
MAX_VALUE_CJK = 4  # CJK characters a value cell may carry beside its number


@lru_cache(maxsize=65536)
def is_label(text: str) -> bool:
    """A cell that names a row or column rather than holding a value."""
    compact = clean_cell_text(text)
    if _GENERIC_HEADER.match(compact):
        return True
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
    _normalised: str | None = field(default=None, repr=False, compare=False)
    _has_values: bool | None = field(default=None, repr=False, compare=False)

    @property
    def normalised(self) -> str:
        """All the row's texts normalised and joined (computed once: every reading asks)."""
        if self._normalised is None:
            self._normalised = "".join(labels.normalise_label(t) for t in self.all_texts)
        return self._normalised


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


def fit_values(values: list[str], width: int, lead_first: bool = False) -> list[str] | None:
    """Line printed values up with ``width`` columns, dropping only surplus blank cells: at the ends,
    or all of them when every other cell holds a value (no blank can be a real one then)."""
    values = list(values)
    ends = (0, -1) if lead_first else (-1, 0)  # lead_first: a label's merged cell printed empty after it
    for end in ends:
        while len(values) > width and not clean_cell_text(values[end]):
            values.pop(end)
    printed = [v for v in values if clean_cell_text(v)]
    if len(values) > width and len(printed) == width:
        return printed  # the surplus is exactly the empty cells: merged cells printed as empty ones
    return values if len(values) == width else None


@dataclass
class TableMapping:
    template: str | None
    template_reason: str = ""
    found: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # printed text
    issues: list[Issue] = field(default_factory=list)
    tolerant: bool = False  # labels joined across lines and matched by their words
    lead_first: bool = False  # surplus empty cells dropped after the label first, not at the row's end
    reading: str = "as printed"
    cells: list[Cell] | None = None  # to_cells and the checks, once computed to choose the reading
    surplus: bool = False  # a row had more values than columns (lead_first would read it otherwise)
    unmatched: bool = False  # a row with values whose label matched no row exactly (tolerant might)
    checks: list[Issue] | None = None

    def put(self, table: str, row: str, columns: tuple[str, ...], texts: list[str]) -> None:
        slot = self.found.setdefault(table, {})
        if row in slot:
            return  # first occurrence wins; later repeats are usually a second copy
        slot[row] = dict(zip(columns, texts, strict=True))


def detect_template(rows: list[_Row], year: int | None) -> tuple[str | None, str, dict[str, int]]:
    """The template the header words of every table point to (their count, not one row); the year
    only when the words do not decide."""
    text = "".join(row.normalised for row in rows)  # each row's texts normalised and joined, once for all readings
    scores = {
        template: sum(marker in text for marker in markers)
        for template, markers in labels.TEMPLATE_MARKERS.items()
    }
    best = max(scores, key=lambda t: scores[t])
    if scores[best] and scores[best] != min(scores.values()):
        return best, f"header words {scores}", scores
    if year:
        return ("2021" if year >= 2021 else "2019"), "no header words; from the year", scores
    return None, "no header words and no year", scores


def _region(row: _Row, current: str | None) -> str | None:
    joined = row.normalised
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


def _by_position(row: _Row, positions: list[str | None], columns: tuple[str, ...]) -> list[str] | None:
    """Values under the header cells naming their columns, when the row has the header's cells
    (converters print a merged cell as empty cells, so values and blanks stand where the header's do)."""
    if len(row.all_texts) != len(positions) or not set(columns) <= set(positions):
        return None
    placed = {key: row.all_texts[i] for i, key in enumerate(positions) if key in columns}
    stray = [t for i, t in enumerate(row.all_texts) if positions[i] is None and i and clean_cell_text(t)]
    return None if stray else [placed[c] for c in columns]


def _map_active(row: _Row, mapping: TableMapping, header: list[str] | None,
                positions: list[str | None] | None = None) -> None:
    if not row.labels:
        return
    norm = labels.normalise_label(row.labels[-1])
    key = labels.match(norm, labels.ACTIVE_ROWS)
    if key is None and mapping.tolerant and _has_values(row):
        key = labels.match_words(norm, labels.ACTIVE_ROWS)
    if key is None or mapping.template is None:
        mapping.unmatched = mapping.unmatched or (key is None and _has_values(row))
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
    mapping.surplus = mapping.surplus or len(row.values) > len(order)
    fitted = fit_values(row.values, len(order), mapping.lead_first)
    if fitted is None and positions:
        placed = _by_position(row, positions, columns)
        if placed is not None:
            mapping.put("active_disclosure", key, columns, placed)
            return
    if fitted is None:
        mapping.issues.append(Issue("row_misaligned", f"active_disclosure.{key}",
                                    f"{len(row.values)} values for {len(order)} columns"))
        return
    texts = dict(zip(order, fitted, strict=True))
    mapping.put("active_disclosure", key, columns, [texts[c] for c in columns])


def _application_key(row: _Row, group: str | None, tolerant: bool = False) -> str | None:
    last = labels.normalise_label(row.labels[-1])
    key = labels.match(last, labels.APPLICATION_ROWS)
    if key:
        return key
    if labels.APPLICATION_GROUP_OTHER in last:
        return "other_handling"
    if group == labels.APPLICATION_GROUP_OTHER and last.startswith("其他"):
        return "other_misc"
    if tolerant and _has_values(row):
        return labels.match_words(last, labels.APPLICATION_ROWS)
    return None


def _map_applications(row: _Row, mapping: TableMapping, group: str | None) -> None:
    if not row.labels or not row.values:
        return
    key = _application_key(row, group, mapping.tolerant)
    if key is None:
        mapping.unmatched = mapping.unmatched or _has_values(row)
        return
    header_words = ("申请人情况", "自然人", "商业企业", "法人或其他组织")
    if key in ("total_handled", "other_misc") and any(
        w in labels.normalise_label(t) for t in row.labels for w in header_words
    ):
        return  # the header's 总计/其他 columns, not the （七）总计 row
    width = len(schema.APPLICANT_COLUMNS)
    mapping.surplus = mapping.surplus or len(row.values) > width
    fitted = fit_values(row.values, width, mapping.lead_first)
    if fitted is None:
        mapping.issues.append(Issue("row_misaligned", f"applications.{key}",
                                    f"{len(row.values)} values for {width} columns"))
        return
    mapping.put("applications", key, schema.APPLICANT_COLUMNS, fitted)


def review_part(row: _Row, current: str | None) -> str | None:
    """Which of review, direct litigation, litigation after review a heading or label names (tables
    printed as three small ones under their headings, or as a row a part)."""
    text = "".join(labels.normalise_label(t) for t in row.labels or row.all_texts[:1])
    if "复议后起诉" in text:
        return "litigation_after_review"
    if "未经复议" in text or "直接起诉" in text:
        return "litigation_direct"
    if text.startswith("行政复议") and "行政诉讼" not in text:
        return "review"
    if "行政诉讼" in text:
        return None
    return current


def _map_review(row: _Row, mapping: TableMapping, part: str | None = None) -> bool:
    width = len(schema.REVIEW_ROWS) * len(schema.REVIEW_COLUMNS)
    values = row.values
    if any(is_label(v) for v in values):
        return False
    if len(values) < width:
        step = len(schema.REVIEW_COLUMNS)
        fitted = fit_values(values, step) if part and _has_values(row) else None
        if fitted is None:
            return False
        mapping.put("review_litigation", part, schema.REVIEW_COLUMNS, fitted)
        return True
    fitted = fit_values(values, width)
    if fitted is None:
        return False
    step = len(schema.REVIEW_COLUMNS)
    for i, key in enumerate(schema.REVIEW_ROWS):
        mapping.put("review_litigation", key, schema.REVIEW_COLUMNS, fitted[i * step:(i + 1) * step])
    return True


def _has_values(row: _Row) -> bool:
    if row._has_values is None:  # asked by every reading of every row
        row._has_values = any(clean_cell_text(v) for v in row.values)
    return row._has_values


@lru_cache(maxsize=65536)
def _opens_group(text: str) -> bool:
    norm = labels.normalise_label(text)
    return any(norm.startswith(w) for w in labels.GROUP_WORDS) or any(
        m in norm for marks in labels.TABLE_MARKERS.values() for m in marks)


@lru_cache(maxsize=65536)
def _named(text: str) -> bool:
    norm = labels.normalise_label(text)
    return bool(labels.match(norm, labels.APPLICATION_ROWS) or labels.match(norm, labels.ACTIVE_ROWS)
                or _opens_group(text))


def _enumerated(text: str) -> bool:
    """A label that starts with its enumerator (3. （七） 四、) starts a label; it continues none."""
    return bool(labels.ENUMERATOR.match(text.strip()))


def _fragment(row: _Row, neighbour: _Row) -> bool:
    """A line of a wrapped label: one label cell (or the neighbour's group cells and one more),
    no values, not a group's or a table's heading."""
    return bool(row.labels) and not _has_values(row) and not _opens_group(row.labels[-1]) and (
        len(row.labels) == 1 or row.labels[:-1] == neighbour.labels[:-1])


_NOTHING = _Row([], [], [])  # the neighbour of the first row


def join_wrapped(rows: list[_Row]) -> list[_Row]:
    """Rows of a label printed over several lines joined into one: the lines without values
    before the line that carries them (a cell's text centred on its values) and after it."""
    out: list[_Row] = []
    pending: list[_Row] = []  # label lines without values, waiting for the line with the values
    for row in rows:
        last = out[-1] if out else _NOTHING
        continues = bool(row.labels) and not _enumerated(row.labels[-1])  # may be the rest of a label
        if not pending and _unnamed_values(last) and continues and _fragment(row, last):
            out[-1] = _Row([*last.labels[:-1], last.labels[-1] + row.labels[-1]], last.values, last.all_texts)
            continue
        if pending and continues and _unnamed_values(row) and all(_fragment(p, row) for p in pending):
            joined = "".join(p.labels[-1] for p in pending) + row.labels[-1]
            out = out[: len(out) - len(pending)]
            row = _Row([*row.labels[:-1], joined], row.values, row.all_texts)
            pending = []
        elif _fragment(row, last):
            pending.append(row)
        else:
            pending = []
        out.append(row)
    return out


def _unnamed_values(row: _Row) -> bool:
    """A row with printed values whose label names no row (yet)."""
    return bool(row.labels) and _has_values(row) and not _named(row.labels[-1])


_OTHER_SUBROWS = {"other_overdue_correction", "other_overdue_fee"}


def _read(rows: list[_Row], template: str, why: str, tolerant: bool, lead_first: bool = False) -> TableMapping:
    mapping = TableMapping(template, template_reason=why, tolerant=tolerant, lead_first=lead_first)
    region: str | None = None
    header: list[str] | None = None
    positions: list[str | None] = []  # the header's column key at each of its cells
    group: str | None = None
    part: str | None = None
    for row in rows:
        region = _region(row, region)
        if region == "active_disclosure":
            found = _active_header(row)
            if found:
                header = found
                positions = [labels.match(labels.normalise_label(t), labels.ACTIVE_COLUMNS) for t in row.all_texts]
            if row.values:
                _map_active(row, mapping, header, positions)
        elif region == "applications":
            for text in row.labels:
                norm = labels.normalise_label(text)
                for word in ("不予公开", "无法提供", "不予处理", labels.APPLICATION_GROUP_OTHER):
                    if norm.startswith(word):
                        group = word
            if set(mapping.found.get("applications", {})) & _OTHER_SUBROWS:
                group = labels.APPLICATION_GROUP_OTHER  # under 其他处理's rows, its heading unread or not
            _map_applications(row, mapping, group)
        elif region == "review_litigation":
            part = review_part(row, part)
            _map_review(row, mapping, part)
    _settle_other_handling(mapping)
    return mapping


def _score(mapping: TableMapping) -> tuple[int, int]:
    """Identities that fail under a reading, and how many printed figures it placed."""
    from .checks import check_report

    if not mapping.found:
        return (1 << 20, 0)
    mapping.cells = to_cells(mapping)
    mapping.checks = check_report(mapping.cells, mapping.template)
    failed = len(mapping.checks)
    placed = sum(1 for rows in mapping.found.values() for cols in rows.values() for t in cols.values()
                 if clean_cell_text(t))
    return failed, placed


def map_tables(grids: list[Grid], year: int | None) -> TableMapping:
    """The reading of the tables under which the printed numbers add up.

    The tables are read as printed first; when an identity fails, other readings a misread would
    explain are tried (labels wrapped over several lines joined, labels matched by their words,
    the other template when both have header words), and the one whose printed numbers add up
    best is kept; ties go to the reading as printed. Figures are never changed: what still does
    not add up is flagged by the checks."""
    rows = _grid_rows(grids)
    template, why, scores = detect_template(rows, year)
    if template is None:
        return TableMapping(template, template_reason=why)
    first = _read(rows, template, why, tolerant=False)
    best, best_score = first, _score(first)
    joined = join_wrapped(rows)
    if best_score[0] == 0 and len(joined) == len(rows):
        return best  # adds up, and no label runs over several lines
    templates = [template] + [t for t in scores if t != template and scores[t]]
    joined_reading = "labels joined across lines and matched by their words"
    candidates = [(rows, t, False, False, "as printed") for t in templates[1:]]
    candidates += [(joined, t, True, False, joined_reading) for t in templates]
    candidates += [(rows, template, False, True, "empty cells after the labels taken as merged cells"),
                   (joined, template, True, True, f"{joined_reading}; empty cells after the labels merged")]
    same_rows = len(joined) == len(rows) and all(a is b for a, b in zip(joined, rows, strict=True))
    read = {(False, template, False): first}  # (joined?, template, lead_first) -> reading
    scored = [(first.template, first.found, first.issues, best_score)]
    for candidate_rows, candidate_template, tolerant, lead_first, reading in candidates:
        is_joined = candidate_rows is joined
        if _same_as_read(read, is_joined, candidate_template, lead_first, same_rows):
            continue  # it would read every row as a reading already made does
        mapping = _read(candidate_rows, candidate_template, why if candidate_template == template
                        else f"header words {scores}; the numbers add up under {candidate_template}", tolerant,
                        lead_first)
        mapping.reading = reading
        read[is_joined, candidate_template, lead_first] = mapping
        if any((t, f, i) == (mapping.template, mapping.found, mapping.issues) for t, f, i, _s in scored):
            continue  # the same cells as a reading already scored: it cannot do better
        score = _score(mapping)
        scored.append((mapping.template, mapping.found, mapping.issues, score))
        if (score[0], -score[1]) < (best_score[0], -best_score[1]):
            best, best_score = mapping, score
    return best


def _same_as_read(read: dict, joined: bool, template: str, lead_first: bool, same_rows: bool) -> bool:
    """A candidate reading that cannot differ from one already made: empty cells taken as merged
    ones where no row had more values than columns, or labels matched by their words where the
    rows are the same and every label with values matched a row as printed."""
    if joined and same_rows:
        printed = read.get((False, template, False))
        if printed is not None and not printed.unmatched:
            if not lead_first:
                return True
            joined = False  # reads as the rows as printed do
    if lead_first:
        plain = read.get((joined, template, False))
        return plain is not None and not plain.surplus
    return False


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
