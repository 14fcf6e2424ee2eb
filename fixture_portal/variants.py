"""Sites in the forms real portals print that the plainer fixture sites do not:

- ``gkmlpt_dept``: gkmlpt on a department's sub-site, under a path prefix
  (``/yjzjj/gkmlpt/index#/721``, API ``/yjzjj/gkmlpt/api/all/721?page=N&sid=662021``); the page's
  front end reads ``window._CONFIG = { SID: '662021', CAT: 721, TREE: [...] }``, and articles
  whose ``url`` is empty are addressed by their id (``/yjzjj/gkmlpt/content/0/700/post_700NNN.html``).
- ``news_home``: a home page whose main area is a TRS news list of many pages (no report in it)
  and whose sidebar links 政府信息公开年度报告 (``/xwzx/xxgk/gkndbg/``), a column paged by the newer
  pager ``createPageHTML('page_div', 2, 1, 'index', 'shtml', N)`` (``index.shtml``, ``index_2.shtml``).
- ``jcms_get``: a JCMS column paged by GET (``?uid=5679&pageNum=N``), no data proxy.
- ``small_cms``: a county bureau's column printed by a small CMS: entries in a table, their titles
  cut to 16 characters (``桃源县教育局2023年政府信息公...``, the decoys' too), whose links open by
  script (``href="javascript:void(0)" onclick="window.open('…')"``), and a pager that
  offers a different way on each page: numbered links only (``1 2 … 尾页``), then ``下一页&gt;&gt;``
  in a link of class ``next``, then an arrow image whose link moves by ``onclick``. One report is a
  PDF at ``…/attach/download/<id>``, an address that names no file: only its link's text does.
- ``year_tabs``: a city's 政府信息公开年报 column that lists no report itself: tabs ``2024年``,
  ``2023年`` … lead to one sub-column a year (``/lzs/gknb/2023/index.html``), each listing the reports of
  that year of the city and its departments (a department's by fewer words: ``澧州市财政局2023年度报告``).
- ``js_article``: a plain column whose report pages are shells a script fills: the article's HTML
  travels in the page as hex-encoded data, or as a string in a script (its words are in the page,
  but only inside ``<script>``); only a browser sees the tables.
- ``scan_pages`` (not linked from the portal's pages: its OCR takes seconds): a township's report
  page whose prose is text and whose tables are pictures of the printed pages (JPEG, 150 dpi) in
  the article, the first shown, the next linked (``第2页（点击查看原图）``).
- ``aspnet``: a county's column on ASP.NET WebForms, one ``Default.aspx`` whose further pages are
  postbacks of its form (AspNetPager's ``javascript:__doPostBack('…AspNetPager1','2')`` links), each
  answer with a view state of its own; a post without a view state it issued is refused (500).
- ``trs_script``: a TRS column whose entries a script writes, one ``document.write`` an entry (title and
  address in variables), under TRS's pager script: only a browser sees its links.
- ``js_column``: an ordinary column page (navigation, breadcrumbs, footer) whose list is an empty
  ``<ul>`` that a script fills: only a browser sees its reports, on both of its pages.

The markup follows what those CMSs print on real sites (the forms are described in
``crawler/listings/gkmlpt.py`` and ``trs_wcm.py``); the reports are synthetic.
"""

from __future__ import annotations

import json
from html import escape

from .families import _decoys, _li, _publish, _reports, rendered_page
from .pages import CHROME_BOTTOM, CHROME_TOP


def add_gkmlpt_dept(portal) -> None:
    from .site import Resource

    site, column, prefix, sid, cat = "南山区应急管理局", "政府信息公开年报", "/yjzjj", "662021", "721"
    reports = _reports(("南山区应急管理局",), (2020, 2021, 2022, 2023), 520)
    articles = []
    for n, report in enumerate(reports):
        number = 700_100 + n
        path = f"{prefix}/gkmlpt/content/{number // 1_000_000}/{number // 1000}/post_{number}.html"
        _publish(portal, "gkmlpt_dept", site, column, report, path)
        # half the articles carry their address, the others only their id, as the API answers
        articles.append({"id": number, "title": report["title"], "url": path if n % 2 else "",
                         "display_publish_time": report["published"]})
    for href, title, date in _decoys(portal, site, column, f"{prefix}/gkmlpt/content/d/", site, 2022):
        articles.append({"id": 0, "title": title, "url": href, "display_publish_time": date})
    tree = [{"id": 700, "name": "政府信息公开指南", "children": []},
            {"id": int(cat), "name": column, "children": []}]
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_{site}</title>
<script>window._CONFIG = {{ SID: '{sid}', CAT: {cat}, TREE: {json.dumps(tree, ensure_ascii=False)} }};</script>
<script src="{prefix}/gkmlpt/static/js/app.js"></script></head><body>
<div id="app"><div class="nav"><a href="#/700">政府信息公开指南</a><a href="#/{cat}">{column}</a></div></div>
</body></html>"""
    portal.resources[f"{prefix}/gkmlpt/index"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    per_page = 3

    def api(method: str, query: dict, body: bytes, rest: str) -> Resource:
        if query.get("sid", [""])[0] != sid or rest != cat:
            return Resource(b'{"articles":[],"total":0}', "application/json")
        n = int(query.get("page", ["1"])[0])
        data = {"articles": articles[(n - 1) * per_page:n * per_page], "total": len(articles), "page": n,
                "count": per_page}
        return Resource(json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

    portal.prefix_handlers[f"{prefix}/gkmlpt/api/all/"] = api
    portal.start_paths["gkmlpt_dept"] = f"{prefix}/gkmlpt/index#/{cat}"
    portal.families["gkmlpt_dept"] = "gkmlpt"
    portal.regions["gkmlpt_dept"] = "广东省/深圳市"


def _trs_list(site: str, column: str, items, pager: str, sidebar: str = "") -> str:
    lis = "\n".join(_li(*item) for item in items)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}
<div class="main"><div class="left">{sidebar}</div>
<div class="right"><div class="crumbs">当前位置：<a href="/xwzx/">首页</a> &gt; {column}</div>
<ul class="list">{lis}</ul>
<div id="page_div"></div><script>{pager}</script></div></div>
{CHROME_BOTTOM.format(site=site)}</body></html>"""


# TRS's pager script, as its templates define it beside the list: writes the pager's links.
_CREATE_PAGE_HTML = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  function name(n) { return n == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + n + "." + _sPageExt; }
  document.write("共" + _nPageCount + "页&nbsp;");
  if (nCurrIndex > 0) { document.write("<a href=\\"" + name(0) + "\\">首页</a>&nbsp;<a href=\\"" + name(nCurrIndex - 1) + "\\">上一页</a>&nbsp;"); }
  if (nCurrIndex < _nPageCount - 1) { document.write("<a href=\\"" + name(nCurrIndex + 1) + "\\">下一页</a>&nbsp;<a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>"); }
}"""


def add_trs_script(portal) -> None:
    """A TRS column whose entries are written by script, one ``document.write`` an entry (its title
    and address in variables), under the static pager ``createPageHTML(N, i, "index", "html")``:
    the page as served names no report in its markup, only in its scripts."""
    from .site import Resource

    site, column, folder = "汉寿县人民政府", "政府信息公开年报", "/hsx/zfxxgk/gknb/"
    reports = _reports(("汉寿县人民政府", "汉寿县水利局"), (2019, 2020, 2021, 2022, 2023), 780)
    items = []
    for n, r in enumerate(reports):
        y, m, d = r["published"].split("-")
        items.append((_publish(portal, "trs_script", site, column, r, f"{folder}{y}{m}/t{y}{m}{d}_{800300 + n}.html"),
                      r["title"], r["published"]))
    items += _decoys(portal, site, column, f"{folder}d/", site, 2023)
    items.sort(key=lambda item: item[2], reverse=True)
    per_page = 3
    pages = -(-len(items) // per_page)
    for page in range(pages):
        entries = "".join(
            f'<li><script>var _title = "{title}"; var _url = "{href}";\n'
            "document.write('<a href=\"' + _url + '\" target=\"_blank\" title=\"' + _title + '\">' + _title + '</a>');"
            f"</script><span>{date}</span></li>" for href, title, date in items[page * per_page:(page + 1) * per_page])
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title>
<script>{_CREATE_PAGE_HTML}</script></head>
<body>{CHROME_TOP.format(site=site)}<div class="crumbs">当前位置：<a href="/hsx/">首页</a> &gt; {column}</div>
<ul class="list">{entries}</ul><div class="page"><script>createPageHTML({pages}, {page}, "index", "html");</script></div>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
        name = "index.html" if page == 0 else f"index_{page}.html"
        portal.resources[folder + name] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
        portal.browser_paths.append(folder + name)
    portal.start_paths["trs_script"] = folder + "index.html"
    portal.families["trs_script"] = "trs_wcm"
    portal.regions["trs_script"] = "湖南省/常德市"


def add_news_home(portal) -> None:
    from .site import Resource

    site, base = "清河县人民政府", "/xwzx/"
    sidebar = ('<ul class="side"><li><a href="/xwzx/xxgk/zcwj/">政策文件</a></li>'
               '<li><a href="/xwzx/xxgk/gkndbg/">政府信息公开年度报告</a></li>'
               '<li><a href="/xwzx/xxgk/gkzn/">政府信息公开指南</a></li></ul>')
    news_pages = 12
    for page in range(news_pages):  # the news list: many pages, no report
        items = [(f"{base}news/{page}_{i}.html", f"清河县召开第{page * 10 + i}次常务会议", "2024-05-01")
                 for i in range(10)]
        name = "index.html" if page == 0 else f"index_{page}.html"
        pager = f'createPageHTML({news_pages}, {page}, "index", "html");'
        portal.resources[base + name] = Resource(_trs_list(site, "要闻动态", items, pager, sidebar).encode("utf-8"),
                                                 "text/html; charset=utf-8")
    column, folder = "政府信息公开年度报告", "/xwzx/xxgk/gkndbg/"
    reports = _reports(("清河县人民政府", "清河县财政局"), (2019, 2020, 2021, 2022, 2023), 540)
    items = [(_publish(portal, "news_home", site, column, r, f"{folder}{r['year'] + 1}02/t_{n}.shtml"),
              r["title"], r["published"]) for n, r in enumerate(reports)]
    items += _decoys(portal, site, column, f"{folder}d/", site, 2023)
    per_page, records = 4, len(items)
    pages = -(-records // per_page)
    for page in range(pages):
        name = "index.shtml" if page == 0 else f"index_{page + 1}.shtml"
        pager = f"createPageHTML('page_div', {pages}, {page + 1}, 'index', 'shtml', {records});"
        html = _trs_list(site, column, items[page * per_page:(page + 1) * per_page], pager, sidebar)
        portal.resources[folder + name] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
    portal.resources[folder] = portal.resources[folder + "index.shtml"]
    portal.start_paths["news_home"] = base + "index.html"
    portal.families["news_home"] = "portal"
    portal.regions["news_home"] = "河北省/邢台市"


def add_js_column(portal) -> None:
    from .site import Resource

    site, column = "石门县人民政府", "政府信息公开年报"
    reports = _reports(("石门县人民政府",), (2020, 2021, 2022, 2023), 560)
    items = [(_publish(portal, "js_column", site, column, r, f"/smx/xxgk/nb/{r['year'] + 1}/t_{n}.html"),
              r["title"], r["published"]) for n, r in enumerate(reports)]
    for name, chunk, pager in (("index.html", items[:2], '<a href="index_1.html">下一页</a>'),
                               ("index_1.html", items[2:], '<a href="index.html">上一页</a>')):
        filled = rendered_page(column, chunk)
        script = filled[filled.index("<script>"):filled.index("</body>")]
        page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(column)}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}
<div class="crumbs">当前位置：<a href="/smx/">首页</a> &gt; <a href="/smx/xxgk/">政府信息公开</a> &gt; {column}</div>
<ul id="list"></ul><div class="pager">{pager}</div>{script}
{CHROME_BOTTOM.format(site=site)}</body></html>"""
        portal.resources["/smx/xxgk/nb/" + name] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
        portal.browser_paths.append("/smx/xxgk/nb/" + name)
    home = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="side"><li><a href="/smx/xxgk/nb/index.html">{column}</a></li></ul>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
    portal.resources["/smx/index.html"] = Resource(home.encode("utf-8"), "text/html; charset=utf-8")
    portal.start_paths["js_column"] = "/smx/index.html"
    portal.families["js_column"] = "portal"
    portal.regions["js_column"] = "湖南省/常德市"


def add_jcms_get(portal) -> None:
    """A JCMS column without a data proxy, paged by GET: ``index.html?uid=5679&pageNum=N``, each page
    with its own datastore of records (the form many provincial JCMS sites print)."""
    from .site import Resource

    site, column, path, unit = "开化县人民政府", "政府信息公开年报", "/kh/col/col5679/index.html", "5679"
    reports = _reports(("开化县人民政府", "开化县民政局"), (2019, 2020, 2021, 2022, 2023, 2024), 580)
    items = [(_publish(portal, "jcms_get", site, column, r, f"/kh/art/{r['year'] + 1}/1/{n}/art_5679_{n}.html"),
              r["title"], r["published"]) for n, r in enumerate(reports)]
    items += _decoys(portal, site, column, "/kh/art/d/", site, 2023)
    per_page = 3
    pages = -(-len(items) // per_page)

    def page(method: str, query: dict, body: bytes) -> Resource:
        n = int(query.get("pageNum", ["1"])[0])
        if query.get("uid", [unit])[0] != unit or not 1 <= n <= pages:
            return Resource(b"<html><body>404</body></html>", status=404)
        records = "".join(f"<record><![CDATA[{_li(*item)}]]></record>"
                          for item in items[(n - 1) * per_page:n * per_page])
        links = "".join(f'<a href="{path}?uid={unit}&amp;pageNum={k}">{k}</a>' for k in range(1, pages + 1))
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}_{site}</title></head><body>
<div id="{unit}"><script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script></div>
<script>$('#{unit}').jpage({{dataStore: dataStore, perPage: {per_page}, totalRecord: {len(items)}}});</script>
<div class="pages">{links}</div></body></html>"""
        return Resource(html.encode("utf-8"), "text/html; charset=utf-8")

    portal.handlers[path] = page
    portal.start_paths["jcms_get"] = path
    portal.families["jcms_get"] = "hanweb_jcms"
    portal.regions["jcms_get"] = "浙江省/衢州市"


def add_aspnet(portal) -> None:
    """A county's column on ASP.NET WebForms: one ``Default.aspx`` whose further pages are
    postbacks of its form (``__doPostBack('ctl00$cph$AspNetPager1','2')`` under 下一页 and the
    numbers, as AspNetPager 7.x prints them, disabled links without ``href``), each answer
    carrying a new ``__VIEWSTATE``; a post without the view state, or with one this server did not
    issue, is refused as ASP.NET refuses it (500)."""
    import base64
    from urllib.parse import parse_qs

    from .site import Resource

    site, column, path, target = "慈利县人民政府", "政府信息公开年报", "/clx/xxgk/ndbg/Default.aspx", "ctl00$cph$AspNetPager1"
    reports = _reports(("慈利县人民政府", "慈利县农业农村局"), (2019, 2020, 2021, 2022, 2023), 760)
    items = [(_publish(portal, "aspnet", site, column, r, f"/clx/xxgk/ndbg/{r['year'] + 1}/{n:03d}.html"),
              r["title"], r["published"]) for n, r in enumerate(reports)]
    items += _decoys(portal, site, column, "/clx/xxgk/d/", site, 2023)
    per_page = 3
    pages = -(-len(items) // per_page)
    state = {n: base64.b64encode(f"/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAg{n}".encode()).decode()
             for n in range(1, pages + 1)}

    def page(method: str, query: dict, body: bytes) -> Resource:
        n = 1
        if method == "POST":
            form = parse_qs(body.decode("utf-8", "replace"))
            if form.get("__VIEWSTATE", [""])[0] not in state.values():
                return Resource(b"<html><body><h2>Server Error in '/' Application.</h2>"
                                b"<p>Validation of viewstate MAC failed.</p></body></html>", status=500)
            if form.get("__EVENTTARGET", [""])[0] == target:
                n = int(form.get("__EVENTARGUMENT", ["1"])[0] or 1)
        if not 1 <= n <= pages:
            return Resource(b"<html><body>404</body></html>", status=404)
        rows = "".join(f'<tr><td><a href="{escape(href)}" target="_blank">{escape(title)}</a></td><td>{date}</td></tr>'
                       for href, title, date in items[(n - 1) * per_page:n * per_page])

        def link(label: str, to: int) -> str:
            if to == n or not 1 <= to <= pages:
                return f'<a disabled="disabled" style="margin-right:5px;">{label}</a>'
            return f"<a href=\"javascript:__doPostBack('{target}','{to}')\" style=\"margin-right:5px;\">{label}</a>"

        numbers = "".join(f'<span style="margin-right:5px;font-weight:Bold;color:red;">{k}</span>' if k == n
                          else link(str(k), k) for k in range(1, pages + 1))
        pager = (f'<div id="ctl00_cph_AspNetPager1"><div style="float:left;">共{len(items)}条 每页{per_page}条 '
                 f"当前第{n}页/{pages}页</div><div>{link('首页', 1)}{link('上一页', n - 1)}{numbers}"
                 f"{link('下一页', n + 1)}{link('尾页', pages)}</div></div>")
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<form method="post" action="./Default.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state[n]}" /></div>
<script type="text/javascript">var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit(); }} }}</script>
<div class="search"><input name="ctl00$txtKey" type="text" id="ctl00_txtKey" /><input type="submit" name="ctl00$btnSearch" value="搜索" /></div>
<table class="list" width="100%"><tr><th>标题</th><th>日期</th></tr>{rows}</table>{pager}
<div class="aspNetHidden"><input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAAOx{n}" /></div>
</form>{CHROME_BOTTOM.format(site=site)}</body></html>"""
        return Resource(html.encode("utf-8"), "text/html; charset=utf-8")

    portal.handlers[path] = page
    portal.start_paths["aspnet"] = path
    portal.families["aspnet"] = "portal"
    portal.regions["aspnet"] = "湖南省/常德市"


def _cut(title: str, width: int = 16) -> str:
    """A title as listings print it in a fixed width: cut, with an ellipsis, and no title attribute."""
    return title if len(title) <= width else title[:width] + "..."


def add_small_cms(portal) -> None:
    from .site import Resource

    site, column, folder = "桃源县教育局", "政府信息公开年度报告", "/tyjy/xxgk/ndbg/"
    reports = _reports(("桃源县教育局",), (2019, 2020, 2021, 2022, 2023, 2024), 620)
    # the 2021 report is a PDF behind a download address without extension, named by its link's text
    items = [(_publish(portal, "small_cms", site, column, r, f"{folder}{r['year'] + 1}/c{n:04d}.htm",
                       **({"attachment": "pdf", "link_style": "named"} if r["year"] == 2021 else {})),
              r["title"], r["published"]) for n, r in enumerate(reports)]
    items += _decoys(portal, site, column, f"{folder}d/", site, 2023)
    per_page = 2
    pages = -(-len(items) // per_page)
    names = ["list.htm"] + [f"list_{n}.htm" for n in range(2, pages + 1)]
    for n, name in enumerate(names, start=1):
        rows = "".join(
            f'<tr><td><a href="javascript:void(0)" onclick="window.open(\'{escape(href)}\')">{escape(_cut(title))}</a></td>'
            f"<td>{date}</td></tr>" for href, title, date in items[(n - 1) * per_page:n * per_page])
        following = names[n] if n < pages else None
        if n == 1:  # a window of page numbers, and the last page
            pager = "".join(f'<a href="{names[k - 1]}">{k}</a>' for k in (1, 2)) + f'<a href="{names[-1]}">尾页</a>'
        elif following and n % 2 == 0:
            pager = f'<a href="{names[n - 2]}">上一页</a><a class="next" href="{following}">下一页&gt;&gt;</a>'
        elif following:
            pager = (f'<a href="javascript:;" onclick="location.href=\'{following}\'">'
                     '<img src="/tyjy/images/next.gif" alt="下一页"></a>')
        else:
            pager = f'<a href="{names[0]}">首页</a>'
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}
<table class="list" width="100%"><tr><th>标题</th><th>日期</th></tr>{rows}</table>
<div class="pager">共{len(items)}条 第{n}/{pages}页 {pager}</div>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
        portal.resources[folder + name] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
    portal.start_paths["small_cms"] = folder + "list.htm"
    portal.families["small_cms"] = "portal"
    portal.regions["small_cms"] = "湖南省/常德市"


def add_year_tabs(portal) -> None:
    from .site import Resource

    site, column, folder = "澧州市人民政府", "政府信息公开年报", "/lzs/gknb/"
    agencies = ("澧州市人民政府", "澧州市财政局", "澧州市卫生健康委员会")
    years = (2021, 2022, 2023)
    tabs = "".join(f'<li><a href="{folder}{year}/index.html">{year}年</a></li>' for year in reversed(years))
    for offset, year in enumerate(years):
        reports = _reports(agencies, (year,) * len(agencies), 640 + 10 * offset)
        for n, report in enumerate(reports):
            report["agency"] = agencies[n]
            report["title"] = f"{agencies[n]}{year}年政府信息公开工作年度报告"
        # the listing names a department's report by fewer words than its page does
        items = [(_publish(portal, "year_tabs", site, column, r, f"{folder}{year}/t{year + 1}0215_{n}.html"),
                  f"{r['agency']}{year}年度报告" if n == 1 else r["title"], r["published"])
                 for n, r in enumerate(reports)]
        lis = "".join(_li(*item) for item in items)
        page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{year}年-{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="tabs">{tabs}</ul><ul class="list">{lis}</ul>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
        portal.resources[f"{folder}{year}/index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<h2>{column}</h2><ul class="tabs">{tabs}</ul><p>请选择年度。</p>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
    portal.resources[folder + "index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    portal.start_paths["year_tabs"] = folder + "index.html"
    portal.families["year_tabs"] = "portal"
    portal.regions["year_tabs"] = "湖南省/澧州市"


def _shell_article(site: str, column: str, report: dict, hex_data: bool) -> str:
    """A report page whose article a script writes into an empty container."""
    from .site import _report_body

    body = _report_body(report)
    if hex_data:
        data = f'var raw = "{body.encode("utf-8").hex()}";\n' \
               "var html = new TextDecoder('utf-8').decode(new Uint8Array(raw.match(/../g).map(" \
               "function (h) { return parseInt(h, 16); })));"
    else:
        data = f"var html = {json.dumps(body, ensure_ascii=False)};"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(report["title"])}-{site}</title>
<meta name="ArticleTitle" content="{escape(report["title"])}"><meta name="PubDate" content="{report["published"]}">
</head><body>{CHROME_TOP.format(site=site)}
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; {column}</div>
<h1>{escape(report["title"])}</h1><div id="content"></div>
<script>{data}
document.getElementById("content").innerHTML = html;</script>
{CHROME_BOTTOM.format(site=site)}</body></html>"""


def add_js_article(portal) -> None:
    from .site import Resource

    site, column, folder = "安乡县人民政府", "政府信息公开年报", "/axx/zfxxgknb/"
    reports = _reports(("安乡县人民政府", "安乡县水利局"), (2022, 2023), 660)
    items = []
    for n, report in enumerate(reports):
        path = f"{folder}{report['year'] + 1}/a{n}.html"
        portal.resources[path] = Resource(_shell_article(site, column, report, hex_data=n == 0).encode("utf-8"),
                                          "text/html; charset=utf-8")
        portal.expected.append(dict(report, url=path, form="script", site="js_article"))
        portal.browser_paths.append(path)
        items.append((path, report["title"], report["published"]))
    lis = "".join(_li(*item) for item in items)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="list">{lis}</ul>{CHROME_BOTTOM.format(site=site)}</body></html>"""
    portal.resources[folder + "index.html"] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    portal.start_paths["js_article"] = folder + "index.html"
    portal.families["js_article"] = "portal"
    portal.regions["js_article"] = "湖南省/常德市"


def add_scan_pages(portal) -> None:
    """Kept apart (``portal.unlisted``): crawled only by the tests that ask for it."""
    from .pages import article_page
    from .reports import prose
    from .site import Resource

    site, column, folder = "龙阳镇人民政府", "政府信息公开年报", "/lyz/xxgk/nb/"
    report = _reports(("龙阳镇人民政府",), (2023,), 680)[0]
    printed = _page_pictures(report)
    pictures = [f"{folder}2024/W020240215{n}.jpg" for n in range(1, len(printed) + 1)]
    words = prose(report)
    body = (f"<p>{words['overview']}</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>（各表见下图）</p>"
            + "".join(f'<p style="text-align:center"><img src="{src}" width="800" alt=""></p>' if n == 0 else
                      f'<p><a href="{src}" target="_blank">第{n + 1}页（点击查看原图）</a></p>'
                      for n, src in enumerate(pictures)))
    page = f"{folder}2024/t20240215_1.html"
    portal.resources[page] = Resource(article_page(site, column, report["title"], report["published"], site,
                                                   body).encode("utf-8"), "text/html; charset=utf-8")
    for src, picture in zip(pictures, printed, strict=True):
        portal.resources[src] = Resource(picture, "image/jpeg")
    listing = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="list">{_li(page, report["title"], report["published"])}</ul>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
    portal.resources[folder + "index.html"] = Resource(listing.encode("utf-8"), "text/html; charset=utf-8")
    portal.unlisted["scan_pages"] = {"start": folder + "index.html", "expected": [dict(report, url=page)],
                                     "region": "湖南省/常德市"}


def _page_pictures(report: dict) -> list[bytes]:
    """The report's PDF printed and scanned: one JPEG a page at 150 dpi."""
    import io

    import pypdfium2 as pdfium

    from .render_pdf import render_pdf
    from .reports import prose

    pdf = pdfium.PdfDocument(render_pdf(report, prose(report)))
    try:
        pages = []
        for page in pdf:
            out = io.BytesIO()
            page.render(scale=150 / 72).to_pil().convert("L").save(out, "JPEG", quality=90)
            pages.append(out.getvalue())
        return pages
    finally:
        pdf.close()


VARIANTS = (add_gkmlpt_dept, add_news_home, add_js_column, add_jcms_get, add_small_cms, add_year_tabs,
            add_js_article, add_scan_pages, add_aspnet, add_trs_script)
