"""Markdown that converters make from reports (PDF-to-Markdown, OCR tools, hand conversions).

What such text holds, and how it becomes grid rows for the mapper:

- pipe tables (``| a | b |``), with or without their ``|---|`` separator line, one table split
  into many, header rows in a table of their own: each pipe line is a row, tables are read as
  one stream (the mapper does so for every format);
- headings (``### （三）不予公开``, ``### 行政诉讼（复议后起诉）``) between small tables: a row of
  one label cell, so the group or part they name reaches the rows under them;
- HTML tables pasted into the Markdown: read by the HTML reader's grid builder;
- any other line: prose.
"""

from __future__ import annotations

import re

from lxml import etree, html

from pipelines.model import Grid, GridCell

from .read_html import table_grid

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ESCAPED_PIPE = "\x00"
MAX_CAPTION = 40  # characters: a longer line among the tables is prose only


def is_markdown(lines: list[str]) -> bool:
    """Pipe tables (five lines or more) or an HTML table inside text."""
    pipes = sum(1 for line in lines if is_pipe_row(line))
    return pipes >= 5 or any("<table" in line.lower() for line in lines)


def is_pipe_row(line: str) -> bool:
    """A row of a pipe table: ``| a | b |``, or ``a| b| c`` as some converters (html2text) print it."""
    stripped = line.strip()
    return stripped.count("|") >= 2 or "| " in stripped and not stripped.startswith(("http", "<"))


def pipe_cells(line: str) -> list[GridCell]:
    body = line.strip().replace("\\|", _ESCAPED_PIPE)
    if body.startswith("|"):  # | a | b |: the outer pipes close the row
        body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
    # a| b|: no outer pipes, and a pipe at the end leaves an empty last cell
    return [GridCell(cell.replace(_ESCAPED_PIPE, "|").strip()) for cell in body.split("|")]


def _html_grids(fragment: str) -> list[Grid]:
    try:
        root = html.fromstring(fragment)
    except (etree.ParserError, ValueError):
        return []
    tables = [root] if root.tag == "table" else list(root.iter("table"))
    return [grid for grid in (table_grid(t) for t in tables) if grid]


def markdown_rows(lines: list[str]) -> tuple[Grid, list[str]]:
    """Grid rows of the lines of the table sections (one stream) and their prose lines."""
    text = "\n".join(lines)
    rows: Grid = []
    prose: list[str] = []
    position = 0
    for found in _HTML_TABLE.finditer(text):  # HTML tables keep their place among the rows
        _pipe_or_prose(text[position:found.start()].split("\n"), rows, prose)
        for grid in _html_grids(found.group(0)):
            rows.extend(grid)
        position = found.end()
    _pipe_or_prose(text[position:].split("\n"), rows, prose)
    return rows, prose


def _pipe_or_prose(lines: list[str], rows: Grid, prose: list[str]) -> None:
    for line in lines:
        stripped = line.strip()
        if not stripped or _SEPARATOR.match(stripped) and "-" in stripped:
            continue
        heading = _HEADING.match(line)
        if is_pipe_row(stripped):
            cells = pipe_cells(stripped)
            if any(cell.text for cell in cells):
                rows.append(cells)
        elif heading:
            rows.append([GridCell(heading.group(1).strip("*").strip())])
            prose.append(heading.group(1))
        else:  # a caption or a bare header line ("行政复议行政诉讼") between tables, or prose
            if len(stripped) <= MAX_CAPTION:
                rows.append([GridCell(stripped)])
            prose.append(stripped)
