"""The fixture portal: every path it serves, built in memory from the fixture reports.

Two sites in the TRS/WCM style:

- ``/zfxxgk/zfxxgknb/``: UTF-8, three listing pages mixing reports of several agencies and
  years (both templates), decoys, one report published only as a DOCX attachment, one
  traditional-script edition, one detail link that 404s, one that answers 500 and one
  page whose table cannot be read.
- ``/gbk/xxgk/ndbg/``: GBK-encoded, charset only in ``<meta>``; two listing pages.

``build_portal()`` returns the site and the ground truth: the reports a correct crawl
stores (``expected``) and the titles it must not (``decoys``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import opencc

from .pages import article_page, listing_page
from .render_tables import TABLES, render_docx, render_html_table
from .reports import AGENCIES, SHARED, prose, shared_report, synthetic_report


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    modified: float | None = None  # Last-Modified (epoch seconds); a fixed time when None


@dataclass
class Portal:
    resources: dict[str, Resource] = field(default_factory=dict)
    expected: list[dict] = field(default_factory=list)  # reports, with "url" and "site"
    decoys: list[str] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # path -> what is wrong
    start_paths: dict[str, str] = field(default_factory=dict)  # site name -> column index
    regions: dict[str, str] = field(default_factory=lambda: {"main": "湖南省/临江市", "gbk": "江西省/赣州市"})
    families: dict[str, str] = field(default_factory=lambda: {"main": "trs_wcm", "gbk": "trs_wcm"})
    # Dynamic resources: path -> handler(method, query, body) / prefix -> handler(..., rest)
    handlers: dict = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    prefix_handlers: dict = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # path -> seconds before it answers
    # Anti-bot walls: path prefix -> guard(rest of the path, request headers), which answers a
    # Resource (the challenge) in place of the page, or None to let the request through.
    guards: dict = field(default_factory=dict)
    # Pages discovery fetches a second time through the browser: listings that only script fills,
    # report pages whose article script writes, pages printing no table word beside their script.
    browser_paths: list[str] = field(default_factory=list)
    # Sites no page of the portal links to, for the tests that crawl them alone: name ->
    # {"start": path, "expected": [reports], "region": …}
    unlisted: dict[str, dict] = field(default_factory=dict)

    def served_reports(self) -> list[dict]:
        """The expected reports whose bytes as served hold their tables (all but the articles a
        script writes, form ``script``, which a crawl reads through the browser)."""
        return [e for e in self.expected if e["form"] != "script"]


def _report_body(report: dict, *, split_digits: bool = False, style: str = "plain") -> str:
    sections = prose(report)
    parts = [f'<p class="MsoNormal" style="text-indent:2em">{sections["overview"]}</p>',
             '<p class="MsoNormal"><b>一、总体情况</b></p>',
             f'<p class="MsoNormal" style="text-indent:2em">{sections["overview"]}</p>']
    for heading, build in TABLES:
        parts.append(f'<p class="MsoNormal"><b>{heading}</b></p>')
        parts.append(render_html_table(build(report, style), split_digits=split_digits))
    parts += ['<p class="MsoNormal"><b>五、存在的主要问题及改进情况</b></p>',
              f'<p class="MsoNormal">{sections["problems"]}</p>',
              '<p class="MsoNormal"><b>六、其他需要报告的事项</b></p>',
              f'<p class="MsoNormal">{sections["other_matters"]}</p>']
    return "\n".join(parts)


def _reports() -> list[dict]:
    reports = [shared_report(stem) for stem in SHARED]
    seed = 100
    for year in range(2019, 2025):
        for agency in AGENCIES[(year - 2019) % 3:: 3][:2]:
            template = "2021" if year >= 2021 else "2019"
            reports.append(synthetic_report(agency, year, template, seed))
            seed += 1
    # Kept the 2019 template after 2021: the headers, not the year, decide.
    reports.append(synthetic_report("河西区卫生健康委员会", 2021, "2019", 900))
    # Printed arithmetic that does not hold, as in many real reports: kept as printed, flagged.
    broken = synthetic_report("河西区卫生健康委员会", 2022, "2021", 901)
    broken["tables"]["applications"]["new_received"]["natural_person"] += 5
    broken["tables"]["applications"]["new_received"]["total"] += 5
    broken["broken"] = ["identity_broken"]
    reports.append(broken)
    return reports


def build_portal() -> Portal:
    portal = Portal()
    reports = _reports()
    # Deterministic publication dates.
    for i, r in enumerate(reports):
        r["published"] = f"{r['year'] + 1}-01-{10 + i % 18:02d}"
    gbk_reports = [r for r in reports if r["agency"] in ("定南县财政局", "南平镇人民政府")]
    main_reports = [r for r in reports if r not in gbk_reports]

    def detail_path(base: str, r: dict, n: int, ext: str = "html") -> str:
        y, m, d = r["published"].split("-")
        return f"{base}{y}{m}/t{y}{m}{d}_{700000 + n}.{ext}"

    # --- main site (UTF-8) ---
    site, column, base = "临江市人民政府", "政府信息公开年报", "/zfxxgk/zfxxgknb/"
    to_simplified_reverse = opencc.OpenCC("s2t.json").convert
    items: list[tuple[str, str, str]] = []
    for n, r in enumerate(main_reports):
        path = detail_path(base, r, n)
        title = r["title"]
        if n == 0:  # published only as a DOCX attachment of its page
            doc_path = f"{base}{path.split('/')[-2]}/P0{700000 + n}.docx"
            portal.resources[doc_path] = Resource(
                render_docx(r, prose(r)),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            body = (f"<p>{r['agency']}{r['year']}年政府信息公开工作年度报告全文详见附件。</p>"
                    f'<p>附件：<a href="./{doc_path.split("/")[-1]}">{title}.docx</a></p>')
            r = dict(r, url=doc_path, form="docx")
        elif n == 1:  # traditional-script edition of the page
            body = to_simplified_reverse(_report_body(r))
            r = dict(r, url=path, form="traditional")
        else:
            body = _report_body(r, split_digits=n % 3 == 0, style="fullwidth" if n % 5 == 0 else "plain")
            r = dict(r, url=path, form="html")
        page_title = to_simplified_reverse(title) if r["form"] == "traditional" else title
        html = article_page(site, column, page_title, r["published"], r["agency"], body)
        portal.resources[path] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
        items.append((f"./{path[len(base):]}", title, r["published"]))
        portal.expected.append(dict(r, site="main"))
    decoys = [
        ("关于《临江市教育局2021年政府信息公开工作年度报告》的解读", "2022-01-20"),
        ("临江市人民政府2023年政务公开工作要点", "2023-03-02"),
        ("临江市人民政府2022年法治政府建设年度报告", "2023-02-11"),
        ("临江市财政局2021年部门决算", "2022-08-30"),
    ]
    for n, (title, date) in enumerate(decoys):
        y, m, d = date.split("-")
        path = f"{base}{y}{m}/t{y}{m}{d}_{800000 + n}.html"
        body = f"<p>{title}。为进一步做好相关工作，现将有关情况说明如下。</p>"
        portal.resources[path] = Resource(article_page(site, column, title, date, site, body).encode())
        items.append((f"./{path[len(base):]}", title, date))
        portal.decoys.append(title)
    # Misbehaving detail pages: the crawl records each with its reason and goes on.
    for n, (title, status) in enumerate((("北塘街道办事处2019年政府信息公开工作年度报告（旧版）", 404),
                                         ("东川区人民政府2018年政府信息公开工作年度报告", 500))):
        path = f"{base}201902/t20190215_90000{n}.html"
        portal.resources[path] = Resource(f"<html><body>Error {status}</body></html>".encode(), status=status)
        portal.broken[path] = f"http {status}"
        items.append((f"./{path[len(base):]}", title, "2019-02-15"))
    path = f"{base}202001/t20200120_900009.html"
    title = "临江市统计局2019年政府信息公开工作年度报告"
    portal.resources[path] = Resource(article_page(
        site, column, title, "2020-01-20", "临江市统计局",
        "<table><tr><td>数据</td><td>见上级网站</td></tr></table><p>本报告表格正在更新。</p>").encode())
    portal.broken[path] = "unrecognised_layout"
    portal.browser_paths.append(path)  # no table word, and script in its chrome: the browser is tried
    items.append((f"./{path[len(base):]}", title, "2020-01-20"))
    items.sort(key=lambda item: item[2], reverse=True)
    _paginate(portal, site, column, base, items, per_page=8)
    portal.start_paths["main"] = base + "index.html"

    # --- GBK site: charset only in <meta>, header without one ---
    site, column, base = "定南县人民政府", "政府信息公开年度报告", "/gbk/xxgk/ndbg/"
    items = []
    for n, r in enumerate(gbk_reports):
        path = detail_path(base, r, 50 + n)
        html = article_page(site, column, r["title"], r["published"], r["agency"], _report_body(r),
                            charset="gb2312")
        portal.resources[path] = Resource(html.encode("gb18030"), "text/html")
        items.append((f"./{path[len(base):]}", r["title"], r["published"]))
        portal.expected.append(dict(r, url=path, form="gbk", site="gbk"))
    items.append(("./202003/t20200301_990001.html", "定南县人民政府政府信息公开指南", "2020-03-01"))
    portal.resources[f"{base}202003/t20200301_990001.html"] = Resource(article_page(
        site, column, "定南县人民政府政府信息公开指南", "2020-03-01", site, "<p>指南正文</p>",
        charset="gb2312").encode("gb18030"), "text/html")
    portal.decoys.append("定南县人民政府政府信息公开指南")
    items.sort(key=lambda item: item[2], reverse=True)
    _paginate(portal, site, column, base, items, per_page=3, charset="gb2312")
    portal.start_paths["gbk"] = base + "index.html"
    from .challenges import add_challenge_sites, add_lookalike
    from .families import add_gkmlpt, add_jcms, add_jpaas, add_rendered
    from .variants import VARIANTS

    for add in (add_jcms, add_jpaas, add_gkmlpt, add_rendered, *VARIANTS, add_challenge_sites, add_lookalike):
        add(portal)
    portal.resources["/"] = Resource(_home(portal).encode("utf-8"), "text/html; charset=utf-8")
    portal.resources["/zfxxgk/index.html"] = Resource(_disclosure_page(portal).encode("utf-8"),
                                                      "text/html; charset=utf-8")
    portal.resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
    return portal


def _paginate(portal: Portal, site: str, column: str, base: str, items: list, per_page: int,
              charset: str = "utf-8") -> None:
    pages = max(1, -(-len(items) // per_page))
    for page in range(pages):
        name = "index.html" if page == 0 else f"index_{page}.html"
        html = listing_page(site, column, items[page * per_page:(page + 1) * per_page], page, pages, charset)
        encoded = html.encode("gb18030" if charset != "utf-8" else "utf-8")
        portal.resources[base + name] = Resource(encoded, "text/html" if charset != "utf-8" else
                                                 "text/html; charset=utf-8")


def _home(portal: Portal) -> str:
    return ("<html><head><meta charset='utf-8'><title>临江市人民政府</title></head><body>"
            "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/zfxxgk/index.html'>政府信息公开</a></li>"
            "<li><a href='/hdjl/'>互动交流</a></li></ul></body></html>")


def _disclosure_page(portal: Portal) -> str:
    """The 政府信息公开 page: guide, rules, and the annual-report column of each site."""
    links = "".join(f'<li><a href="{path}">政府信息公开年报</a></li>'
                    for path in portal.start_paths.values())
    return ("<html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
            "<ul><li><a href='/zfxxgk/zn.html'>政府信息公开指南</a></li>"
            f"<li><a href='/zfxxgk/zd.html'>政府信息公开制度</a></li>{links}</ul></body></html>")
