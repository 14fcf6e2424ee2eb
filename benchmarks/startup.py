"""Start-up: seconds from launching a crawl to its first request, beside bare Scrapy's.

    .venv/bin/python benchmarks/startup.py [--repeat 5]

A loopback server answers every request with a page without links and notes when the first
request of each run arrives (xxgk's is robots.txt; bare Scrapy outside a project asks for none).
Timed: ``xxgk crawl --start-url`` into a new SQLite database (the
schema created), the same into the now current database (the schema only checked), and a bare
Scrapy spider (``benchmarks/bare_spider.py``) making the same request. The figure is the best of
the runs (start-up is what the machine allows, not the noise on it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bytecode import compile_project

ROOT = Path(__file__).resolve().parents[1]
FIRST: list[float] = []


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        FIRST.append(time.perf_counter())  # robots.txt included: the crawl's first request
        body = b"<html><head><title>x</title></head><body>nothing here</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _first_request(command: list[str], env: dict, cwd: str) -> float:
    FIRST.clear()
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return (FIRST[0] - started) if FIRST else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compile_project()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, list[float]] = {"xxgk, new database": [], "xxgk, current database": [], "bare Scrapy": []}
    with tempfile.TemporaryDirectory() as tmp:
        requests = Path(tmp) / "requests.jsonl"
        requests.write_text(json.dumps(["GET", url, None]) + "\n")
        env = dict(os.environ, XXGK_LOG_LEVEL="WARNING", XXGK_PROGRESS="0", PYTHONPATH=str(ROOT))
        xxgk = [sys.executable, "-m", "crawler.cli", "crawl", "--start-url", url]
        bare = [sys.executable, "-m", "scrapy.cmdline", "runspider", str(ROOT / "benchmarks" / "bare_spider.py"),
                "-a", f"request_file={requests}", "-s", "LOG_LEVEL=WARNING"]
        for run in range(args.repeat):
            database = Path(tmp) / f"run{run}.sqlite"
            env["DATABASE_URL"] = f"sqlite:///{database}"
            results["xxgk, new database"].append(_first_request(xxgk, env, tmp))
            results["xxgk, current database"].append(_first_request(xxgk, env, tmp))
            results["bare Scrapy"].append(_first_request(bare, env, tmp))
    server.shutdown()
    print(f"{'crawler':<26}{'best s':>8}{'median s':>10}")
    for name, seconds in results.items():
        ordered = sorted(seconds)
        print(f"{name:<26}{ordered[0]:>8.2f}{ordered[len(ordered) // 2]:>10.2f}")


if __name__ == "__main__":
    main()
