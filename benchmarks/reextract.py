"""Re-extraction of stored reports with 1 and 2 workers (no network).

    .venv/bin/python benchmarks/reextract.py [--documents 10000]

Stores ``--documents`` report pages (the fixture renderer's, each a distinct agency) straight
into a fresh SQLite database, then times ``pipelines.reextract.reextract`` over all of them,
beside ``extract`` alone on the same bytes in one process (no database: what storing adds).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime

from sqlalchemy import insert

from fixture_portal.forms import render_forms
from fixture_portal.reports import synthetic_report
from pipelines.extract import extract
from pipelines.reextract import reextract
from storage import models
from storage.repository import Repository


def seed(url: str, n: int) -> list[int]:
    repo = Repository.from_url(url)
    repo.create_schema()
    bodies = [render_forms(synthetic_report(f"临江{i}县教育局", 2022, "2021", i))["html"] for i in range(20)]
    now = datetime.now(UTC)
    rows = [dict(url=f"http://bench.test/{i}.html", kind="page", status=200, fetched_at=now,
                 headers={"Content-Type": "text/html; charset=utf-8"},
                 body=bodies[i % 20].replace("临江".encode(), f"临江{i}".encode()), outcome="not_processed")
            for i in range(n)]
    with repo.engine.begin() as conn:
        for start in range(0, n, 1000):
            conn.execute(insert(models.Document), rows[start:start + 1000])
    ids = repo.stored_document_ids()
    repo.close()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"{'workers':>8}{'documents':>11}{'seconds':>9}{'reports/s':>11}")
    url = f"sqlite:///{tempfile.mkdtemp()}/bare.sqlite"
    seed(url, min(args.documents, 2000))
    bodies = [row.body for row in Repository.from_url(url).load_raws(list(range(1, min(args.documents, 2000) + 1)))]
    started = time.perf_counter()
    for body in bodies:
        extract(body, "text/html; charset=utf-8")
    elapsed = time.perf_counter() - started
    print(f"{'extract alone, no storing':<28}{len(bodies) / elapsed:>11.1f} reports/s")
    for workers in args.workers:
        url = f"sqlite:///{tempfile.mkdtemp()}/reextract.sqlite"
        ids = seed(url, args.documents)
        started = time.perf_counter()
        outcomes = reextract(url, ids, workers=workers)
        elapsed = time.perf_counter() - started
        print(f"{workers:>8}{len(ids):>11}{elapsed:>9.1f}{len(ids) / elapsed:>11.1f}   {dict(outcomes)}")


if __name__ == "__main__":
    main()
