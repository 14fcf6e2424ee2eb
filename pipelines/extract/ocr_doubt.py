"""Doubtful OCR readings settled by the table's own arithmetic, and flagged when they stay doubtful.

Each OCR'd cell carries Tesseract's confidence and, for a digit it hesitated over, the other
readings it considered (``OcrText``). When an identity of the tables fails, the other readings of
doubtful cells are tried, one change at a time, and a change is kept only when it makes more
identities hold. A doubtful cell is then left unflagged only if an identity that holds runs
through it (changing its value would break that identity); every other doubtful cell is flagged
``ocr_low_confidence`` with what was read and how sure the reading was. A confident reading that
breaks an identity is left to the identity checks, which flag it as for any other document.
"""

from __future__ import annotations

from dataclasses import replace

from pipelines import schema
from pipelines.model import Cell, Issue, OcrText

from .checks import check_report
from .values import parse_cell

DOUBTFUL = 85.0  # below this confidence (Tesseract's, 0-100) a reading is doubtful
MAX_CHANGES = 6


def _doubtful(cell: Cell) -> bool:
    return isinstance(cell.text, OcrText) and cell.text.confidence < DOUBTFUL


def _with_text(cell: Cell, text: str) -> Cell:
    value = parse_cell(text, schema.COLUMN_UNITS.get(cell.column))
    return replace(cell, value=value.value, text=text, kind=value.kind, note=value.note)


def _failures(cells: list[Cell], template: str) -> set[tuple[str, str, str]]:
    return {(i.code, i.where, i.detail) for i in check_report(cells, template)}


def _through(cells: list[Cell], index: int, template: str, failing: set) -> tuple[bool, bool]:
    """(an identity that holds runs through the cell, one that fails does): nudging its value
    breaks the first kind and changes the second's figures."""
    cell = cells[index]
    nudged = list(cells)
    nudged[index] = replace(cell, value=(cell.value or 0) + 7, kind="number")
    after = _failures(nudged, template)
    before_keys = {(code, where) for code, where, _ in failing}
    holding = any((code, where) not in before_keys for code, where, _ in after)
    return holding, bool(failing - after)


def _candidates(cell: Cell) -> tuple[str, ...]:
    """Other readings of an OCR'd number: Tesseract's, and each digit doubled (a merged pair)."""
    text = str(cell.text)
    doubled = tuple(text[:i] + text[i] + text[i:] for i in range(len(text)) if text[i].isdigit())
    return tuple(dict.fromkeys((*cell.text.alternatives, *doubled)))


def settle(cells: list[Cell], template: str) -> tuple[list[Cell], list[Issue], list[str]]:
    """(cells, ocr_low_confidence flags, repairs made) for a report read by OCR."""
    cells = list(cells)
    failing = _failures(cells, template)
    repairs: list[str] = []
    for _ in range(MAX_CHANGES):
        if not failing:
            break
        best = None
        for index, cell in enumerate(cells):
            if not isinstance(cell.text, OcrText):
                continue
            if _doubtful(cell):
                readings, needed = cell.text.alternatives, 1
            elif cell.kind == "number" and _through(cells, index, template, failing) == (False, True):
                readings, needed = _candidates(cell), 2  # confident, but only failing identities run through it
            else:
                continue
            for alternative in readings:
                trial = list(cells)
                trial[index] = _with_text(cell, OcrText(alternative, cell.text.confidence))
                failures = _failures(trial, template)
                if len(failing) - len(failures) >= needed and (best is None or len(failures) < len(best[2])):
                    best = (index, trial, failures, alternative)
        if best is None:
            break
        index, cells, failing, alternative = best
        was = cells[index]
        repairs.append(f"ocr_arithmetic:{was.table}.{was.row}.{was.column}:{alternative}")
        cells[index] = replace(was, text=OcrText(alternative, DOUBTFUL))  # the arithmetic settled it
    issues = []
    for index, cell in enumerate(cells):
        if not isinstance(cell.text, OcrText):
            continue
        doubtful = _doubtful(cell)
        if not doubtful and (cell.kind != "number" or not failing):
            continue
        holding, in_failing = _through(cells, index, template, failing)
        if holding or not (doubtful or in_failing):
            continue
        why = (f"OCR read {str(cell.text)!r} at {cell.text.confidence:.0f}% confidence" if doubtful
               else f"OCR read {str(cell.text)!r}, and the identities through it do not add up")
        others = f"; other readings {', '.join(cell.text.alternatives)}" if cell.text.alternatives else ""
        issues.append(Issue("ocr_low_confidence", f"{cell.table}.{cell.row}.{cell.column}", why + others))
    plain = [replace(c, text=str(c.text)) if isinstance(c.text, OcrText) else c for c in cells]
    return plain, issues, repairs
