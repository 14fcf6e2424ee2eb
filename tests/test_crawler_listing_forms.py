"""Listing readers and link scope on the forms real portals print.

The markup below keeps the fields, names and values real pages carry (the site each form was
seen on is named beside it; the forms are quoted in public crawler repositories and in the
issue reports that found them); the surrounding page is cut to what the readers look at.
"""

import json

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse

from crawler.listings import READERS, ReportLink
from crawler.listings.gkmlpt import article_url, gkmlpt_prefix
from crawler.middlewares.link_safety import LinkSafetyMiddleware, site_domain


def _response(url: str, body: str, meta: dict | None = None, cls=HtmlResponse) -> TextResponse:
    request = Request(url, meta=meta or {})
    return cls(url.split("#")[0], body=body.encode("utf-8"), encoding="utf-8", request=request)


GKMLPT = READERS["gkmlpt"]


@pytest.mark.parametrize(("url", "page", "api"), [
    # www.gd.gov.cn/gkmlpt/index: the config in capitals, the category as a "#/" route
    ("http://www.gd.gov.cn/gkmlpt/index#/5",
     "<script>window._CONFIG = { SID: '2', CAT: 5 };</script><div id='app'></div>",
     "http://www.gd.gov.cn/gkmlpt/api/all/5?page=1&sid=2"),
    # a Shenzhen district bureau: gkmlpt under the bureau's path prefix, its own sid
    ("http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/index#721",
     "<script>window._CONFIG = {SID:'755325'}</script>",
     "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/api/all/721?page=1&sid=755325"),
    # an emergency bureau's sub-site: no category in the address; the tree names the report column
    ("http://www.example.gov.cn/yjzjj/gkmlpt/index",
     "<script>window._CONFIG = { SID: '662021', TREE: [{\"id\": 719, \"name\": \"政府信息公开指南\"}, "
     "{\"id\": 721, \"name\": \"政府信息公开年报\", \"children\": []}] };</script>",
     "http://www.example.gov.cn/yjzjj/gkmlpt/api/all/721?page=1&sid=662021"),
    # the older shell: sid in lower case, categories as "#id" links
    ("http://www.sz.gov.cn/gkmlpt/index",
     "<script>window.GKMLPT = { sid: '755031' };</script><a href='#2641'>政府信息公开年报</a><a href='#26'>指南</a>",
     "http://www.sz.gov.cn/gkmlpt/api/all/2641?page=1&sid=755031"),
])
def test_gkmlpt_shells_lead_to_the_report_category(url, page, api):
    response = _response(url, f"<html><head>{page}</head><body></body></html>")
    assert GKMLPT.detect(response)
    assert [r.url for r in GKMLPT.read(response)] == [api]


def test_gkmlpt_articles_without_url_are_addressed_by_id():
    api = "http://www.example.gov.cn/yjzjj/gkmlpt/api/all/721?page=1&sid=662021"
    data = {"articles": [
        {"id": 4031233, "title": "2023年政府信息公开工作年度报告", "url": "", "display_publish_time": "2024-01-20"},
        {"id": 4031234, "title": "2022年政府信息公开工作年度报告", "post_url": "/yjzjj/gkmlpt/content/4/4031/p.html"},
        {"id": 4031235, "title": "2021年政府信息公开工作年度报告",
         "url": "http://www.example.gov.cn/yjzjj/gkmlpt/content/4/4031/post_4031235.html"},
    ], "total": 7, "count": 3}
    response = _response(api, json.dumps(data, ensure_ascii=False),
                         {"xxgk_stage": "api", "xxgk_page": 1, "xxgk_cat": "721", "xxgk_sid": "662021"}, TextResponse)
    out = list(GKMLPT.read(response))
    links = [item.url for item in out if isinstance(item, ReportLink)]
    assert links == ["http://www.example.gov.cn/yjzjj/gkmlpt/content/4/4031/post_4031233.html",
                     "http://www.example.gov.cn/yjzjj/gkmlpt/content/4/4031/p.html",
                     "http://www.example.gov.cn/yjzjj/gkmlpt/content/4/4031/post_4031235.html"]
    assert [item.url for item in out if isinstance(item, Request)] == [api.replace("page=1", "page=2")]


def test_gkmlpt_prefix_and_article_url():
    assert gkmlpt_prefix("http://a.gov.cn/gkmlpt/index") == ""
    assert gkmlpt_prefix("http://a.gov.cn/yjzjj/gkmlpt/api/all/721?page=1") == "/yjzjj"
    assert gkmlpt_prefix("http://a.gov.cn/xxgk/index.html") is None
    assert article_url("/x", {"id": "17", "url": ""}) == "/x/gkmlpt/content/0/0/post_17.html"
    assert article_url("", {"title": "no id"}) is None


@pytest.mark.parametrize(("host", "domain"), [
    ("gjj.beijing.gov.cn", "beijing.gov.cn"), ("zfxxgk.beijing.gov.cn", "beijing.gov.cn"),
    ("www.miit.gov.cn", "miit.gov.cn"), ("xxgk.example.com.cn", "example.com.cn"),
    ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
])
def test_site_domain_is_the_registrable_domain(host, domain):
    assert site_domain(host) == domain


class _Spider:
    def __init__(self, *start_urls):
        self.start_urls = list(start_urls)


@pytest.mark.parametrize(("start", "url", "kind", "allowed"), [
    # Beijing's housing fund centre publishes its reports on the city's shared disclosure platform
    ("http://gjj.beijing.gov.cn/web/zwgk61/index.html",
     "http://zfxxgk.beijing.gov.cn/110094/zfxxgknb/2024/index.html", "listing", True),
    # Hefei's public security bureau (a provincial domain) on the city's disclosure platform
    ("http://hf.ahga.gov.cn/xxgk/index.html", "https://zwgk.hefei.gov.cn/public/2024/nb.html", "page", True),
    ("http://hf.ahga.gov.cn/xxgk/index.html", "https://zwgk.hefei.gov.cn/public/column.html", "listing", False),
    ("http://www.linjiang.gov.cn/zfxxgk/", "http://mirror.example.com/nb.pdf", "attachment", False),
    ("http://www.linjiang.gov.cn/zfxxgk/", "http://10.0.0.5/nb.pdf", "attachment", False),
])
def test_scope_by_registrable_domain_and_government_platforms(start, url, kind, allowed):
    refusal = LinkSafetyMiddleware(1, 1).refusal(url, _Spider(start), start, kind)
    assert (refusal is None) == allowed, refusal


def test_discovery_does_not_page_through_news_and_finds_the_sidebar_column(portal, portal_url, tmp_path):
    from test_crawler_end_to_end import run_xxgk

    from fixture_portal.server import PortalServer
    from storage.repository import Repository

    with PortalServer(portal) as server:
        db = f"sqlite:///{tmp_path / 'x.sqlite'}"
        run_xxgk(["crawl", "--start-url", server.url + portal.start_paths["news_home"]], tmp_path, db)
        asked = {path for _, path in server.asked}
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]) for r in repo.report_dicts()}
    repo.close()
    assert stored == {(e["agency"], e["year"]) for e in portal.expected if e["site"] == "news_home"}
    assert "/xwzx/xxgk/gkndbg/index_2.shtml" in asked  # the newer pager's second page
    assert not {path for path in asked if path.startswith("/xwzx/index_")}  # the news list's pages


@pytest.mark.parametrize(("record", "title", "date"), [
    # the common record: title attribute and link text, date in a span
    ('<li><a href="/art/2024/1/20/art_1229_1.html" title="2023年政府信息公开工作年度报告">'
     '2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>', "2023年政府信息公开工作年度报告", "2024-01-20"),
    # title in a span inside the link, date in <i>
    ('<li><a href="/art/2023/1/18/art_1229_2.html" target="_blank">'
     '<span class="tit">2022年政府信息公开工作年度报告</span></a><i>2023-01-18</i></li>',
     "2022年政府信息公开工作年度报告", "2023-01-18"),
    # date in <b>, printed with 年月日
    ('<li><a href="/art/2022/1/25/art_1229_3.html">2021年度政府信息公开工作报告</a><b>2022年01月25日</b></li>',
     "2021年度政府信息公开工作报告", "2022年01月25日"),
])
def test_jcms_record_variants(record, title, date):
    page = (f"<html><body><div id='41001'><script type='text/xml'><datastore><recordset>"
            f"<record><![CDATA[{record}]]></record></recordset></datastore></script></div></body></html>")
    response = _response("http://www.example.gov.cn/col/col1229/index.html", page)
    assert READERS["hanweb_jcms"].detect(response)
    [link] = [item for item in READERS["hanweb_jcms"].read(response) if isinstance(item, ReportLink)]
    assert (link.title, link.date) == (title, date)


def test_jpaas_keeps_the_page_own_query_fields():
    """MIIT's jpaas shell prints its own parseType; the reader must not replace it."""
    query = "{'webId':'8d828e408d90447786ddbe128d495e9e','pageId':'1b56e5adc362428299dfc3eb444fe23a'," \
            "'parseType':'buildstatic','pageType':'column','tagId':'右侧内容'}"
    page = (f'<html><body><div id="list"><script queryData="{query}" pageSize="15" src="/x.js"></script>'
            '</div></body></html>')
    response = _response("https://www.miit.gov.cn/gzcy/zfxxgk/gknb/index.html", page)
    [request] = list(READERS["hanweb_jpaas"].read(response))
    assert "parseType=buildstatic" in request.url and "bulidstatic" not in request.url
    assert "pageSize%22%3A+15" in request.url or "pageSize%22%3A%2015" in request.url


def test_jcms_column_paged_by_get():
    """A JCMS column without a data proxy: pages by ``?uid=…&pageNum=N`` (zj.gov.cn's form)."""
    record = ('<li><a href="/art/2024/1/20/art_1229_1.html">2023年政府信息公开工作年度报告</a>'
              '<span>2024-01-20</span></li>')
    page = ("<html><body><div id='4892867'><script type='text/xml'><datastore><recordset>"
            f"<record><![CDATA[{record}]]></record></recordset></datastore></script></div>"
            "<script>$('#4892867').jpage({totalRecord: 31, perPage: 15});</script>"
            "<div class='pages'><a href='/col/col1229019364/index.html?uid=4892867&pageNum=2'>下一页</a></div>"
            "</body></html>")
    response = _response("http://www.zj.gov.cn/col/col1229019364/index.html", page)
    out = list(READERS["hanweb_jcms"].read(response))
    assert [r.url for r in out if isinstance(r, Request)] == [
        f"http://www.zj.gov.cn/col/col1229019364/index.html?uid=4892867&pageNum={n}" for n in (2, 3)]
    later = _response("http://www.zj.gov.cn/col/col1229019364/index.html?uid=4892867&pageNum=2", page,
                      {"xxgk_stage": "get"})
    assert not [r for r in READERS["hanweb_jcms"].read(later) if isinstance(r, Request)]


_ENTRY = "<ul><li><a href='/xxgk/nb/2024/t1.html'>2023年政府信息公开工作年度报告</a></li></ul>"


@pytest.mark.parametrize(("url", "pager", "pages"), [
    # the next link with the brackets and arrows pagers print around it
    ("http://a.gov.cn/xxgk/nb/index.html", "<a href='index_1.html'>下一页&gt;&gt;</a>", ["index_1.html"]),
    ("http://a.gov.cn/xxgk/nb/", "<a href='index_1.html'>[下一页]</a>", ["index_1.html"]),
    ("http://a.gov.cn/xxgk/nb/list.htm", "<a href='list.htm?page=2'>&raquo;</a>", ["list.htm?page=2"]),
    ("http://a.gov.cn/xxgk/nb/list.htm", "<a href='list.htm?page=2'>下一頁</a>", ["list.htm?page=2"]),
    # named by its image, its title or its class only
    ("http://a.gov.cn/xxgk/nb/index.html", "<a href='index_1.html'><img src='/n.gif' alt='下一页'></a>",
     ["index_1.html"]),
    ("http://a.gov.cn/xxgk/nb/index.html", "<a href='index_1.html' title='下一页'></a>", ["index_1.html"]),
    ("http://a.gov.cn/xxgk/nb/index.html", "<a class='layui-laypage-next' href='index_1.html'></a>",
     ["index_1.html"]),
    # moving by onclick
    ("http://a.gov.cn/xxgk/nb/index.html",
     "<a href='javascript:;' onclick=\"location.href='index_1.html'\">下一页</a>", ["index_1.html"]),
    # page numbers alone, in the listing's folder; "1" is the page itself
    ("http://a.gov.cn/xxgk/nb/index.html",
     "<a href='index.html'>1</a><a href='index_1.html'>2</a><a href='index_2.html'>[3]</a>",
     ["index_1.html", "index_2.html"]),
    ("http://a.gov.cn/xxgk/nb/", "<a href='index_1.html'>2</a><a href='index_2.html'>3</a>",
     ["index_1.html", "index_2.html"]),
    ("http://a.gov.cn/col/col12/index.html?uid=48&pageNum=2",
     "<a href='index.html?uid=48&pageNum=1'>1</a><a href='index.html?uid=48&pageNum=3'>3</a>",
     ["index.html?uid=48&pageNum=3"]),
    # numbers that are not this listing's pages, and a next link to another site
    ("http://a.gov.cn/xxgk/nb/index.html",
     "<a href='/xxgk/zcwj/index_1.html'>2</a><a href='2024/t2.html'>2</a><a href='art_3.html'>3</a>"
     "<a href='http://b.gov.cn/xxgk/nb/index_1.html'>下一页</a><a href='index_1.html'>2024</a>"
     "<a class='swiper-button-next' href='/xwzx/tpxw/index.html'></a>", []),
    # a calendar's days are numbers too, each link changing several numbers
    ("http://a.gov.cn/xxgk/nb/index.html",
     "<a href='index.html?date=2024-01-05'>5</a><a href='index.html?date=2024-01-06'>6</a>", []),
])
def test_plain_listing_pagers(url, pager, pages):
    """The further pages of a plain listing, from its pager in the forms small CMSs print."""
    response = _response(url, f"<html><body>{_ENTRY}<div class='page'>{pager}</div></body></html>")
    out = list(READERS["plain"].read(response))
    assert [r.url for r in out if isinstance(r, Request)] == [response.urljoin(page) for page in pages]
    assert [link.url for link in out if isinstance(link, ReportLink) and "2023年" in link.title] == [
        "http://a.gov.cn/xxgk/nb/2024/t1.html"]


def test_listing_links_opened_by_script_are_read():
    """Entries whose link opens the report by onclick (``href="javascript:void(0)"``)."""
    from crawler.links import listing_links

    page = ("<html><body><table><tr><td><a href='javascript:void(0)' onclick=\"window.open('/nb/2024/c1.htm')\">"
            "2023年政府信息公开工作年度报告</a></td></tr><tr><td><a href='#' onclick='return false'>更多</a></td></tr>"
            "</table></body></html>")
    response = _response("http://a.gov.cn/nb/list.htm", page)
    assert listing_links(response) == [("http://a.gov.cn/nb/2024/c1.htm", "2023年政府信息公开工作年度报告")]


@pytest.mark.parametrize(("url", "title", "tab"), [
    ("http://a.gov.cn/gknb/2023/index.html", "2023年", True),
    ("http://a.gov.cn/gknb/2023/", "2023年度", True),
    ("http://a.gov.cn/gknb/list_2023.html", "2023", True),
    ("http://a.gov.cn/xwzx/2023/index.html", "2023年", False),  # outside the column's folder
    ("http://b.gov.cn/gknb/2023/index.html", "2023年", False),  # another host
    ("http://a.gov.cn/gknb/2023/t1.html", "2023年政府信息公开工作年度报告", False),  # a report, not a tab
])
def test_year_tabs_of_a_column(url, title, tab):
    from crawler.spiders.portal import is_year_tab

    assert is_year_tab("http://a.gov.cn/gknb/index.html", url, title) is tab


def test_jcms_proxy_fields_from_the_jpage_call():
    """No ``<nextgroup>``: the data proxy's fields are the jpage call's ``param`` (the form
    jiangsu.gov.cn bureaus print: ``columnid``, ``unitid``, ``webid`` beside the total)."""
    record = ('<li class="cf"><a target="_blank" href="/art/2024/1/16/art_77278_1.html" '
              'title="2023年政府信息公开工作年度报告">2023年政府信息公开工作年度报告</a></li>')
    page = ("<html><body><div id='303271'><script type='text/xml'><datastore><recordset>"
            f"<record><![CDATA[{record}]]></record></recordset></datastore></script></div>"
            "<script>$('#303271').jpage({dataStore: dataStore, perPage: 15, totalRecord: 31, "
            "proxyUrl: '/module/web/jpage/dataproxy.jsp', param: {col:1, appid:1, webid:67, path:'/', "
            "columnid:77278, sourceContentType:1, unitid:'303271', webname:'人社厅', permissiontype:0}});</script>"
            "</body></html>")
    response = _response("http://jshrss.jiangsu.gov.cn/col/col77278/index.html", page)
    requests = [r for r in READERS["hanweb_jcms"].read(response) if isinstance(r, Request)]
    assert [r.url for r in requests] == [
        "http://jshrss.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=2&endrecord=16&perpage=15",
        "http://jshrss.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=17&endrecord=31&perpage=15"]
    assert b"columnid=77278" in requests[0].body and b"unitid=303271" in requests[0].body


def test_jcms_column_without_proxy_or_uid_follows_its_pager():
    record = '<li><a href="/art/2024/1/20/art_1_1.html">2023年政府信息公开工作年度报告</a></li>'
    page = ("<html><body><div id='41'><script type='text/xml'><datastore><recordset>"
            f"<record><![CDATA[{record}]]></record></recordset></datastore></script></div>"
            "<div class='page'><a href='index_2.html'>2</a><a href='index_3.html'>3</a></div></body></html>")
    response = _response("http://www.example.gov.cn/col/col41/index.html", page)
    assert [r.url for r in READERS["hanweb_jcms"].read(response) if isinstance(r, Request)] == [
        "http://www.example.gov.cn/col/col41/index_2.html", "http://www.example.gov.cn/col/col41/index_3.html"]


def test_discovery_leaves_the_listing_s_own_pages_to_its_pager_but_follows_year_tabs():
    """On a column page, 首页/尾页 and page links are the listing's own pages, not columns to
    discover; a year's tab named like a page of it (``index_2023.html``) is followed, and so is a
    column at an address like the listing's (``list.jsp?catid=34``)."""
    from scrapy.utils.test import get_crawler

    from crawler import meta as keys
    from crawler.spiders.portal import PortalSpider

    crawler = get_crawler(PortalSpider)
    spider = crawler._create_spider(start_url="http://a.gov.cn/gknb/index.html")
    page = ("<html><body><ul><li><a href='index_2023.html'>2023年</a></li><li><a href='2022/'>2022年</a></li></ul>"
            "<p>请选择年度</p><a href='index.html'>首页</a><a href='index_9.html'>尾页</a><a href='index_1.html'>2</a>"
            "<a href='/gknb/zn.html'>政府信息公开指南</a><a href='index_34.html'>政府信息公开年报</a></body></html>")
    request = Request("http://a.gov.cn/gknb/index.html", meta={keys.COLUMN: True, keys.KIND: "listing"})
    response = HtmlResponse(request.url, body=page.encode(), encoding="utf-8", request=request)
    followed = sorted(r.url for r in spider.parse_start(response, depth=1) if isinstance(r, Request)
                      and r.callback == spider.parse_start)
    assert followed == ["http://a.gov.cn/gknb/2022/", "http://a.gov.cn/gknb/index_2023.html",
                        "http://a.gov.cn/gknb/index_34.html"]


# AspNetPager 7.4.5 and 7.5 (Webdiyer), as ASP.NET sites print them: disabled links without href,
# the current page in a red <span>, postback links under the numbers and under 下一页 / 下页 / 末页.
ASPNET_745 = ('<div id="AspNetPager1" class="pagination" style="text-align:center;">'
              '<a class="btn" disabled="disabled" style="margin-right:5px;">首页</a>'
              '<a class="btn" disabled="disabled" style="margin-right:5px;">上一页</a>'
              '<span style="margin-right:5px;font-weight:Bold;color:red;">1</span>'
              + "".join(f"<a href=\"javascript:__doPostBack('AspNetPager1','{n}')\" style=\"margin-right:5px;\">{n}</a>"
                        for n in (2, 3, 4, 5))
              + "<a class=\"btn\" href=\"javascript:__doPostBack('AspNetPager1','2')\" style=\"margin-right:5px;\">"
              "下一页</a><a class=\"btn\" href=\"javascript:__doPostBack('AspNetPager1','38')\">尾页</a></div>")
ASPNET_75 = ('<div id="AspNetPager1" class="page_text"><font color="#333333">共 20 行/每页15行 第1/2页</font>'
             '<a disabled="disabled" style="margin-right:5px;">首页</a><a disabled="disabled">上页</a>'
             '<span style="margin-right:5px;font-weight:Bold;color:red;">1</span>'
             "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">2</a>"
             "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">下页</a>"
             "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">末页</a></div>")
# A GridView's own pager: numbers only, the page after the current one taken.
GRIDVIEW = ("<table><tr><td><a href=\"javascript:__doPostBack('ctl00$GridView1','Page$1')\">1</a></td>"
            "<td><span>2</span></td>"
            "<td><a href=\"javascript:__doPostBack('ctl00$GridView1','Page$3')\">3</a></td></tr></table>")
LAST = ('<a disabled="disabled">下一页</a><span style="color:red;">3</span>'
        "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">2</a>")


def _aspnet_page(pager: str) -> str:
    return ('<html><body><form method="post" action="./list.aspx?id=12" id="form1">'
            '<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__EVENTARGUMENT" value="">'
            '<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKLTM2"><input name="txtKey" type="text" value="">'
            f'<input type="submit" name="btnSearch" value="搜索">{_ENTRY}{pager}'
            '<input type="hidden" name="__EVENTVALIDATION" value="/wEdAAKx"></form></body></html>')


@pytest.mark.parametrize(("pager", "page", "event"), [
    (ASPNET_745, 1, ("AspNetPager1", "2")), (ASPNET_75, 1, ("AspNetPager1", "2")),
    (GRIDVIEW, 2, ("ctl00$GridView1", "Page$3")), (LAST, 3, None),
])
def test_aspnet_pagers_post_the_form_back(pager, page, event):
    """An ASP.NET listing's next page: its form posted back with the pager's event and the page's
    view state, no button clicked; the last page posts nothing."""
    from urllib.parse import parse_qs

    response = _response("http://a.gov.cn/xxgk/nb/list.aspx?id=12", _aspnet_page(pager), {"xxgk_page": page})
    [request] = [r for r in READERS["plain"].read(response) if isinstance(r, Request)] or [None]
    if event is None:
        assert request is None
        return
    assert request.method == "POST" and request.url == "http://a.gov.cn/xxgk/nb/list.aspx?id=12"
    form = parse_qs(request.body.decode(), keep_blank_values=True)
    assert (form["__EVENTTARGET"], form["__EVENTARGUMENT"]) == ([event[0]], [event[1]])
    assert form["__VIEWSTATE"] == ["/wEPDwUKLTM2"] and form["__EVENTVALIDATION"] == ["/wEdAAKx"]
    assert "btnSearch" not in form  # a postback clicks no button
    assert request.meta["xxgk_page"] == page + 1
