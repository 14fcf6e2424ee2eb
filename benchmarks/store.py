"""Database writes: cells/s stored through the repository (a transaction per report, or per
batch of reports as the crawl writes them: documents, upserts, history and flags) beside a bare
executemany of the same cell rows in as many transactions.

    .venv/bin/python benchmarks/store.py [--reports 300] [--batches 1 64] [--postgres postgresql://…]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid

import sqlalchemy as sa

from fixture_portal.forms import render_forms
from fixture_portal.reports import synthetic_report
from pipelines.extract import extract
from pipelines.model import RawDocument
from storage.repository import Repository


def prepared(n: int) -> list[RawDocument]:
    base = render_forms(synthetic_report("临江市教育局", 2022, "2021", 7))["html"]
    report = extract(base)
    raws = []
    for i in range(n):
        raw = RawDocument(url=f"http://bench.test/{i}.html", body=base + str(i).encode(),
                          headers={"Content-Type": "text/html; charset=utf-8"}, status=200)
        raw.report = extract(base)
        raw.report.agency = f"{report.agency}{i}"
        raws.append(raw)
    return raws


def ours(url: str, raws: list[RawDocument], batch: int) -> tuple[float, int]:
    repo = Repository.from_url(url)
    repo.create_schema()
    started = time.perf_counter()
    for start in range(0, len(raws), batch):
        repo.record_many(raws[start:start + batch])
    elapsed = time.perf_counter() - started
    repo.close()
    return elapsed, sum(len(r.report.cells) for r in raws)


def bare(url: str, raws: list[RawDocument], batch: int) -> float:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    rows = [(i, c.table, c.row, c.column, c.value, c.text, c.kind)
            for i, raw in enumerate(raws) for c in raw.report.cells]
    table = f"bare_cells_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (report_id integer, table_name text, row_key text, "
                             "column_key text, value double precision, text text, kind text)")
    started = time.perf_counter()
    raw_conn = engine.raw_connection()
    try:
        cursor = raw_conn.cursor()
        placeholder = "?" if engine.dialect.name == "sqlite" else "%s"
        per_batch = len(raws[0].report.cells) * batch
        for start in range(0, len(rows), per_batch):  # as many transactions as ours
            cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join([placeholder] * 7)})",
                               rows[start:start + per_batch])
            raw_conn.commit()
    finally:
        raw_conn.close()
    elapsed = time.perf_counter() - started
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {table}")
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 64], help="reports per transaction")
    args = parser.parse_args()
    raws = prepared(args.reports)
    folder = tempfile.mkdtemp()
    admin = sa.create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    created = []
    print(f"{args.reports} reports, {len(raws[0].report.cells)} cells each\n")
    print(f"{'database':<12}{'reports/tx':>11}{'xxgk cells/s':>14}{'bare executemany cells/s':>27}{'xxgk / bare':>13}")
    try:
        for batch in args.batches:
            name = f"xxgk_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            created.append(name)
            targets = [("SQLite", f"sqlite:///{folder}/bench{batch}.sqlite"),
                       ("PostgreSQL", admin.url.set(database=name).render_as_string(hide_password=False))]
            for label, url in targets:
                seconds, cells = ours(url, raws, batch)
                base = bare(url, raws, batch)
                print(f"{label:<12}{batch:>11}{cells / seconds:>14.0f}{cells / base:>27.0f}{base / seconds:>12.0%}")
    finally:
        with admin.connect() as conn:
            for name in created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
