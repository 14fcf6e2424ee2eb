"""Exports of stored reports, each with what a researcher needs to cite and filter: agency, place
and its division code, year, template, title, published date, the page URL and the document URL,
and per cell its value (integers as integers), printed text, kind, note and flags.

- ``jsonl``: one report an object, in the form of docs/report.md;
- ``csv``: long form, one cell a row (``CELL_COLUMNS``);
- ``csv-wide``: one report a row, one column per ``table.row.column`` key of both templates;
- ``parquet``: the long form, typed;
- ``sqlite``: a SQLite database of the reports with their cells, sections, flags, sources and the
  codebook (raw documents left out), for ``xxgk serve`` or any SQLite tool: how a team on
  PostgreSQL browses the corpus.

The format comes from ``--format`` or else from the file's extension; ``-`` is standard output.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines import schema

from . import models
from .repository import Repository

REPORT_COLUMNS = ("report_id", "agency", "year", "template", "title", "published", "admin_level", "province",
                  "city", "county", "township", "division_code", "source", "page_url", "url")
CELL_COLUMNS = REPORT_COLUMNS + ("table_name", "row_key", "column_key", "value", "text", "kind", "note", "flags")
FORMATS = ("jsonl", "csv", "csv-wide", "parquet", "sqlite")
EXTENSIONS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
              ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}
STREAMABLE = ("jsonl", "csv", "csv-wide")


class ExportError(ValueError):
    """The export cannot be written as asked; the message says why."""


def format_for(fmt: str | None, out: str) -> str:
    """``--format`` when given, else the extension's format; an unknown one is an error."""
    if fmt:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        found = fmt
    elif out == "-":
        found = "jsonl"
    else:
        found = EXTENSIONS.get(Path(out).suffix.lower())
        if found is None:
            raise ExportError(f"cannot tell the format of {out!r} from its extension: "
                              f"pass --format ({', '.join(FORMATS)})")
    if out == "-" and found not in STREAMABLE:
        raise ExportError(f"{found} cannot be written to standard output: give a file with --out")
    return found


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    province: str | None = None
    agency: str | None = None  # a part of the agency's name

    def apply(self, query):
        if self.years:
            query = query.where(models.ReportRow.year.in_(self.years))
        if self.province:
            query = query.where(models.ReportRow.province == self.province)
        if self.agency:
            query = query.where(models.ReportRow.agency.contains(self.agency))
        return query


def number(value):
    """A stored value as printed: 531, not 531.0."""
    return int(value) if value is not None and float(value).is_integer() else value


def _report_meta(report: models.ReportRow) -> dict:
    return {"report_id": report.id, "agency": report.agency, "year": report.year, "template": report.template,
            "title": report.title, "published": report.published.isoformat() if report.published else None,
            "admin_level": report.admin_level, "province": report.province, "city": report.city,
            "county": report.county, "township": report.township,
            "division_code": report.division_code, "source": report.source,
            "page_url": report.page_url, "url": report.url}


def _flags_of(report: models.ReportRow) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for flag in report.flags:
        found.setdefault(flag.location, []).append(flag.code)
    return found


def count_reports(repository: Repository, filters: Filters) -> int:
    query = filters.apply(select(func.count()).select_from(models.ReportRow))
    with Session(repository.engine) as session:
        return session.scalar(query) or 0


def _none(n: int) -> None:
    return None


def cell_rows(repository: Repository, filters: Filters, done: Callable[[int], None] = _none) -> Iterator[dict]:
    """One dict a cell, in ``CELL_COLUMNS``; a cell's flags are those raised where it stands (its
    table, row, column or the cell itself). ``done(1)`` is called after each report."""
    query = filters.apply(select(models.ReportRow).order_by(models.ReportRow.year, models.ReportRow.agency))
    with Session(repository.engine) as session:
        for report in session.scalars(query).yield_per(200):
            done(1)
            meta, flags = _report_meta(report), _flags_of(report)
            for cell in sorted(report.cells, key=lambda c: c.id):
                t, r, c = cell.table_name, cell.row_key, cell.column_key
                codes = [code for where in (t, f"{t}.{r}", f"{t}.{c}", f"{t}.{r}.{c}") for code in flags.get(where, ())]
                yield {**meta, "table_name": t, "row_key": r, "column_key": c, "value": number(cell.value),
                       "text": cell.text, "kind": cell.kind, "note": cell.note, "flags": ";".join(codes) or None}


def wide_keys() -> list[str]:
    """Every ``table.row.column`` of both templates, in printed order."""
    keys: dict[str, None] = {}
    for template in schema.TEMPLATES:
        for table, rows in schema.layout(template).items():
            for row, columns in rows.items():
                keys.update(dict.fromkeys(f"{table}.{row}.{column}" for column in columns))
    return list(keys)


def wide_rows(repository: Repository, filters: Filters, done: Callable[[int], None] = _none) -> Iterator[dict]:
    query = filters.apply(select(models.ReportRow).order_by(models.ReportRow.year, models.ReportRow.agency))
    with Session(repository.engine) as session:
        for report in session.scalars(query).yield_per(200):
            done(1)
            row = {**_report_meta(report), "flags": ";".join(sorted({f.code for f in report.flags})) or None}
            for cell in report.cells:
                row[f"{cell.table_name}.{cell.row_key}.{cell.column_key}"] = number(cell.value)
            yield row


@contextmanager
def _text_out(out: str):
    if out == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(out, "w", encoding="utf-8-sig" if out.endswith(".csv") else "utf-8", newline="") as handle:
        yield handle  # a BOM on CSV files: Excel reads them as UTF-8


def export(repository: Repository, fmt: str, out: str | Path, filters: Filters = Filters(),
           done: Callable[[int], None] = _none) -> int:
    """Write the export; returns how many reports (jsonl, csv-wide, sqlite) or cells (csv, parquet).
    ``done(n)`` is told as reports are written (for a progress bar)."""
    out = str(out)
    fmt = format_for(fmt, out)
    if fmt == "jsonl":
        count = 0
        with _text_out(out) as handle:
            for report in repository.report_dicts(filters=filters):
                handle.write(json.dumps(report, ensure_ascii=False) + "\n")
                count += 1
                done(1)
        return count
    if fmt in ("csv", "csv-wide"):
        rows = cell_rows(repository, filters, done) if fmt == "csv" else wide_rows(repository, filters, done)
        fields = list(CELL_COLUMNS) if fmt == "csv" else [*REPORT_COLUMNS, "flags", *wide_keys()]
        count = 0
        with _text_out(out) as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    if fmt == "sqlite":
        from .copy import copy_to_sqlite

        count = copy_to_sqlite(repository, Path(out), filters)
        done(count)
        return count
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("parquet export needs pyarrow: pip install 'xxgk[parquet]'") from exc
    rows = list(cell_rows(repository, filters, done))
    for row in rows:  # one type a column: values as floats there
        row["value"] = float(row["value"]) if row["value"] is not None else None
    types = {"value": pa.float64(), "report_id": pa.int64(), "year": pa.int64()}
    table = pa.Table.from_pylist(rows, schema=pa.schema([(n, types.get(n, pa.string())) for n in CELL_COLUMNS]))
    pq.write_table(table, out)
    return len(rows)
