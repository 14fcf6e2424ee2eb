"""Hanweb jpaas columns: ``<script queryData="{…}">`` parameters drive
``/api-gateway/jpaas-publish-server/front/page/build/unit?…``, which answers
``{"data": {"html": "<li>…", "total": N}}``, one page at a time."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from crawler import meta as keys

from .base import ListingReader, ReportLink

API = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def _query_data(response) -> tuple[dict, int] | None:
    script = response.css("script[queryData], script[querydata]")
    if not script:
        return None
    raw = script[0].attrib.get("queryData") or script[0].attrib.get("querydata") or "{}"
    try:
        data = json.loads(raw.replace("'", '"'))
    except json.JSONDecodeError:
        return None
    size = int(script[0].attrib.get("pageSize") or script[0].attrib.get("pagesize") or 10)
    return data, size


class JpaasReader(ListingReader):
    name = "hanweb_jpaas"
    revalidate_start = False

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse) and _query_data(response) is not None

    def _request(self, response, query: dict, page: int, size: int) -> scrapy.Request:
        # the page's own query fields win (MIIT's shell prints parseType "buildstatic")
        params = {"parseType": "bulidstatic", "pageType": "column", **query,
                  "paramJson": json.dumps({"pageNo": page, "pageSize": size})}
        return scrapy.Request(response.urljoin(f"{API}?{urlencode(params)}"),
                              meta={keys.STAGE: "api", keys.PAGE: page, keys.QUERY: query,
                                    keys.SIZE: size})

    def read(self, response):
        if response.meta.get(keys.STAGE) != "api":
            found = _query_data(response)
            if found:
                yield self._request(response, found[0], 1, found[1])
            return
        try:
            data = json.loads(response.text).get("data") or {}
        except (json.JSONDecodeError, AttributeError):
            return
        entries = Selector(text=data.get("html") or "<ul></ul>").css("li")
        for li in entries:
            a = li.css("a[href]")
            if a:
                title = a[0].attrib.get("title") or "".join(a[0].css("::text").getall())
                yield ReportLink(response.urljoin(a[0].attrib["href"]), title.strip(), li.css("span::text").get())
        page, size = response.meta[keys.PAGE], response.meta[keys.SIZE]
        total = int(data.get("total") or 0)
        if entries and (page * size < total if total else True):
            yield self._request(response, response.meta[keys.QUERY], page + 1, size)
