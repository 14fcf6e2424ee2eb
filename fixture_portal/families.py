"""Fixture sites of the other CMS families, each listing reports its own way.

- Hanweb JCMS: ``/col/colNNN/index.html`` whose first records sit in a
  ``<script type="text/xml">`` datastore; more pages by POST to
  ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``.
- Hanweb jpaas: a column page whose ``<script queryData="{…}">`` parameters drive
  ``/api-gateway/jpaas-publish-server/front/page/build/unit?…`` (JSON with an HTML list).
- Guangdong gkmlpt: ``/gkmlpt/api/all/{catId}?page=N&sid={sid}`` JSON; ``sid`` in the page.
- A listing rendered only by JavaScript in the browser (no links in the HTML).
"""

from __future__ import annotations

import json
import zlib
from html import escape
from urllib.parse import parse_qs

from .pages import article_page
from .render_pdf import render_pdf
from .render_tables import render_docx
from .reports import prose, synthetic_report

DECOYS = ("关于《{a}{y}年政府信息公开工作年度报告》的解读", "{a}{y}年政务公开工作要点", "{a}{y}年部门预算")


def _reports(agencies: tuple[str, ...], years: tuple[int, ...], seed: int) -> list[dict]:
    out = []
    for i, year in enumerate(years):
        agency = agencies[i % len(agencies)]
        report = synthetic_report(agency, year, "2021" if year >= 2021 else "2019", seed + i)
        report["published"] = f"{year + 1}-02-{10 + i:02d}"
        out.append(report)
    return out


def _li(href: str, title: str, date: str) -> str:
    return f'<li><a href="{escape(href)}" title="{escape(title)}" target="_blank">{escape(title)}</a><span>{date}</span></li>'


def _li_span(href: str, title: str, date: str) -> str:
    """The JCMS record many sites print: the title in a span inside the link, the date in <i>."""
    return f'<li><a href="{escape(href)}" target="_blank"><span class="tit">{escape(title)}</span></a><i>{date}</i></li>'


def _publish(portal, site_name: str, site: str, column: str, report: dict, path: str,
             attachment: str | None = None, link_style: str = "a") -> str:
    """Add a report page (or a page with its attachment) and return its listing URL."""
    from .site import Resource, _report_body

    if attachment is None:
        body = _report_body(report)
        portal.expected.append(dict(report, url=path, form="html", site=site_name))
    else:
        kind = attachment
        folder = path.rsplit("/", 1)[0]
        doc_path = f"{folder}/{zlib.crc32(report['title'].encode()):08x}.{kind}"
        if link_style == "named":  # a download address that names no file: only the link's text does
            doc_path = f"{folder}/attach/download/{zlib.crc32(report['title'].encode()):08x}"
        if kind == "pdf":
            data = render_pdf(report, prose(report))
            ctype = "application/pdf"
        else:
            data = render_docx(report, prose(report))
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        portal.resources[doc_path] = Resource(data, ctype)
        if link_style == "pdfjs":
            link = f'<iframe src="/pdfjs/web/viewer.html?file={doc_path}" width="100%" height="800"></iframe>'
        elif link_style == "named":
            link = f'附件：<a href="{doc_path}" target="_blank">{escape(report["title"])}.{kind}</a>'
        elif link_style == "onclick":
            link = f'<a href="javascript:void(0)" onclick="window.open(\'{doc_path}\')">点击下载附件</a>'
        else:
            link = f'<a href="{doc_path}">{escape(report["title"])}.{kind}</a>'
        body = f"<p>{escape(report['title'])}全文见附件。</p><p>{link}</p>"
        portal.expected.append(dict(report, url=doc_path, form=kind, site=site_name))
    html = article_page(site, column, report["title"], report["published"], report["agency"], body)
    portal.resources[path] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
    return path


def _decoys(portal, site: str, column: str, base: str, agency: str, year: int) -> list[tuple[str, str, str]]:
    from .site import Resource

    items = []
    for n, pattern in enumerate(DECOYS):
        title = pattern.format(a=agency, y=year)
        path = f"{base}decoy_{n}.html"
        portal.resources[path] = Resource(article_page(site, column, title, f"{year + 1}-03-01", agency,
                                                       f"<p>{title}。</p>").encode("utf-8"),
                                          "text/html; charset=utf-8")
        portal.decoys.append(title)
        items.append((path, title, f"{year + 1}-03-01"))
    return items


def add_jcms(portal) -> None:
    from .site import Resource

    site, column = "梅江区人民政府", "政府信息公开年报"
    reports = _reports(("梅江区人民政府", "梅江区教育局"), (2019, 2020, 2021, 2022, 2023), 300)
    items = []
    for n, report in enumerate(reports):
        path = f"/jcms/art/{report['year'] + 1}/2/{10 + n}/art_1234_{5600 + n}.html"
        attachment = "pdf" if n == 1 else None
        items.append((_publish(portal, "jcms", site, column, report, path, attachment, "pdfjs"),
                      report["title"], report["published"]))
    items += _decoys(portal, site, column, "/jcms/art/decoys/", "梅江区人民政府", 2022)
    items.sort(key=lambda item: item[2], reverse=True)
    per_page, first = 3, 3
    proxy = "/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=1234&unitid=5678&webname=梅江区人民政府&permissiontype=0"
    page = jcms_column_page(site, column, "5678", proxy, items[:first], per_page, len(items))
    portal.resources["/jcms/col/col1234/index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")

    def dataproxy(method: str, query: dict, body: bytes) -> Resource:
        form = {**query, **parse_qs(body.decode("utf-8", "replace"))}
        if method != "POST" or form.get("columnid", [""])[0] != "1234":
            return Resource(b"<datastore></datastore>", "text/xml", 400)
        start, end = int(form["startrecord"][0]), int(form["endrecord"][0])
        xml = jcms_records_xml(items[start - 1:end], len(items), render=_li_span)  # the other record form
        return Resource(xml.encode("utf-8"), "text/xml; charset=utf-8")

    portal.handlers["/module/web/jpage/dataproxy.jsp"] = dataproxy
    portal.start_paths["jcms"] = "/jcms/col/col1234/index.html"
    portal.families["jcms"] = "hanweb_jcms"
    portal.regions["jcms"] = "广东省/梅州市"


def add_jpaas(portal) -> None:
    from .site import Resource

    site, column = "松阳县人民政府", "政府信息公开年度报告"
    reports = _reports(("松阳县人民政府", "松阳县发展和改革局"), (2020, 2021, 2022, 2023), 400)
    items = []
    for n, report in enumerate(reports):
        path = f"/jpaas/art/{report['year'] + 1}/{n}/art_{9900 + n}.html"
        attachment = "docx" if n == 2 else None
        items.append((_publish(portal, "jpaas", site, column, report, path, attachment, "onclick"),
                      report["title"], report["published"]))
    items += _decoys(portal, site, column, "/jpaas/art/decoys/", "松阳县人民政府", 2021)
    items.sort(key=lambda item: item[2], reverse=True)
    page_size = 3
    # The shell prints its own parseType (as MIIT's does), which the API must be asked with.
    page = jpaas_column_page(column, {"webId": "a1b2", "pageId": "c3d4", "tagId": "信息列表", "tplSetId": "t9",
                                      "parseType": "buildstatic"}, page_size)
    portal.resources["/jpaas/col/nb/index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")

    def build_unit(method: str, query: dict, body: bytes) -> Resource:
        if (query.get("webId", [""])[0] != "a1b2" or query.get("pageId", [""])[0] != "c3d4"
                or query.get("parseType", [""])[0] != "buildstatic"):
            return Resource(b'{"success":false}', "application/json", 400)
        params = json.loads(query.get("paramJson", ["{}"])[0])
        n, size = int(params.get("pageNo", 1)), int(params.get("pageSize", page_size))
        return Resource(jpaas_unit_json(items[(n - 1) * size:n * size], len(items)), "application/json")

    portal.handlers["/api-gateway/jpaas-publish-server/front/page/build/unit"] = build_unit
    portal.start_paths["jpaas"] = "/jpaas/col/nb/index.html"
    portal.families["jpaas"] = "hanweb_jpaas"
    portal.regions["jpaas"] = "浙江省/丽水市"


def add_gkmlpt(portal) -> None:
    from .site import Resource

    site, column = "南山区人民政府", "政府信息公开年报"
    reports = _reports(("南山区人民政府", "南山区民政局"), (2019, 2020, 2021, 2022, 2023, 2024), 500)
    articles = []
    for n, report in enumerate(reports):
        path = f"/gkmlpt/content/{n}/{n}/post_{700 + n}.html"
        _publish(portal, "gkmlpt", site, column, report, path)
        articles.append((path, report["title"], report["published"]))
    articles += _decoys(portal, site, column, "/gkmlpt/content/decoys/", "南山区人民政府", 2023)
    portal.resources["/gkmlpt/index"] = Resource(gkmlpt_index_page(site, "755031").encode("utf-8"),
                                                 "text/html; charset=utf-8")
    per_page = 4

    def api(method: str, query: dict, body: bytes, cat: str) -> Resource:
        if query.get("sid", [""])[0] != "755031" or cat != "2641":
            return Resource(b'{"articles":[],"total":0}', "application/json")
        n = int(query.get("page", ["1"])[0])
        return Resource(gkmlpt_api_json(articles[(n - 1) * per_page:n * per_page], len(articles), n, per_page),
                        "application/json")

    portal.prefix_handlers["/gkmlpt/api/all/"] = api
    portal.start_paths["gkmlpt"] = "/gkmlpt/index#2641"
    portal.families["gkmlpt"] = "gkmlpt"
    portal.regions["gkmlpt"] = "广东省/深圳市"


def add_rendered(portal) -> None:
    from .site import Resource

    site, column = "云溪区人民政府", "政府信息公开年报"
    reports = _reports(("云溪区人民政府",), (2021, 2022, 2023), 600)
    items = []
    for n, report in enumerate(reports):
        path = f"/js/xxgknb/{report['year'] + 1}/t_{n}.html"
        items.append((_publish(portal, "rendered", site, column, report, path), report["title"],
                      report["published"]))
    items += _decoys(portal, site, column, "/js/xxgknb/decoys/", site, 2022)
    page = rendered_page(column, items)
    portal.resources["/js/xxgknb/index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    portal.browser_paths.append("/js/xxgknb/index.html")
    portal.start_paths["rendered"] = "/js/xxgknb/index.html"
    portal.families["rendered"] = "rendered"
    portal.regions["rendered"] = "湖南省/岳阳市"


# --- the pages and answers of each family, shared with the scale portal -----------------------
Item = tuple[str, str, str]  # (href, title, date)


def jcms_column_page(site: str, column: str, unit: str, proxy: str, first: list[Item], per_page: int,
                     total: int) -> str:
    records = "".join(f"<record><![CDATA[{_li(*item)}]]></record>" for item in first)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}_{site}</title></head><body>
<div class="crumbs">首页 &gt; 政府信息公开 &gt; {column}</div>
<div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{proxy}"></a>]]></nextgroup>
<recordset>{records}</recordset></datastore></script></div>
<script language="javascript" src="/module/web/jpage/jquery.jpage.js"></script>
<script>$('#{unit}').jpage({{dataStore: dataStore, perPage: {per_page}, totalRecord: {total}, proxyUrl: '/module/web/jpage/dataproxy.jsp', groupSize: 1}});</script>
</body></html>"""


def jcms_records_xml(chunk: list[Item], total: int, render=_li) -> str:
    return (f"<datastore><totalrecord>{total}</totalrecord><recordset>"
            + "".join(f"<record><![CDATA[{render(*item)}]]></record>" for item in chunk)
            + "</recordset></datastore>")


def jpaas_column_page(column: str, query: dict, page_size: int) -> str:
    data = escape(json.dumps(query, ensure_ascii=False).replace('"', "'"))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}</title></head><body>
<div class="list" id="list"><script type="text/javascript" queryData="{data}" pageSize="{page_size}" src="/jpaas/static/unit.js"></script></div>
</body></html>"""


def jpaas_unit_json(chunk: list[Item], total: int) -> bytes:
    html = "<ul>" + "".join(_li(*item) for item in chunk) + "</ul>"
    return json.dumps({"success": True, "data": {"html": html, "total": total}}, ensure_ascii=False).encode("utf-8")


def gkmlpt_index_page(site: str, sid: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录</title>
<script>window.GKMLPT = {{ sid: '{sid}', site_name: '{site}' }};</script></head><body>
<ul class="category"><li><a href="#2641">政府信息公开年报</a></li><li><a href="#2642">政府信息公开指南</a></li></ul>
<div id="app"></div></body></html>"""


def gkmlpt_api_json(chunk: list[Item], total: int, page: int, per_page: int) -> bytes:
    data = {"articles": [{"title": title, "url": href, "display_publish_time": date} for href, title, date in chunk],
            "total": total, "page": page, "count": per_page}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def rendered_page(column: str, items: list[Item]) -> str:
    """A listing with no links until its script has run (the entries travel as hex JSON)."""
    data = json.dumps([{"u": u, "t": t, "d": d} for u, t, d in items], ensure_ascii=False).encode("utf-8").hex()
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}</title></head><body>
<ul id="list"></ul>
<script>
var raw = "{data}";
var bytes = new Uint8Array(raw.match(/../g).map(function (h) {{ return parseInt(h, 16); }}));
var items = JSON.parse(new TextDecoder("utf-8").decode(bytes));
var ul = document.getElementById("list");
items.forEach(function (it) {{
  var li = document.createElement("li"); var a = document.createElement("a");
  a.href = it.u; a.title = it.t; a.textContent = it.t; li.appendChild(a); ul.appendChild(li);
}});
</script></body></html>"""
