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

from bytecode import compile_project

from fixture_portal.stored import store_pending_pages
from pipelines.extract import extract
from pipelines.reextract import reextract
from storage.repository import Repository


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    compile_project()
    print(f"{'workers':>8}{'documents':>11}{'seconds':>9}{'reports/s':>11}")
    url = f"sqlite:///{tempfile.mkdtemp()}/bare.sqlite"
    store_pending_pages(url, min(args.documents, 2000))
    bodies = [row.body for row in Repository.from_url(url).load_raws(list(range(1, min(args.documents, 2000) + 1)))]
    started = time.perf_counter()
    for body in bodies:
        extract(body, "text/html; charset=utf-8")
    elapsed = time.perf_counter() - started
    print(f"{'extract alone, no storing':<28}{len(bodies) / elapsed:>11.1f} reports/s")
    for workers in args.workers:
        url = f"sqlite:///{tempfile.mkdtemp()}/reextract.sqlite"
        ids = store_pending_pages(url, args.documents)
        started = time.perf_counter()
        outcomes = reextract(url, ids, workers=workers)
        elapsed = time.perf_counter() - started
        print(f"{workers:>8}{len(ids):>11}{elapsed:>9.1f}{len(ids) / elapsed:>11.1f}   {dict(outcomes)}")


if __name__ == "__main__":
    main()
