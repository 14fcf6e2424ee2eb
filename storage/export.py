"""Exports of stored reports: JSON Lines (one report an object, spec form), or CSV and
Parquet in long form (one cell a row, with the report's metadata beside it)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import models
from .repository import Repository

CELL_COLUMNS = ("report_id", "agency", "year", "template", "admin_level", "province", "city", "county",
                "source", "url", "page_url", "table_name", "row_key", "column_key", "value", "text", "kind")
FORMATS = ("jsonl", "csv", "parquet")


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    province: str | None = None
    agency: str | None = None  # a part of the agency's name

    def apply(self, query):
        if self.years:
            query = query.where(models.Report.year.in_(self.years))
        if self.province:
            query = query.where(models.Report.province == self.province)
        if self.agency:
            query = query.where(models.Report.agency.contains(self.agency))
        return query


def cell_rows(repository: Repository, filters: Filters) -> Iterator[dict]:
    query = filters.apply(
        select(models.Report.id, models.Report.agency, models.Report.year, models.Report.template,
               models.Report.admin_level, models.Report.province, models.Report.city,
               models.Report.county, models.Report.source, models.Report.url,
               models.Report.page_url, models.Cell.table_name,
               models.Cell.row_key, models.Cell.column_key, models.Cell.value, models.Cell.text,
               models.Cell.kind)
        .join(models.Cell, models.Cell.report_id == models.Report.id)
        .order_by(models.Report.year, models.Report.agency, models.Cell.id)
    )
    with Session(repository.engine) as session:
        for row in session.execute(query).yield_per(5000):
            yield dict(zip(CELL_COLUMNS, row, strict=True))


def export(repository: Repository, fmt: str, out: str | Path, filters: Filters = Filters()) -> int:
    """Write the export; returns how many reports (jsonl) or cells (csv, parquet) it holds."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        count = 0
        with open(out, "w", encoding="utf-8") as handle:
            for report in repository.report_dicts(filters=filters):
                handle.write(json.dumps(report, ensure_ascii=False) + "\n")
                count += 1
        return count
    if fmt == "csv":
        count = 0
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
            writer = csv.DictWriter(handle, fieldnames=CELL_COLUMNS)
            writer.writeheader()
            for row in cell_rows(repository, filters):
                writer.writerow(row)
                count += 1
        return count
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError("parquet export needs pyarrow: pip install 'xxgk[parquet]'") from exc
    rows = list(cell_rows(repository, filters))
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        (name, pa.float64() if name == "value" else pa.int64() if name in ("report_id", "year") else pa.string())
        for name in CELL_COLUMNS
    ]))
    pq.write_table(table, out)
    return len(rows)
