"""What a report page tells the crawler: its meta fields and its attachments."""

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.links import attachment_links
from pipelines.extract.attachments import may_have_attachments
from pipelines.extract.read_html import head_meta


def _page(body: str, head: str = "") -> HtmlResponse:
    html = f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"
    return HtmlResponse("http://portal.test/a/b.html", body=html.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("body, found", [
    ('<p>全文如下。</p><script>window.document.title = "x";</script>', []),
    ('<a href="nb.pdf">年报</a>', ["http://portal.test/a/nb.pdf"]),
    ('<a href="/files/nb.DOCX?v=2">年报</a>', ["http://portal.test/files/nb.DOCX?v=2"]),
    ('<iframe src="/pdfjs/web/viewer.html?file=%2Ffiles%2Fnb%2Epdf"></iframe>', ["http://portal.test/files/nb.pdf"]),
    ('<a href="nb&#46;wps">年报</a>', ["http://portal.test/a/nb.wps"]),
    ("<a href=\"javascript:void(0)\" onclick=\"window.open('/f/nb.xls')\">下载</a>", ["http://portal.test/f/nb.xls"]),
])
def test_attachment_links_plain_escaped_and_scripted(body, found):
    assert attachment_links(_page(body)) == found


@pytest.mark.parametrize("text, mentioned", [
    ("年报.PDF", True), ("a%2Epdf", True), ("a%2edocx", True), ("a&#46;Doc", True), ("a&#046;wps", True),
    ("a&#x2E;xlsx?v=1", True), ("a&#x02e;et", True), ("a.rtf#p2", True),
    ("a.pdfx", False), ("a.doc_1", False), ("a.html", False), ("a%2ehtml", False), ("a&#46;htm", False),
    ("pdf 文件", False), ("", False),
])
def test_may_have_attachments_finds_every_spelling_of_an_extension(text, mentioned):
    assert may_have_attachments(f"<p>{text}</p>") is mentioned


def test_head_meta_reads_the_head_alone():
    head = '<META NAME="ArticleTitle" CONTENT="宁远县2023年年报"><meta property="og:title" content="其他">' \
           '<meta name="PubDate" content="2024-02-01">'
    page = _page('<meta name="PubDate" content="1999-01-01"><table>' + "<tr><td>1</td></tr>" * 50 + "</table>", head)
    assert head_meta(page.text) == {"title": "宁远县2023年年报", "published": "2024-02-01"}


def test_head_meta_without_a_head_end_reads_the_page():
    assert head_meta('<meta name="PubDate" content="2024-03-05"><p>正文</p>') == {"published": "2024-03-05"}
    assert head_meta("") == {} and head_meta("<?xml version='1.0' encoding='gbk'?>") == {}


REAL_PAGE = Path(__file__).parent / "gold" / "real" / "shanghai_2019_office.html"  # tests/gold/real/SOURCES.md


@pytest.mark.parametrize("link", [
    None, '<a href="/files/nb.pdf">附件</a>', '<a href="/files/nb.PDF">附件</a>',
    '<iframe src="/pdfjs/web/viewer.html?file=%2Ffiles%2Fnb%2Epdf"></iframe>', '<a href="nb&#46;docx">附件</a>',
    '<a href="/files/nb.html">附件</a>', '<a href="/search?q=%E5%B9%B4%E6%8A%A5">检索</a>',
])
def test_may_have_attachments_on_a_real_page(link):
    """The saved Shanghai page (no attachment, one "%" in its markup), as saved and with a link of
    each spelling put in after its tables: the look-out says what its three patterns say."""
    page = REAL_PAGE.read_text("utf-8")
    if link:
        page = page.replace("</table>", f"</table>{link}", 1)
    escaped = link is not None and ("%2E" in link or "&#46;" in link)
    plain = link is not None and (".pdf" in link.lower())
    assert may_have_attachments(page) is (plain or escaped)
    assert may_have_attachments(page.replace("%", "")) is (plain or "&#46;" in (link or ""))


def _links_by_parsel(response: HtmlResponse) -> list[tuple[str, str]]:
    """The same question asked through parsel's selectors, link by link (written independently:
    the reference the lxml walk must agree with)."""
    import re

    found = []
    for a in response.css("a[href], a[onclick]"):
        href = a.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):  # script: the address it opens
            opened = re.search(r"(location\.href|location|window\.open)\s*[=(]\s*[\"']([^\"']+)",
                               a.attrib.get("onclick", ""))
            href = opened.group(2).strip() if opened else ""
        if href:
            title = a.attrib.get("title") or "".join(a.css("::text").getall())
            found.append((response.urljoin(href), re.sub(r"\s+", "", title)))
    return found


def test_listing_links_agree_with_parsel_on_every_page_served_and_on_awkward_markup():
    """Every HTML page the fixture portals serve (listings of each family, reports, the hostile
    site's), the real saved Shanghai page, and links in awkward markup: <base href>, nested tags
    and comments inside a link, an empty title, links without href, uppercase tags, links that
    open their address by onclick."""
    from crawler.links import listing_links
    from fixture_portal.hostile import build_hostile_portal
    from fixture_portal.site import build_portal

    pages = [(path, resource.body) for portal in (build_portal(), build_hostile_portal())
             for path, resource in portal.resources.items()
             if "html" in resource.content_type and resource.body.lstrip()[:1] == b"<"]
    pages.append(("/real.html", (Path(__file__).parent / "gold/real/shanghai_2019_office.html").read_bytes()))
    pages.append(("/a/awkward.html", (
        '<html><head><base href="http://other.test/x/"></head><body>'
        '<a href=" 1.html ">2023年<b>度</b><!-- 注 -->报告</a><A HREF="/2.html" title="">标题 空</A>'
        '<a name="anchor">无</a><a href="#top">顶</a><a href="mailto:a@b">信</a>'
        '<a href="3.html" title="2022年报全称">2022年…</a><p><a href="../4.html"><img alt="图">四</a></p>'
        '<a href="javascript:void(0)" onclick="window.open(\'/5.html\')">五</a>'
        '<a onclick="location.href=\'6.html\'">六</a>'
        '<a href="#" onclick="return false">七</a>'
        '</body></html>').encode()))
    links = 0
    for path, body in pages:
        response = HtmlResponse("http://portal.test" + path, body=body)
        expected = _links_by_parsel(response)
        assert listing_links(response) == expected, path
        links += len(expected)
    assert len(pages) > 50 and links > 500  # the comparison covered many pages and links


def test_attachments_named_by_their_link_only():
    """A download address that names no file (``/attach/download/…``, ``getFile?id=``): the link's
    text, title or download name says it is a document; the crawler and the extractor agree."""
    from crawler.links import attachment_links
    from pipelines.extract.read_html import read_html

    page = ("<html><body><div id='zoom'><p>全文见附件。</p>"
            "<p>附件：<a href='/attach/download/8f3a'>临江县2023年政府信息公开工作年度报告.pdf</a></p>"
            "<p><a href='getFile?id=12' title='年报表格.xlsx'>下载表格</a></p>"
            "<p><a href='/file/7' download='年报.docx'>下载</a></p>"
            "<p><a href='/news/1.html'>www.linjiang.gov.cn</a><a href='/P0201.pdf'>原文.pdf</a>"
            "<a href='javascript:void(0)'>说明.doc</a></p></div></body></html>")
    response = HtmlResponse("http://lj.gov.cn/nb/2024/t1.html", body=page.encode(), encoding="utf-8")
    expected = ["http://lj.gov.cn/P0201.pdf", "http://lj.gov.cn/attach/download/8f3a",
                "http://lj.gov.cn/nb/2024/getFile?id=12", "http://lj.gov.cn/file/7"]
    assert attachment_links(response) == expected
    assert read_html(page).attachments == ["/P0201.pdf", "/attach/download/8f3a", "getFile?id=12", "/file/7"]


def test_pictures_of_a_report_are_the_article_s_not_the_site_s():
    """``scan_images``: the pictures in the article's container, in order (lazy-loaded ones by
    ``data-src``; linked ones), not the site's logo, icons or small pictures; a gallery is no report."""
    from lxml import etree

    from pipelines.extract.read_html import _PARSER, MAX_SCAN_PICTURES, read_html, scan_images

    page = ('<html><body><img src="/images/logo.png"><div class="TRS_Editor"><p>三、收到和处理政府信息公开申请情况</p>'
            '<img src="W1.jpg" width="800"><img src="/icons/pdf.gif"><img src="qr.png" width="120">'
            '<img data-src="W2.png"><img src="data:image/png;base64,AAAA"><img src="W1.jpg"></div></body></html>')
    assert scan_images(etree.fromstring(page, _PARSER)) == ["W1.jpg", "W2.png"]
    assert read_html(page).attachments == ["W1.jpg", "W2.png"]  # the page's report is in them
    table = "<table>" + ("<tr>" + "<td>1</td>" * 8 + "</tr>") * 10 + "</table>"  # 80 cells: a statistics table
    assert read_html(page.replace("<p>三、", table + "<p>三、")).attachments == []  # its tables are markup
    gallery = "<html><body><div id='zoom'>" + "<img src='p{}.jpg'>" * (MAX_SCAN_PICTURES + 1) + "</div></body></html>"
    assert scan_images(etree.fromstring(gallery.format(*range(MAX_SCAN_PICTURES + 1)), _PARSER)) == []
    none = "<html><body><img src='/a.jpg'><div class='sidebar'><img src='/b.jpg'></div></body></html>"
    assert scan_images(etree.fromstring(none, _PARSER)) == []
    # pages linked rather than shown: the link's picture, not its thumbnail; other links left alone
    linked = ('<html><body><div class="TRS_Editor"><p>全文见附件：</p>'
              '<p><a href="/u/2024/W020240215_1.JPG">第1页</a></p>'
              '<p><a href="/u/2024/W020240215_2.jpg"><img src="/u/2024/thumb_2.jpg" width="600"></a></p>'
              '<a href="/xxgk/zn.html">政府信息公开指南</a><img src="/u/2024/W020240215_3.png" width="900"></div>'
              '</body></html>')
    assert scan_images(etree.fromstring(linked, _PARSER)) == [
        "/u/2024/W020240215_1.JPG", "/u/2024/W020240215_2.jpg", "/u/2024/W020240215_3.png"]
