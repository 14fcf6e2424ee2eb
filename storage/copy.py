"""Copy stored reports into a SQLite file (``xxgk export --format sqlite``): the reports with their
cells, sections and flags, the sources and the codebook, in xxgk's own schema (views included).
Raw documents stay behind (``document_id`` is left empty): the copy is for reading, by
``xxgk serve`` or any SQLite tool, including by a team whose corpus lives in PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from . import models
from .repository import Repository

BATCH = 5000


def copy_to_sqlite(source: Repository, path: Path, filters) -> int:
    """Returns how many reports were copied. An existing file is replaced."""
    if path.exists():
        path.unlink()
    target = Repository.from_url(f"sqlite:///{path}")
    try:
        target.create_schema()
        ids = select(models.ReportRow.id)
        ids = filters.apply(ids) if filters is not None else ids
        with source.engine.connect() as read, target.engine.begin() as write:
            _copy(read, write, select(models.SourceRow.__table__))
            reports = models.ReportRow.__table__
            rows = [dict(r._mapping, document_id=None)
                    for r in read.execute(select(reports).where(reports.c.id.in_(ids)))]
            if rows:
                write.execute(insert(reports), rows)
            for model in (models.CellRow, models.Section, models.Flag):
                table = model.__table__
                _copy(read, write, select(table).where(table.c.report_id.in_(ids)))
        return len(rows)
    finally:
        target.close()


def _copy(read, write, query) -> None:
    table = query.get_final_froms()[0]
    result = read.execute(query.execution_options(yield_per=BATCH))
    for chunk in result.mappings().partitions(BATCH):
        write.execute(insert(table), [dict(row) for row in chunk])
