"""Tables without ruling lines, read by where their characters stand.

Characters become lines (by their vertical middle) and words (by the gaps between them).
Lines that hold values form a *run*; the values' horizontal extents, merged where they
overlap, are the run's columns (values of one column overlap whether printed left, centred
or right aligned; neighbouring columns do not). Words of the header lines above fill the
columns no value stands in. Each value line becomes a row: its label, then one cell per
column, blank where nothing stands, so a row with blank cells keeps its values in place.
Label lines without values (a label wrapped over lines, a group label printed one character
a line) join the nearest row; the order of the content stream never matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from pipelines.model import GridCell

from .map_tables import is_label
from .pdf_layout import Char
from .values import parse_cell

_VALUE = re.compile(r"^[-+]?[\d０-９.,，]+[^\s]{0,4}$|^[/／—\-–无]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
WORD_GAP = 0.6  # of the line's character height: a wider gap ends a word
LINE_JOIN = 1.6  # of the character height: a label line this close to a row's line is part of it


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    middle: float
    height: float
    value: bool  # a number or a blank mark, not a label


def is_value(text: str) -> bool:
    if is_label(text):
        return False
    return bool(_VALUE.match(text)) or parse_cell(text).value is not None


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines, top to bottom, each left to right."""
    lines: list[list[Char]] = []
    middle = height = 0.0
    for char in sorted(chars, key=lambda c: c.middle):
        if lines and char.middle - middle <= 0.5 * height:
            lines[-1].append(char)
            continue
        lines.append([char])
        middle, height = char.middle, max(char.bottom - char.top, 1.0)
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def lines_words(lines: list[list[Char]]) -> list[list[Word]]:
    """Each line's words: runs of characters without a gap wider than ``WORD_GAP``."""
    result = []
    for line in lines:
        height = median(c.bottom - c.top for c in line) or 1.0
        words: list[Word] = []
        current = [line[0]]
        for char in line[1:]:
            if char.x0 - current[-1].x1 > WORD_GAP * height:
                words.append(_word(current, height))
                current = []
            current.append(char)
        words.append(_word(current, height))
        result.append(words)
    return result


def _word(chars: list[Char], height: float) -> Word:
    text = "".join(c.text for c in chars)
    return Word(text, chars[0].x0, max(c.x1 for c in chars), median(c.middle for c in chars), height,
                is_value(text))


def _columns(values: list[Word], header: list[Word], label_right: float) -> list[tuple[float, float]]:
    """Overlapping value extents merged into columns; header words right of the labels fill
    the columns left empty, the lowest header line (the finest) first."""
    columns: list[list[float]] = []
    for word in sorted(values, key=lambda w: w.x0):
        if columns and word.x0 <= columns[-1][1] + 0.5:
            columns[-1][1] = max(columns[-1][1], word.x1)
        else:
            columns.append([word.x0, word.x1])
    for word in sorted(header, key=lambda w: -w.middle):
        if word.x0 > label_right and not any(word.x0 <= c[1] and word.x1 >= c[0] for c in columns):
            columns.append([word.x0, word.x1])
    return sorted((c[0], c[1]) for c in columns)


def _column_of(word: Word, columns: list[tuple[float, float]]) -> int:
    centre = (word.x0 + word.x1) / 2
    overlaps = [min(word.x1, c[1]) - max(word.x0, c[0]) for c in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    return min(range(len(columns)), key=lambda i: abs(centre - (columns[i][0] + columns[i][1]) / 2))


@dataclass
class _Row:
    middle: float
    height: float
    labels: list[Word]
    cells: list[list[str]]

    def label_cells(self) -> list[GridCell]:
        """The row's own label (the rightmost label column, lines top to bottom) after the
        group labels to its left, joined when they hold at least two characters."""
        if not self.labels:
            return []
        column = max(w.x0 for w in self.labels)
        own = sorted((w for w in self.labels if column - w.x0 <= self.height), key=lambda w: w.middle)
        group = sorted((w for w in self.labels if column - w.x0 > self.height), key=lambda w: (w.x0, w.middle))
        cells = []
        group_text = "".join(w.text for w in group)
        if len(_CJK.findall(group_text)) >= 2:
            cells.append(GridCell(group_text))
        cells.append(GridCell("".join(w.text for w in own)))
        return cells


def _run_rows(run: list[list[Word]], header: list[Word]) -> list[list[GridCell]]:
    values = [w for words in run for w in words if w.value]
    if not values:
        return [[GridCell(w.text) for w in words] for words in run]
    first_value = min(w.x0 for w in values)
    label_right = max((w.x1 for words in run for w in words if w.x1 <= first_value and not w.value), default=0.0)
    columns = _columns(values, header, label_right)
    left = columns[0][0]
    rows: list[_Row] = []
    loose: list[Word] = []
    for words in run:
        if not any(w.value for w in words):
            loose.extend(words)
            continue
        labels = [w for w in words if w.x1 <= left + 0.5 and not w.value]
        row = _Row(words[0].middle, words[0].height, labels, [[] for _ in columns])
        for word in words:
            if word not in labels:
                row.cells[_column_of(word, columns)].append(word.text)
        rows.append(row)
    orphans = []
    for word in loose:
        nearest = min(rows, key=lambda r: abs(r.middle - word.middle))
        if abs(nearest.middle - word.middle) > LINE_JOIN * nearest.height:
            orphans.append((word.middle, [GridCell(word.text)]))
        else:
            nearest.labels.append(word)
    grid = [(r.middle, [*r.label_cells(), *(GridCell("".join(t)) for t in r.cells)]) for r in rows] + orphans
    return [cells for _, cells in sorted(grid, key=lambda item: item[0])]


def positional_rows(lines: list[list[Char]]) -> list[list[GridCell]]:
    """The rows of a page's text without ruling lines, values in their columns."""
    grid: list[list[GridCell]] = []
    run: list[list[Word]] = []
    header: list[Word] = []
    value_left: float | None = None
    for words in lines_words(lines):
        line_values = [w.x0 for w in words if w.value]
        if line_values:
            run.append(words)
            value_left = min([*line_values, value_left if value_left is not None else line_values[0]])
        elif run and value_left is not None and all(w.x1 <= value_left + 0.5 for w in words):
            run.append(words)  # a label line inside the run
        else:
            if run:
                grid.extend(_run_rows(run, header))
                run, value_left, header = [], None, []
            grid.append([GridCell(w.text) for w in words])
            header = header + words
    grid.extend(_run_rows(run, header))
    return grid
