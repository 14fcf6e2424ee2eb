"""Raw bytes kept compressed or as fetched: the cost of storing and reading back the scale
portal's real-size report pages, and the space they take, beside a bare executemany of the same
bytes into a table of two columns.

    .venv/bin/python benchmarks/bodies.py [--documents 2000] [--postgres postgresql://…]

Stores ``--documents`` pages as a deferred crawl does (``Repository.record_many``, 64 a
transaction, no report), then reads them back as ``xxgk reextract`` does (``load_raws``, 10 at
a time). "CPU s" is this process's; on PostgreSQL the server's own work is in the seconds only.
Space: the SQLite file after a checkpoint; PostgreSQL's ``pg_total_relation_size``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from contextlib import contextmanager, nullcontext

import sqlalchemy as sa
from bytecode import compile_project

import storage.body
from fixture_portal.scale import report_page
from pipelines.model import RawDocument
from storage.repository import Repository

BATCH, LOAD = 64, 10


@contextmanager
def as_fetched():
    """Bodies stored as they came (the build before compression)."""
    pack = storage.body.pack
    storage.body.pack = lambda body: (body or None, None)
    try:
        yield
    finally:
        storage.body.pack = pack


@contextmanager
def scratch(url: str):
    """A new PostgreSQL database on the server of ``url``, dropped afterwards."""
    name = f"xxgk_bench_{uuid.uuid4().hex[:8]}"
    server = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield str(sa.make_url(url).set(database=name).render_as_string(hide_password=False))
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.dispose()


def timed(function) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def space(engine: sa.Engine, path: str | None, table: str) -> float:
    """MiB the table takes (SQLite: the whole file, checkpointed)."""
    with engine.connect() as conn:
        if path:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return os.path.getsize(path) / 2**20
        return conn.exec_driver_sql(f"SELECT pg_total_relation_size('{table}')").scalar() / 2**20


def ours(url: str, path: str | None, pages: list[bytes]) -> tuple[float, float, float, float, float]:
    repo = Repository.from_url(url)
    repo.create_schema()
    raws = [RawDocument(url=f"http://bench.test/{uuid.uuid4().hex}.html", body=body, status=200, kind="page",
                        headers={"Content-Type": "text/html; charset=utf-8"}) for body in pages]
    ids: list[int] = []

    def store() -> None:
        for start in range(0, len(raws), BATCH):
            ids.extend(s.document_id for s in repo.record_many(raws[start:start + BATCH]))

    def read() -> None:
        for start in range(0, len(ids), LOAD):
            for raw in repo.load_raws(ids[start:start + LOAD]):
                assert raw.body
    stored = timed(store)
    mib = space(repo.engine, path, "documents")
    loaded = timed(read)
    repo.close()
    return (*stored, mib, *loaded)


def bare(url: str, path: str | None, pages: list[bytes]) -> tuple[float, float, float]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    table = f"bare_bodies_{uuid.uuid4().hex[:8]}"
    blob = "blob" if engine.dialect.name == "sqlite" else "bytea"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (id integer primary key, body {blob})")
    mark = "?" if engine.dialect.name == "sqlite" else "%s"

    def store() -> None:
        raw_conn = engine.raw_connection()
        cursor = raw_conn.cursor()
        for start in range(0, len(pages), BATCH):
            cursor.executemany(f"INSERT INTO {table} (id, body) VALUES ({mark}, {mark})",
                               [(start + i, body) for i, body in enumerate(pages[start:start + BATCH])])
            raw_conn.commit()
        raw_conn.close()
    seconds, cpu = timed(store)
    mib = space(engine, path, table)
    if not path:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {table}")
    engine.dispose()
    return seconds, cpu, mib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--postgres", help="also on this PostgreSQL server (in a scratch database, dropped after)")
    args = parser.parse_args()
    compile_project()
    pages = [report_page(site, k) for site in range(args.documents // 10 + 1) for k in range(10)][:args.documents]
    print(f"{len(pages)} report pages, {sum(map(len, pages)) / 2**20:.1f} MiB as fetched\n")
    print(f"{'engine':<12}{'bodies':<34}{'store s':>9}{'CPU s':>8}{'MiB':>8}{'read s':>9}{'CPU s':>8}")
    engines = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, url in engines:
        rows = []
        for label, context in (("xxgk, as fetched", as_fetched), ("xxgk, zstd (as it stores)", None)):
            path = None
            if url is None:
                path = f"{tempfile.mkdtemp()}/bodies.sqlite"
            with (scratch(url) if url else nullcontext(f"sqlite:///{path}")) as target, (context or nullcontext)():
                rows.append((label, ours(target, path, pages)))
        path = None if url else f"{tempfile.mkdtemp()}/bare.sqlite"
        with (scratch(url) if url else nullcontext(f"sqlite:///{path}")) as target:
            seconds, cpu, mib = bare(target, path, pages)
        for label, (seconds_, cpu_, mib_, read_s, read_cpu) in rows:
            print(f"{name:<12}{label:<34}{seconds_:>9.2f}{cpu_:>8.2f}{mib_:>8.1f}{read_s:>9.2f}{read_cpu:>8.2f}")
        print(f"{name:<12}{'bare executemany (id, body)':<34}{seconds:>9.2f}{cpu:>8.2f}{mib:>8.1f}")


if __name__ == "__main__":
    main()
