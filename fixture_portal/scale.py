"""A synthetic national portal tree for scale runs: thousands of sites, tens of thousands of
reports, generated on demand (nothing is held in memory but one page at a time).

    python -m fixture_portal.scale --sites 2000 --reports 10 --port 8100

Site ``/sN/`` is a TRS/WCM column (``index.html``, ``index_1.html``, … with
``createPageHTML``) listing its reports at ``/sN/YYYYMM/tYYYYMMDD_K.html``, each a full
report page with the three tables (both templates, by year).
"""

from __future__ import annotations

import argparse
import re
import time
from http.server import ThreadingHTTPServer

from .pages import article_page, listing_page
from .reports import synthetic_report
from .server import _handler
from .site import Portal, Resource, _report_body

COUNTIES = ("宁远", "青州", "临江", "东川", "北塘", "江源", "河西", "南平", "梅江", "松阳", "深河", "云溪")
BODIES = ("人民政府", "教育局", "财政局", "民政局", "卫生健康委员会", "自然资源局")
PER_PAGE = 5


def agency(site: int, k: int) -> str:
    return f"{COUNTIES[site % len(COUNTIES)]}{site}县{BODIES[k % len(BODIES)]}"


def year_of(k: int) -> int:
    return 2019 + (k // len(BODIES)) % 6  # (body, year) unique for k < 36


def report_of(site: int, k: int) -> dict:
    year = year_of(k)
    report = synthetic_report(agency(site, k), year, "2021" if year >= 2021 else "2019", seed=site * 1000 + k)
    report["published"] = f"{year + 1}-02-{1 + k % 27:02d}"
    return report


def report_path(site: int, k: int) -> str:
    published = report_of_date(k)
    y, m, d = published.split("-")
    return f"/s{site}/{y}{m}/t{y}{m}{d}_{k}.html"


def report_of_date(k: int) -> str:
    return f"{year_of(k) + 1}-02-{1 + k % 27:02d}"


class ScalePortal(Portal):
    """Resources computed from the path; ``expected_count`` is the number of reports."""

    def __init__(self, sites: int, reports: int) -> None:
        super().__init__()
        self.sites, self.reports = sites, reports
        self.prefix_handlers["/s"] = self._serve
        self.resources = {"/robots.txt": Resource(b"User-agent: *\nDisallow:\n", "text/plain")}

    @property
    def expected_count(self) -> int:
        return self.sites * self.reports

    def start_urls(self, base: str) -> list[str]:
        return [f"{base}/s{n}/index.html" for n in range(self.sites)]

    def _serve(self, method, query, body, rest) -> Resource:
        m = re.match(r"(\d+)/(index(?:_(\d+))?\.html|\d{6}/t\d{8}_(\d+)\.html)$", rest)
        if not m or int(m.group(1)) >= self.sites:
            return Resource(b"not found", status=404)
        site = int(m.group(1))
        if m.group(4) is not None:
            k = int(m.group(4))
            report = report_of(site, k)
            html = article_page("某县人民政府", "政府信息公开年报", report["title"], report["published"],
                                report["agency"], _report_body(report))
            return Resource(html.encode("utf-8"), "text/html; charset=utf-8")
        page = int(m.group(3) or 0)
        pages = max(1, -(-self.reports // PER_PAGE))
        ks = range(page * PER_PAGE, min(self.reports, (page + 1) * PER_PAGE))
        items = [(f"/s{site}{report_path(site, k)[len(f'/s{site}'):]}", report_of_title(site, k), report_of_date(k))
                 for k in ks]
        html = listing_page("某县人民政府", "政府信息公开年报", items, page, pages)
        return Resource(html.encode("utf-8"), "text/html; charset=utf-8")


def report_of_title(site: int, k: int) -> str:
    return f"{agency(site, k)}{year_of(k)}年政府信息公开工作年度报告"


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the scale portal")
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    portal = ScalePortal(args.sites, args.reports)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), _handler(portal, []))
    httpd.daemon_threads = True
    print(f"serving {args.sites} sites, {portal.expected_count} reports on port {args.port}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
        time.sleep(0)


if __name__ == "__main__":
    main()
