"""Crawl throughput and memory: xxgk on the scale portal with politeness off, beside a bare
Scrapy spider fetching the same URLs in the same run.

    .venv/bin/python benchmarks/crawl.py --sites 1000 --reports 10 --workers 0 1 --defer also --repeat 2

Prints pages/s (listing pages + report pages; reports/s for a reextract) and peak RSS of each
crawl process, the fastest of ``--repeat`` runs of each, the crawlers taking turns. The machine's
speed drifts by up to a third from one minute to the next (bare Scrapy's own time and CPU time
with it), so "vs bare" is a median over rounds of the crawl's time against bare Scrapy's runs
just before and just after it (bare runs first in every round and once more at the end), and
each round's ratio is printed too. Pages are the responses each crawl's own Scrapy stats count; "failed"
are requests with no response or a status of 400 and above (retries are off, so a request the
portal drops stays failed). xxgk does everything it does in production (decode, repair,
extract, store into SQLite), once for each ``--workers`` value (``XXGK_WORKERS``: 0 runs the
stages in the crawl process, N in N worker processes); ``--defer also`` adds crawls that store
raw bytes only (``XXGK_DEFER_EXTRACTION=1``; in one crawl process a core unless
``--crawl-processes`` says otherwise), each followed by a timed ``xxgk reextract --pending``.
All sites are on 127.0.0.1 (a deferred crawl then deals their sources out across its processes,
each with its part of the host's politeness); ``--site-hosts`` gives each site a 127.x address
of its own, as portals have (a deferred crawl's processes then take whole sites). The bare
spider only downloads. ``--jobdir`` keeps the scheduler queue on disk
(Scrapy's JOBDIR; the bare spider's too). Peak RSS is the crawl process's own (workers are
reported apart); ``--trace 30`` prints RSS beside the documents stored so far every 30 s (is
memory flat?). "CPU s" is the user + system time of the crawl process and of the worker
processes it waited for; "portal CPU s" the scale portal's during that crawl: on a machine
whose cores the portal shares, the crawl's wall time is bounded by the two together.

    .venv/bin/python benchmarks/crawl.py --sites 8100 --reports 10 --workers 2 --jobdir --repeat 1 \
        --trace 60 --no-bare     # the 100,000-page memory run, as xxgk crawls by default
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from bytecode import compile_project

from crawler.exitcodes import DOCUMENTS_FAILED
from fixture_portal.scale import ScalePortal

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False", "-s", "CONCURRENT_REQUESTS=32",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "LOG_LEVEL=WARNING", "-s", "RETRY_ENABLED=False"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def trace(pid: int, db: Path, every: float, done: threading.Event) -> None:
    """Print the crawl's RSS beside the documents it has stored, every ``every`` seconds."""
    started = time.perf_counter()
    while not done.wait(every):
        try:
            rss = rss_mib(pid)
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                largest = max((rss_mib(int(child)) for child in children.read().split()), default=0.0)
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except (OSError, StopIteration, sqlite3.Error, ValueError):
            continue
        print(f"  {time.perf_counter() - started:>7.0f} s {documents:>9} documents {rss:>8.0f} MiB RSS"
              f" (largest child {largest:.0f} MiB)", flush=True)


def cpu_seconds(pid: int) -> float:
    """User + system CPU a running process has used so far (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(args: list[str], env: dict, cwd: str, db: Path | None = None,
          every: float = 0) -> tuple[float, float, float, float]:
    """(seconds, peak RSS MiB of the process, of its largest child, CPU seconds of the process and
    the children it waited for) from wait4 and getrusage; with ``every``, RSS and stored documents
    are printed as the crawl goes."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        done = threading.Event()
        if every and db:
            threading.Thread(target=trace, args=(process.pid, db, every, done), daemon=True).start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, DOCUMENTS_FAILED):  # failed documents are counted below
            err.seek(0)
            sys.exit(f"{args[:4]} failed:\n{err.read().decode()[-2000:]}")
    return (elapsed, usage.ru_maxrss / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime)


def fetched(stats: list[dict]) -> tuple[int, int]:
    """(responses received, requests failed: no response or a status of 400 and above) from
    Scrapy's stats of one or more crawls."""
    received = sum(run.get("downloader/response_count", 0) for run in stats)
    failed = sum(run.get("downloader/exception_count", 0) for run in stats) + sum(
        value for run in stats for key, value in run.items()
        if key.startswith("downloader/response_status_count/") and int(key.rsplit("/", 1)[1]) >= 400)
    return received, failed


def recorded_stats(db: Path) -> list[dict]:
    """The stats xxgk's crawlers recorded in the database, one a crawl run."""
    with sqlite3.connect(db) as conn:
        return [json.loads(row[0]) for row in conn.execute("SELECT stats FROM crawl_runs")]


BARE = "bare Scrapy (fetch only)"


ROUNDS: dict[str, list[float]] = {}  # name -> seconds of each round, in order


def keep(best: dict, name: str, seconds: float, *rest) -> None:
    ROUNDS.setdefault(name, []).append(seconds)
    if name not in best or seconds < best[name][0]:
        best[name] = [seconds, *rest]


def round_ratios(name: str) -> list[float]:
    """Each round's bare Scrapy seconds over this crawler's, bare's being the mean of its runs just
    before and just after the crawler's (this machine's speed drifts by a third between minutes:
    a ratio of runs far apart measures the drift)."""
    bare = ROUNDS[BARE]
    return [(bare[i] + bare[i + 1]) / 2 / seconds for i, seconds in enumerate(ROUNDS[name])]


def versus_bare(name: str) -> float:
    """The median over rounds of ``round_ratios``."""
    ratios = sorted(round_ratios(name))
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--defer", choices=("also", "only"),
                        help="(also) crawl with XXGK_DEFER_EXTRACTION=1, then time `xxgk reextract --pending`")
    parser.add_argument("--crawl-processes", type=int, nargs="+", default=[0],
                        help="XXGK_CRAWL_PROCESSES of the deferred crawls (default 0: xxgk's own, one a core)")
    parser.add_argument("--site-hosts", action="store_true",
                        help="each site on a 127.x address of its own (default: every site on 127.0.0.1)")
    parser.add_argument("--jobdir", action="store_true")
    parser.add_argument("--no-reextract", action="store_true", help="deferred crawls only: skip the reextract")
    parser.add_argument("--reextract-workers", type=int, default=os.cpu_count() or 1,
                        help="processes of the reextract after a deferred crawl (default: as xxgk, one per core)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawler; the fastest is shown")
    parser.add_argument("--no-bare", action="store_true",
                        help="xxgk's crawls only (a memory run): no bare Scrapy beside them, no \"vs bare\"")
    parser.add_argument("--trace", type=float, default=0, metavar="SECONDS",
                        help="print each crawl's RSS and stored documents this often")
    args = parser.parse_args()
    compile_project()
    portal = ScalePortal(args.sites, args.reports)
    port = free_port()
    # with --site-hosts each site is on a 127.x address of its own: the portal listens on them all
    server = subprocess.Popen([sys.executable, "-m", "fixture_portal.scale", "--sites", str(args.sites),
                               "--reports", str(args.reports), "--port", str(port),
                               "--host", "0.0.0.0" if args.site_hosts else "127.0.0.1"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}"
    folder = tempfile.mkdtemp(prefix="xxgk-bench-")
    try:
        sources = Path(folder, "sources.yaml")
        sources.write_text(yaml.safe_dump({"sources": portal.sources(base, hosts=args.site_hosts)}), "utf-8")
        pages = 0
        request_file = Path(folder, "requests.jsonl")
        with request_file.open("w", encoding="utf-8") as out:
            for request in portal.requests(base, hosts=args.site_hosts):
                out.write(json.dumps(request) + "\n")
                pages += 1
        configs = [(w, False, 0) for w in args.workers if args.defer != "only"] + \
            [(w, True, p) for w in args.workers if args.defer for p in args.crawl_processes]
        best: dict[str, list] = {}  # name -> [seconds, peak, pages, failed, reports]; the fastest of the repeats
        # xxgk runs a crawler per family, each with FAST's CONCURRENT_REQUESTS: the bare spider gets as many
        bare_slots = ["-s", f"CONCURRENT_REQUESTS={32 * len(portal.start_urls(base))}"]

        def run_bare(attempt: int) -> None:
            bare_jobdir = ["-s", f"JOBDIR={folder}/bare{attempt}"] if args.jobdir else []  # disk queues too
            stats_file = Path(folder, f"bare{attempt}.json")
            portal_before = cpu_seconds(server.pid)
            seconds, peak, _, cpu = timed([sys.executable, "-m", "scrapy.cmdline", "runspider",
                                           str(ROOT / "benchmarks" / "bare_spider.py"), "-a",
                                           f"request_file={request_file}", "-a", f"stats_file={stats_file}", *FAST,
                                           *bare_slots, *bare_jobdir], dict(os.environ, SCRAPY_SETTINGS_MODULE=""),
                                          folder)
            keep(best, BARE, seconds, peak, *fetched([json.loads(stats_file.read_text("utf-8"))]), None, cpu,
                 cpu_seconds(server.pid) - portal_before)

        for attempt in range(args.repeat):
            if not args.no_bare:
                run_bare(attempt)  # bare Scrapy before and after every round of xxgk's crawls
            for workers, defer, processes in configs:
                tag = f"{workers}{f'd{processes}' if defer else ''}_{attempt}"
                db = Path(folder, f"bench{tag}.sqlite")
                env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=str(ROOT),
                           XXGK_WORKERS=str(workers), XXGK_DEFER_EXTRACTION=str(int(defer)),
                           XXGK_CRAWL_PROCESSES=str(processes))
                extra = ["-s", f"JOBDIR={folder}/job{tag}"] if args.jobdir else []
                portal_before = cpu_seconds(server.pid)
                seconds, peak, _, cpu = timed([sys.executable, "-m", "crawler.cli", "crawl", "--sources",
                                               str(sources), *FAST, *extra], env, folder, db, args.trace)
                portal_cpu = cpu_seconds(server.pid) - portal_before
                stats = recorded_stats(db)
                received, failed = fetched(stats)
                browser = [run["xxgk/browser/first_page_seconds"] for run in stats
                           if "xxgk/browser/first_page_seconds" in run]
                if browser:  # a busy crawl can hold the browser's start back
                    print(f"  {tag}: first rendered page after {max(browser):.1f} s", flush=True)
                with sqlite3.connect(db) as conn:
                    reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
                    for kind, reason, count in conn.execute(
                            "SELECT kind, reason, COUNT(*) FROM documents WHERE outcome = 'fetch_failed' "
                            "GROUP BY kind, reason ORDER BY 3 DESC LIMIT 10"):
                        print(f"  {tag}: {count} {kind} failed: {reason.splitlines()[0]}", flush=True)
                name = f"xxgk, XXGK_WORKERS={workers}" + (", deferred" if defer else "") + \
                    (f", {processes} process{'es' if processes > 1 else ''}" if processes else "")
                keep(best, name, seconds, peak, received, failed, reports, cpu, portal_cpu)
                if defer and not args.no_reextract:
                    later, _, _, cpu = timed([sys.executable, "-m", "crawler.cli", "reextract", "--pending",
                                              "--workers", str(args.reextract_workers)], env, folder)
                    with sqlite3.connect(db) as conn:
                        reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
                    keep(best, f"  then reextract --pending --workers {args.reextract_workers}"
                         + ("" if len(args.crawl_processes) < 2 else f" ({processes})"), later, 0, received,
                         0, reports, cpu, 0.0)
                db.unlink()
        if not args.no_bare:
            run_bare(args.repeat)
    finally:
        server.terminate()
    families = ", ".join(f"{len(urls)} {family}" for family, urls in portal.start_urls("").items())
    print(f"scale portal: {args.sites} sites ({families}), {portal.expected_count} reports; "
          f"{pages} requests in a complete crawl\n")
    print(f"{'crawler':<48}{'pages':>7}{'failed':>7}{'seconds':>9}{'pages/s':>10}{'vs bare':>9}"
          f"{'peak RSS MiB':>14}{'reports':>9}{'CPU s':>8}{'portal CPU s':>14}")
    if BARE in best:
        best[BARE] = best.pop(BARE)  # bare Scrapy's row last
    for name, (seconds, peak, received, failed, reports, cpu, portal_cpu) in best.items():
        reextract = name.startswith(" ")  # reports/s, no bare beside it
        rate = (reports if reextract else received) / seconds
        versus = " " * 9 if reextract or BARE not in best else f"{1 if name == BARE else versus_bare(name):>9.0%}"
        print(f"{name:<48}{received:>7}{failed:>7}{seconds:>9.1f}{rate:>10.1f}{versus}{peak:>14.0f}"
              f"{'' if reports is None else reports:>9}{cpu:>8.1f}{f'{portal_cpu:.1f}' if portal_cpu else '':>14}")
    if BARE in best:
        print(f"\n{BARE}, each round: " + ", ".join(f"{seconds:.1f} s" for seconds in ROUNDS[BARE]))
        for name in best:
            if name != BARE and not name.startswith(" "):
                print(f"{name}, vs bare each round: " + ", ".join(f"{r:.0%}" for r in round_ratios(name)))
    names = list(best)
    for index, name in enumerate(names[:-1]):  # a deferred crawl and its reextract, beside the same workers' default
        after = names[index + 1]
        default = name.split(", deferred")[0]
        if ", deferred" in name and after.startswith(" ") and default in best:
            together = best[name][0] + best[after][0]
            print(f"{name} + reextract: {together:.1f} s in all, against {best[default][0]:.1f} s for {default}")
            pairs = [crawl + later for crawl, later in zip(ROUNDS[name], ROUNDS[after], strict=True)]
            print("  each round, together against the default: " + ", ".join(
                f"{pair:.1f} s against {alone:.1f} s ({pair / alone:.0%})"
                for pair, alone in zip(pairs, ROUNDS[default], strict=True)))


if __name__ == "__main__":
    main()
