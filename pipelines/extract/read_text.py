"""Plain-text and Markdown exports -> ParsedDocument.

Three table layouts are read, as exports print them:

- *tab rows*: one table row a line, cells separated by tabs (Markdown/PDF exports);
- *cell blocks*: one cell a line, each cell line starting with a tab, a blank line between
  rows, a cell's text possibly wrapped onto following lines (Word text exports);
- *cell stream*: one cell a line with no row boundaries at all (web-page copies); rows are
  rebuilt by the mapper from where labels start.

- *space rows*: OCR text, a row a line, the label's words then the values separated by spaces;
- *Markdown*: pipe tables, headings between them, HTML tables pasted in (``read_markdown``).

Export artefacts (``**bold**``, ``<http://…>``, ``[bookmark: …]``) are dropped first.
"""

from __future__ import annotations

import re

from pipelines.model import GridCell, ParsedDocument
from pipelines.repair.pinyin import strip_annotations
from pipelines.repair.script import to_simplified

from .labels import TABLE_MARKERS
from .read_markdown import is_markdown, is_pipe_row, markdown_rows

_ARTEFACTS = (
    (re.compile(r"\[bookmark:[^\]]*\]"), ""),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
)
_TABLE_START = re.compile(r"^\s*(?:二|三|四)\s*[、.．]\s*(?:主动公开|收到和处理|政府信息公开行政复议)")
_PROSE_AFTER = re.compile(r"^\s*(?:五|六)\s*[、.．]")


_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")


def _heading_key(line: str) -> str:
    """A heading line as simplified text without annotations (or Markdown marks), for matching only."""
    line = _MARKDOWN_HEADING.sub("", line).replace("**", "")
    if len(line) > 80 or line.strip()[:1] not in "二三四五六":
        return line
    return to_simplified(strip_annotations(line)[0], threshold=0.0)[0]


def strip_artefacts(text: str) -> str:
    for pattern, replacement in _ARTEFACTS:
        text = pattern.sub(replacement, text)
    return text


def _tab_rows(lines: list[str]) -> list[list[GridCell]]:
    return [[GridCell(c.strip()) for c in line.split("\t")] for line in lines]


def _cell_blocks(lines: list[str]) -> list[list[GridCell]]:
    rows: list[list[GridCell]] = []
    row: list[GridCell] = []
    for line in lines:
        if not line.strip(" \r"):
            if row:
                rows.append(row)
            row = []
        elif line.startswith("\t") or not row:
            row.append(GridCell(line.strip()))
        else:  # a wrapped cell continues
            row[-1].text += line.strip()
    if row:
        rows.append(row)
    return rows


def _cell_stream(lines: list[str]) -> list[list[GridCell]]:
    """One row per cell; the mapper regroups labels with the values that follow them."""
    return [[GridCell(line.strip())] for line in lines if line.strip(" \r\u3000\xa0")]


_VALUE_TOKEN = re.compile(r"^[-+]?[\d,，.．]+(?:元|万元|件|%)?$|^[—－-]$")
_SPACE_ROW = re.compile(r"^\s*\S.*?(?:\s+(?:[-+]?[\d,，.．]+(?:元|万元|件|%)?|[—－-])){3,}\s*$")


def _space_rows(lines: list[str]) -> list[list[GridCell]]:
    """OCR text lines: the label's words, then the values separated by spaces. Blank cells leave
    no trace there, so a row with fewer values than columns cannot be lined up (and is flagged)."""
    rows = []
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        start = len(tokens)
        while start > 0 and _VALUE_TOKEN.match(tokens[start - 1]):
            start -= 1
        label = "".join(tokens[:start])  # OCR puts spaces between characters of a label
        rows.append([GridCell(label)] * bool(label) + [GridCell(t) for t in tokens[start:]])
    return rows


def _layout(lines: list[str]) -> str:
    if is_markdown(lines):
        return "markdown"
    body = [line for line in lines if line.strip()]
    if sum(1 for line in body if "\t" not in line and _SPACE_ROW.match(line)) >= 5:
        return "space_rows"
    inner_tabs = sum("\t" in line.strip("\t ") for line in body)
    leading_tabs = sum(line.startswith("\t") for line in body)
    if inner_tabs >= 5:
        return "tab_rows"
    if leading_tabs >= 5:
        return "cell_blocks"
    return "cell_stream"


def read_text(text: str) -> ParsedDocument:
    doc = ParsedDocument(format="text")
    lines = strip_artefacts(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    layout = _layout(lines)
    prose: list[str] = []
    table_lines: list[str] = []
    markdown_grid: list = []
    in_tables = False

    def flush_markdown() -> None:  # Markdown tables: rows in order, their prose in its place
        grid, inner_prose = markdown_rows(table_lines)
        markdown_grid.extend(grid)
        prose.extend(inner_prose)
        table_lines.clear()

    for line in lines:
        key = _heading_key(line)
        if _TABLE_START.match(key):
            in_tables = True
            if layout == "markdown":  # the section's heading names the table it opens
                table_lines.append(f"### {key.strip()}")
            else:
                prose.append(line.strip())
            continue
        if _PROSE_AFTER.match(key):
            in_tables = False
        if in_tables:
            table_lines.append(line)
        elif layout == "tab_rows" and "\t" in line.strip("\t "):
            table_lines.append(line)
        elif layout == "markdown" and (line.lstrip().startswith("<") or is_pipe_row(line)):
            table_lines.append(line)
        elif line.strip():
            if layout == "markdown":
                if table_lines:
                    flush_markdown()
                line = _MARKDOWN_HEADING.sub("", line)
            prose.append(line.strip())
    if layout == "tab_rows":
        grid = _tab_rows([line for line in table_lines if "\t" in line])
        doc.tables = [grid] if grid else []
        prose.extend(line.strip() for line in table_lines if "\t" not in line and line.strip()
                     and not any(m in line for marks in TABLE_MARKERS.values() for m in marks))
    elif layout == "markdown":
        flush_markdown()
        doc.tables = [markdown_grid]
    elif layout == "space_rows":
        doc.tables = [_space_rows(table_lines)]
    elif layout == "cell_blocks":
        doc.tables = [_cell_blocks(table_lines)]
    else:
        doc.tables = [_cell_stream(table_lines)]
    doc.tables = [t for t in doc.tables if t]
    doc.text = "\n".join(p for p in prose if p)
    doc.meta["layout"] = layout
    return doc
