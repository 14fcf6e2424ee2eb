"""Guangdong gkmlpt (政府信息公开目录平台): the column is ``#{catId}`` of ``/gkmlpt/index``;
lists come from ``/gkmlpt/api/all/{catId}?page=N&sid={sid}`` as JSON, ``sid`` read from the
page. Without a catId in the start URL, the category whose name says 年报 is taken."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from .base import ListingReader, ReportLink

_SID = re.compile(r"""\bsid\s*[:=]\s*['"]?(\d+)""")


class GkmlptReader(ListingReader):
    name = "gkmlpt"
    revalidate_start = False

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse) and "/gkmlpt/" in response.url and bool(_SID.search(response.text))

    def _categories(self, response) -> list[str]:
        fragment = urlsplit(response.request.url if response.request else response.url).fragment
        if fragment.isdigit():
            return [fragment]
        cats = []
        for a in response.css("a[href^='#']"):
            if "年报" in "".join(a.css("::text").getall()) or "年度报告" in "".join(a.css("::text").getall()):
                cats.append(a.attrib["href"][1:])
        return [c for c in cats if c.isdigit()]

    def read(self, response):
        if response.meta.get("xxgk_stage") != "api":
            sid = _SID.search(response.text).group(1)
            for cat in self._categories(response):
                yield scrapy.Request(response.urljoin(f"/gkmlpt/api/all/{cat}?page=1&sid={sid}"),
                                     meta={"xxgk_stage": "api", "xxgk_page": 1, "xxgk_cat": cat, "xxgk_sid": sid})
            return
        try:
            data = json.loads(response.text)
        except json.JSONDecodeError:
            return
        articles = data.get("articles") or []
        for article in articles:
            if article.get("url") and article.get("title"):
                yield ReportLink(response.urljoin(article["url"]), article["title"],
                                 article.get("display_publish_time"))
        page = response.meta["xxgk_page"]
        total, count = int(data.get("total") or 0), int(data.get("count") or len(articles) or 1)
        if articles and page * count < total:
            cat, sid = response.meta["xxgk_cat"], response.meta["xxgk_sid"]
            yield scrapy.Request(response.urljoin(f"/gkmlpt/api/all/{cat}?page={page + 1}&sid={sid}"),
                                 meta={"xxgk_stage": "api", "xxgk_page": page + 1, "xxgk_cat": cat, "xxgk_sid": sid})
