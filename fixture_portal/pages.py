"""Page chrome in the style of TRS/WCM portals: listing pages and article pages."""

from __future__ import annotations

from html import escape

CHROME_TOP = """<div class="top"><div class="topbar"><a href="/">首页</a> | <a href="javascript:void(0)" id="fanti">繁體</a> | <a href="javascript:void(0)" class="wza">无障碍</a> | <a href="/zfxxgk/">政府信息公开</a></div>
<div class="logo"><img src="/images/logo.png" alt="{site}"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>"""
CHROME_BOTTOM = """<div class="footer"><p>主办：{site}　承办：{site}办公室</p><p>网站标识码：4312000001　<a href="https://beian.miit.gov.cn">湘ICP备05001234号</a></p>
<p>联系电话：0745-2712345　地址：人民路1号</p><script src="/js/jquery.min.js"></script><script>var _hmt=_hmt||[];</script></div>"""


def listing_page(site: str, column: str, items: list[tuple[str, str, str]], page: int, pages: int,
                 charset: str = "utf-8") -> str:
    """items: (href, title, date). Long titles are cut in the link text, as portals do."""
    lis = "\n".join(
        f'<li><a href="{escape(href)}" target="_blank" title="{escape(title)}">'
        f'{escape(title if len(title) <= 24 else title[:23] + "…")}</a><span>{date}</span></li>'
        for href, title, date in items
    )
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{column}-{site}</title><meta name="SiteName" content="{site}"><meta name="ColumnName" content="{column}">
</head><body>{CHROME_TOP.format(site=site)}
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; <span>{column}</span></div>
<div class="list-box"><ul class="list">
{lis}
</ul>
<div class="page"><script type="text/javascript">createPageHTML({pages}, {page}, "index", "html");</script></div>
</div>{CHROME_BOTTOM.format(site=site)}</body></html>"""


def article_page(site: str, column: str, title: str, published: str, source: str, body: str,
                 charset: str = "utf-8", editor_class: str = "TRS_Editor") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(title)}_{column}_{site}</title>
<meta name="SiteName" content="{site}"><meta name="ColumnName" content="{column}">
<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{published} 10:59">
<meta name="ContentSource" content="{escape(source)}"><meta name="Keywords" content="政府信息公开年报">
</head><body>{CHROME_TOP.format(site=site)}
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; <a href="./../index.html">{column}</a></div>
<div class="article"><h1 class="title">{escape(title)}</h1>
<div class="info">发布时间：{published} 10:59　信息来源：{escape(source)}　<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div id="zoom"><div class="{editor_class}">
{body}
</div></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div></div>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
