"""Crawl throughput and memory: xxgk on the scale portal with politeness off, beside a bare
Scrapy spider fetching the same URLs in the same run.

    .venv/bin/python benchmarks/crawl.py --sites 200 --reports 10 [--workers 0 1] [--jobdir]

Prints pages/s (listing pages + report pages) and peak RSS of each crawl process. xxgk does
everything it does in production (decode, repair, extract, store into SQLite), once for each
``--workers`` value (``XXGK_WORKERS``: 0 runs the stages in the crawl process, N in N worker
processes); the bare spider only downloads. ``--jobdir`` keeps the scheduler queue on disk
(Scrapy's JOBDIR). Peak RSS is the crawl process's own (workers are reported apart).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False", "-s", "CONCURRENT_REQUESTS=32",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "LOG_LEVEL=WARNING", "-s", "RETRY_ENABLED=False"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(args: list[str], env: dict, cwd: str) -> tuple[float, float, float]:
    """(seconds, peak RSS MiB of the process, of its largest child) from wait4 and getrusage."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            sys.exit(f"{args[:4]} failed:\n{err.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--defer", action="store_true",
                        help="also crawl with XXGK_DEFER_EXTRACTION=1, then time `xxgk reextract --pending`")
    parser.add_argument("--jobdir", action="store_true")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fixture_portal.scale", "--sites", str(args.sites),
                               "--reports", str(args.reports), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}"
    folder = tempfile.mkdtemp(prefix="xxgk-bench-")
    try:
        sources = Path(folder, "sources.yaml")
        urls = "\n".join(f"      - {base}/s{n}/index.html" for n in range(args.sites))
        sources.write_text(f"sources:\n  - name: scale\n    family: trs_wcm\n    start_urls:\n{urls}\n", "utf-8")
        rows = []
        configs = [(w, False) for w in args.workers] + [(w, True) for w in args.workers if args.defer]
        for workers, defer in configs:
            db = Path(folder, f"bench{workers}{defer}.sqlite")
            env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=str(ROOT), XXGK_WORKERS=str(workers),
                       XXGK_DEFER_EXTRACTION=str(int(defer)))
            extra = ["-s", f"JOBDIR={folder}/job{workers}{defer}"] if args.jobdir else []
            seconds, peak, _ = timed([sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
                                      *FAST, *extra], env, folder)
            with sqlite3.connect(db) as conn:
                fetched = [row[0] for row in conn.execute("SELECT url FROM documents WHERE status = 200")]
                reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
            name = f"xxgk, XXGK_WORKERS={workers}" + (", deferred" if defer else "")
            rows.append((name, seconds, peak, len(fetched), reports))
            if defer:
                later, _, _ = timed([sys.executable, "-m", "crawler.cli", "reextract", "--pending", "--workers",
                                     str(max(1, workers))], env, folder)
                with sqlite3.connect(db) as conn:
                    reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
                rows.append((f"  then reextract --pending --workers {max(1, workers)}", later, 0, len(fetched),
                             reports))
        url_file = Path(folder, "urls.txt")
        url_file.write_text("\n".join(fetched), "utf-8")
        bare, bare_peak, _ = timed([sys.executable, "-m", "scrapy.cmdline", "runspider",
                                    str(ROOT / "benchmarks" / "bare_spider.py"), "-a", f"url_file={url_file}",
                                    *FAST], dict(env, SCRAPY_SETTINGS_MODULE=""), folder)
    finally:
        server.terminate()
    pages = len(fetched)
    print(f"scale portal: {args.sites} sites, {args.sites * args.reports} reports; {pages} pages fetched\n")
    print(f"{'crawler':<40}{'seconds':>9}{'pages/s':>10}{'vs bare':>9}{'peak RSS MiB':>14}{'reports':>9}")
    for name, seconds, peak, fetched_pages, reports in rows:
        print(f"{name:<40}{seconds:>9.1f}{fetched_pages / seconds:>10.1f}{bare / seconds:>9.0%}{peak:>14.0f}"
              f"{reports:>9}")
    print(f"{'bare Scrapy (fetch only)':<40}{bare:>9.1f}{pages / bare:>10.1f}{1:>9.0%}{bare_peak:>14.0f}")


if __name__ == "__main__":
    main()
