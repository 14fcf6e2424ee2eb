"""A synthetic national portal tree for scale runs: thousands of sites, tens of thousands of
reports, every listing family, generated on demand (nothing is held in memory but one page).

    python -m fixture_portal.scale --sites 2000 --reports 10 --port 8100

Site ``/sN/`` lists its reports at ``/sN/YYYYMM/tYYYYMMDD_K.html`` (full report pages with the
three tables, both templates by year) the way its family does (``family_of``):

- ``trs_wcm``: ``/sN/index.html``, ``index_1.html``, … with ``createPageHTML``;
- ``hanweb_jcms``: ``/sN/col/colN/index.html`` with a datastore, then POSTs to the shared
  ``/module/web/jpage/dataproxy.jsp`` (``columnid=N``);
- ``hanweb_jpaas``: ``/sN/col/nb/index.html`` whose ``queryData`` drives the shared unit API
  (``pageId=N``);
- ``gkmlpt``: ``/sN/gkmlpt/index#2641`` whose ``sid`` (N) drives ``/sN/gkmlpt/api/all/2641``;
- ``rendered``: ``/sN/js/index.html``, links made by JavaScript (one site in ``RENDERED_EVERY``,
  as a browser is slow).

``requests(base)`` lists every request a complete crawl makes, for the benchmark's bare spider.
With ``hosts``, each site has a host of its own, as portals do: site N at 127.0.N/250.N%250+1
(every 127.x address is this machine's; serve with ``--host 0.0.0.0`` to answer on them all).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode

from .families import (
    gkmlpt_api_json,
    gkmlpt_index_page,
    jcms_column_page,
    jcms_records_xml,
    jpaas_column_page,
    jpaas_unit_json,
    rendered_page,
)
from .pages import article_page, listing_page
from .reports import synthetic_report
from .server import PortalHTTPServer, _handler
from .site import Portal, Resource, _report_body

COUNTIES = ("宁远", "青州", "临江", "东川", "北塘", "江源", "河西", "南平", "梅江", "松阳", "深河", "云溪")
BODIES = ("人民政府", "教育局", "财政局", "民政局", "卫生健康委员会", "自然资源局")
FAMILIES = ("trs_wcm", "trs_wcm", "hanweb_jcms", "hanweb_jpaas", "gkmlpt")
RENDERED_EVERY = 100
PER_PAGE = 5
PROXY = "/module/web/jpage/dataproxy.jsp"
UNIT_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
HTML = "text/html; charset=utf-8"


def family_of(site: int, rendered_every: int = RENDERED_EVERY) -> str:
    if site % rendered_every == rendered_every - 1:
        return "rendered"
    return FAMILIES[site % len(FAMILIES)]


def agency(site: int, k: int) -> str:
    return f"{COUNTIES[site % len(COUNTIES)]}{site}县{BODIES[k % len(BODIES)]}"


def year_of(k: int) -> int:
    return 2019 + (k // len(BODIES)) % 6  # (body, year) unique for k < 36


def report_date(k: int) -> str:
    return f"{year_of(k) + 1}-02-{1 + k % 27:02d}"


def report_of(site: int, k: int) -> dict:
    year = year_of(k)
    report = synthetic_report(agency(site, k), year, "2021" if year >= 2021 else "2019", seed=site * 1000 + k)
    report["published"] = report_date(k)
    return report


def report_page(site: int, k: int) -> bytes:
    """The report page of site ``site``'s report ``k``, as served (UTF-8, ~50 KB)."""
    data = report_of(site, k)
    html = article_page("某县人民政府", "政府信息公开年报", data["title"], data["published"], data["agency"],
                        _report_body(data))
    return html.encode("utf-8")


def report_path(site: int, k: int) -> str:
    y, m, d = report_date(k).split("-")
    return f"/s{site}/{y}{m}/t{y}{m}{d}_{k}.html"


def report_title(site: int, k: int) -> str:
    return f"{agency(site, k)}{year_of(k)}年政府信息公开工作年度报告"


def start_path(site: int, family: str) -> str:
    return {"trs_wcm": f"/s{site}/index.html", "hanweb_jcms": f"/s{site}/col/col{site}/index.html",
            "hanweb_jpaas": f"/s{site}/col/nb/index.html", "gkmlpt": f"/s{site}/gkmlpt/index#2641",
            "rendered": f"/s{site}/js/index.html"}[family]


def site_base(base: str, site: int, hosts: bool) -> str:
    """The base URL of a site: ``base`` itself, or with ``hosts`` that of the site's own address."""
    if not hosts:
        return base
    scheme, rest = base.split("://", 1)
    port = rest.rsplit(":", 1)[1] if ":" in rest else ""
    return f"{scheme}://127.0.{site // 250}.{site % 250 + 1}" + (f":{port}" if port else "")


def _proxy_form(site: int) -> dict[str, str]:
    return {"webid": "1", "path": "/", "columnid": str(site), "unitid": str(site), "permissiontype": "0"}


def _jpaas_query(site: int) -> dict[str, str]:
    return {"webId": "w1", "pageId": str(site), "tagId": "信息列表", "tplSetId": "t9"}


class ScalePortal(Portal):
    """Resources computed from the path; ``expected_count`` is the number of reports."""

    def __init__(self, sites: int, reports: int, rendered_every: int = RENDERED_EVERY) -> None:
        super().__init__()
        self.sites, self.reports, self.rendered_every = sites, reports, rendered_every
        self.prefix_handlers["/s"] = self._serve
        self.handlers[PROXY] = self._jcms_proxy
        self.handlers[UNIT_API] = self._jpaas_unit
        self.resources = {"/robots.txt": Resource(b"User-agent: *\nDisallow:\n", "text/plain")}

    @property
    def expected_count(self) -> int:
        return self.sites * self.reports

    def start_urls(self, base: str, hosts: bool = False) -> dict[str, list[str]]:
        """family -> the start URLs of its sites."""
        found: dict[str, list[str]] = {}
        for site in range(self.sites):
            found.setdefault(self.family(site), []).append(site_base(base, site, hosts)
                                                            + start_path(site, self.family(site)))
        return found

    def sources(self, base: str, hosts: bool = False) -> list[dict]:
        """A source a site, as a national sources.yaml lists them (``xxgk crawl --sources``)."""
        return [{"name": f"{family}-{n}", "family": family, "start_urls": [url]}
                for family, urls in self.start_urls(base, hosts).items() for n, url in enumerate(urls)]

    def family(self, site: int) -> str:
        return family_of(site, self.rendered_every)

    def items(self, site: int, ks: range) -> list[tuple[str, str, str]]:
        return [(report_path(site, k), report_title(site, k), report_date(k)) for k in ks]

    def _pages(self, size: int) -> int:
        return max(1, -(-self.reports // size))

    def requests(self, base: str, hosts: bool = False) -> Iterator[tuple[str, str, dict | None]]:
        """(method, URL, form) of every page a complete crawl fetches."""
        for site in range(self.sites):
            family, root = self.family(site), site_base(base, site, hosts)
            yield "GET", root + start_path(site, family).split("#")[0], None
            if family == "trs_wcm":
                for page in range(1, self._pages(PER_PAGE)):
                    yield "GET", f"{root}/s{site}/index_{page}.html", None
            elif family == "hanweb_jcms":
                for start in range(PER_PAGE + 1, self.reports + 1, PER_PAGE):
                    end = min(start + PER_PAGE - 1, self.reports)
                    yield "POST", f"{root}{PROXY}?startrecord={start}&endrecord={end}&perpage={PER_PAGE}", \
                        _proxy_form(site)
            elif family == "hanweb_jpaas":
                for page in range(1, self._pages(PER_PAGE) + 1):
                    params = {**_jpaas_query(site), "parseType": "bulidstatic", "pageType": "column",
                              "paramJson": json.dumps({"pageNo": page, "pageSize": PER_PAGE})}
                    yield "GET", f"{root}{UNIT_API}?{urlencode(params)}", None
            elif family == "gkmlpt":
                for page in range(1, self._pages(PER_PAGE) + 1):
                    yield "GET", f"{root}/s{site}/gkmlpt/api/all/2641?page={page}&sid={site}", None
            for k in range(self.reports):
                yield "GET", root + report_path(site, k), None

    def _site(self, value: str) -> int | None:
        site = int(value) if value.isdigit() else -1
        return site if 0 <= site < self.sites else None

    def _serve(self, method, query, body, rest) -> Resource:
        m = re.match(r"(\d+)/(.*)$", rest)
        site = self._site(m.group(1)) if m else None
        if site is None:
            return Resource(b"not found", status=404)
        path, family = m.group(2), self.family(site)
        report = re.fullmatch(r"\d{6}/t\d{8}_(\d+)\.html", path)
        if report and int(report.group(1)) < self.reports:
            return Resource(report_page(site, int(report.group(1))), HTML)
        name, column = f"{agency(site, 0)}", "政府信息公开年报"
        listing = re.fullmatch(r"index(?:_(\d+))?\.html", path)
        if family == "trs_wcm" and listing:
            page = int(listing.group(1) or 0)
            items = self.items(site, range(page * PER_PAGE, min(self.reports, (page + 1) * PER_PAGE)))
            return Resource(listing_page(name, column, items, page, self._pages(PER_PAGE)).encode("utf-8"), HTML)
        if family == "hanweb_jcms" and path == f"col/col{site}/index.html":
            proxy = f"{PROXY}?page=1&" + urlencode({**_proxy_form(site), "webname": name})
            first = self.items(site, range(min(PER_PAGE, self.reports)))
            html = jcms_column_page(name, column, str(site), proxy, first, PER_PAGE, self.reports)
            return Resource(html.encode("utf-8"), HTML)
        if family == "hanweb_jpaas" and path == "col/nb/index.html":
            return Resource(jpaas_column_page(column, _jpaas_query(site), PER_PAGE).encode("utf-8"), HTML)
        if family == "gkmlpt" and path == "gkmlpt/index":
            return Resource(gkmlpt_index_page(name, str(site)).encode("utf-8"), HTML)
        if family == "gkmlpt" and path.startswith("gkmlpt/api/all/"):  # the API under the site's prefix
            return self._gkmlpt_api(method, query, body, path.rsplit("/", 1)[-1])
        if family == "rendered" and path == "js/index.html":
            return Resource(rendered_page(column, self.items(site, range(self.reports))).encode("utf-8"), HTML)
        return Resource(b"not found", status=404)

    def _jcms_proxy(self, method, query, body) -> Resource:
        form = {**query, **parse_qs(body.decode("utf-8", "replace"))}
        site = self._site(form.get("columnid", [""])[0])
        if method != "POST" or site is None or self.family(site) != "hanweb_jcms":
            return Resource(b"<datastore></datastore>", "text/xml", 400)
        start, end = int(form["startrecord"][0]), int(form["endrecord"][0])
        chunk = self.items(site, range(start - 1, min(end, self.reports)))
        return Resource(jcms_records_xml(chunk, self.reports).encode("utf-8"), "text/xml; charset=utf-8")

    def _jpaas_unit(self, method, query, body) -> Resource:
        site = self._site(query.get("pageId", [""])[0])
        if site is None or self.family(site) != "hanweb_jpaas":
            return Resource(b'{"success":false}', "application/json", 400)
        params = json.loads(query.get("paramJson", ["{}"])[0])
        page, size = int(params.get("pageNo", 1)), int(params.get("pageSize", PER_PAGE))
        chunk = self.items(site, range((page - 1) * size, min(page * size, self.reports)))
        return Resource(jpaas_unit_json(chunk, self.reports), "application/json")

    def _gkmlpt_api(self, method, query, body, cat) -> Resource:
        site = self._site(query.get("sid", [""])[0])
        if site is None or self.family(site) != "gkmlpt" or cat != "2641":
            return Resource(b'{"articles":[],"total":0}', "application/json")
        page = int(query.get("page", ["1"])[0])
        chunk = self.items(site, range((page - 1) * PER_PAGE, min(page * PER_PAGE, self.reports)))
        return Resource(gkmlpt_api_json(chunk, self.reports, page, PER_PAGE), "application/json")


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the scale portal")
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--rendered-every", type=int, default=RENDERED_EVERY)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every 127.x too)")
    args = parser.parse_args()
    portal = ScalePortal(args.sites, args.reports, args.rendered_every)
    httpd = PortalHTTPServer((args.host, args.port), _handler(portal, [], []))
    print(f"serving {args.sites} sites, {portal.expected_count} reports on port {args.port}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
