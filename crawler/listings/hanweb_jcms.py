"""Hanweb JCMS columns (``/col/colNNN/index.html``).

The first records sit in a ``<script type="text/xml">`` datastore as CDATA ``<li>`` records;
``<nextgroup>`` (or the jpage call's own ``param``) names the data proxy's column/unit ids, the
jpage call the total and page size. Further records come from a POST to
``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``. Columns without a data
proxy are paged by GET, ``index.html?uid=UNIT&pageNum=N``, each page with its own datastore; a
page that names neither is paged by the pager printed under it (``pager``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from crawler import meta as keys

from .base import ListingReader, ReportLink
from .pager import pager_links

_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S)
_TOTAL = re.compile(r"(?:totalRecord|totalrecord)\s*[:=>]\s*['\"]?(\d+)")
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)")
PROXY = "/module/web/jpage/dataproxy.jsp"
_UID = re.compile(r"""[?&]uid=(\d+)|\buid\s*[:=]\s*['"]?(\d+)""")
_DATE = re.compile(r"\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?")


def jpage_params(text: str) -> dict[str, str]:
    """The data proxy's fields as the page's jpage call writes them when no ``<nextgroup>`` names
    them (``param: {columnid: 77278, unitid: '303271', webid: 67, …}``)."""
    return {key: found.group(1) for key in ("columnid", "unitid", "webid", "path", "webname")
            if (found := re.search(key + r"""\s*["']?\s*[:=]\s*["']?([^"',}&\s]+)""", text))}


def records(text: str) -> list[tuple[str, str, str | None]]:
    """(href, title, date) of each datastore record. Sites print the title as the link's text,
    its ``title`` attribute or a ``<span>`` inside it, and the date in a ``<span>``, ``<i>``,
    ``<b>`` or ``<em>`` beside it."""
    links = []
    for record in _RECORD.findall(text):
        selector = Selector(text=record)
        a = selector.css("a[href]")
        if a:
            title = a[0].attrib.get("title") or "".join(a[0].xpath(".//text()").getall())
            dates = [t for t in selector.xpath("//*[self::span or self::i or self::b or self::em]/text()").getall()
                     if _DATE.search(t)]
            links.append((a[0].attrib["href"], title.strip(), _DATE.search(dates[0]).group(0) if dates else None))
    return links


class JcmsReader(ListingReader):
    name = "hanweb_jcms"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse) and bool(_DATASTORE.search(response.text)) \
            and "<record>" in response.text

    def read(self, response):
        found = records(response.text)
        for href, title, date in found:
            yield ReportLink(response.urljoin(href), title, date)
        if response.meta.get(keys.STAGE) == "proxy":
            return
        if response.meta.get(keys.STAGE) == "get":
            return
        total = _TOTAL.search(response.text)
        per_page = _PER_PAGE.search(response.text)
        nextgroup = _NEXTGROUP.search(response.text)
        unit = _UID.search(response.text)
        if total and not nextgroup and unit:  # paged by GET
            pages = -(-int(total.group(1)) // (int(per_page.group(1)) if per_page else 15))
            base = response.url.split("?", 1)[0]
            uid = unit.group(1) or unit.group(2)
            for n in range(2, pages + 1):
                yield scrapy.Request(f"{base}?uid={uid}&pageNum={n}", meta={keys.STAGE: "get"})
            return
        params = (dict(parse_qsl(urlsplit(nextgroup.group(1).replace("&amp;", "&")).query)) if nextgroup
                  else jpage_params(response.text))
        if not (total and params.get("columnid")):
            for url in pager_links(response):  # no proxy to ask: the pager printed under the list,
                yield scrapy.Request(url)  # on every page (a pager may show a few pages at a time)
            return
        total = int(total.group(1))
        per_page = int(per_page.group(1)) if per_page else 15
        first = len(found)
        form = {"col": "1", "appid": "1", "webid": params.get("webid", "1"), "path": params.get("path", "/"),
                "columnid": params.get("columnid", ""), "sourceContentType": "1",
                "unitid": params.get("unitid", ""), "webname": params.get("webname", ""),
                "permissiontype": "0"}
        for start in range(first + 1, total + 1, per_page):
            end = min(start + per_page - 1, total)
            url = response.urljoin(f"{PROXY}?startrecord={start}&endrecord={end}&perpage={per_page}")
            yield scrapy.FormRequest(url, formdata=form, meta={keys.STAGE: "proxy"})
