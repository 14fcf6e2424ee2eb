"""Guangdong gkmlpt (政府信息公开目录平台): the column is ``#{catId}`` (or ``#/{catId}``) of
``{prefix}/gkmlpt/index``, where ``prefix`` is empty on a government's own site and a path such
as ``/yjzjj`` on a department's sub-site; lists come from
``{prefix}/gkmlpt/api/all/{catId}?page=N&sid={sid}`` as JSON.

The page's front end reads ``window._CONFIG`` (``SID``, ``CAT``, ``TREE``, in either case): the
site id from there (or any ``sid`` the page prints); the category from the start URL's fragment,
else ``CAT``, else the categories whose name says 年报/年度报告, in ``TREE`` or in ``#id`` links.
An article whose ``url`` is empty is addressed by its id, as the front end does
(``{prefix}/gkmlpt/content/{id // 10**6}/{id // 10**3}/post_{id}.html``).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawler import meta as keys

from .base import ListingReader, ReportLink

_SID = re.compile(r"""\bsid['"]?\s*[:=]\s*['"]?(\d+)""", re.I)
_CAT = re.compile(r"""\bcat(?:id)?['"]?\s*[:=]\s*['"]?(\d+)""", re.I)
_CONFIG = re.compile(r"_CONFIG\s*=\s*\{(.*?)\}\s*;?\s*(?:</script>|window\.|var |$)", re.I | re.S)
# {"id": 721, "name": "政府信息公开年报", ...} in _CONFIG.TREE, keys quoted or not
_TREE_NODE = re.compile(r"""['"]?\bid['"]?\s*:\s*['"]?(\d+)['"]?\s*,[^{}]*?['"]?\bname['"]?\s*:\s*['"]([^'"]+)['"]""")
_FRAGMENT_CAT = re.compile(r"(\d+)\s*$")
REPORT_CATEGORY = re.compile(r"(年报|年度报告)")


def gkmlpt_prefix(url: str) -> str | None:
    """The path before ``/gkmlpt/`` (``""`` on a site's own root), or None when not a gkmlpt URL."""
    path = urlsplit(url).path
    at = path.find("/gkmlpt/")
    if at < 0:
        return "" if path.endswith("/gkmlpt") else None
    return path[:at]


def article_url(prefix: str, article: dict) -> str | None:
    url = article.get("url") or article.get("post_url")
    if url:
        return url
    try:
        number = int(article.get("id"))
    except (TypeError, ValueError):
        return None
    return f"{prefix}/gkmlpt/content/{number // 1_000_000}/{number // 1000}/post_{number}.html"


class GkmlptReader(ListingReader):
    name = "gkmlpt"
    revalidate_start = False

    @staticmethod
    def _sid(text: str) -> str | None:
        config = _CONFIG.search(text)
        found = _SID.search(config.group(1)) if config else None
        found = found or _SID.search(text)
        return found.group(1) if found else None

    def detect(self, response) -> bool:
        return (isinstance(response, TextResponse) and gkmlpt_prefix(response.url) is not None
                and self._sid(response.text) is not None)

    def categories(self, response) -> list[str]:
        fragment = urlsplit(response.request.url if response.request else response.url).fragment
        found = _FRAGMENT_CAT.search(fragment)
        if found:
            return [found.group(1)]
        config = _CONFIG.search(response.text)
        if config:
            cat = _CAT.search(config.group(1))
            if cat:
                return [cat.group(1)]
        cats = [cat for cat, name in _TREE_NODE.findall(response.text) if REPORT_CATEGORY.search(name)]
        for a in response.css("a[href*='#']"):
            if REPORT_CATEGORY.search("".join(a.css("::text").getall())):
                link = _FRAGMENT_CAT.search(urlsplit(a.attrib["href"]).fragment)
                if link:
                    cats.append(link.group(1))
        return list(dict.fromkeys(cats))

    def read(self, response):
        prefix = gkmlpt_prefix(response.url) or ""
        if response.meta.get(keys.STAGE) != "api":
            sid = self._sid(response.text)
            for cat in self.categories(response):
                yield self._api(response, prefix, cat, sid, 1)
            return
        try:
            data = json.loads(response.text)
        except json.JSONDecodeError:
            return
        articles = data.get("articles") or []
        for article in articles:
            url = article_url(prefix, article)
            if url and article.get("title"):
                yield ReportLink(response.urljoin(url), article["title"],
                                 article.get("display_publish_time") or article.get("publish_time"))
        page = response.meta[keys.PAGE]
        total, count = int(data.get("total") or 0), int(data.get("count") or len(articles) or 1)
        if articles and page * count < total:
            yield self._api(response, prefix, response.meta[keys.CAT], response.meta[keys.SID], page + 1)

    @staticmethod
    def _api(response, prefix: str, cat: str, sid: str, page: int) -> scrapy.Request:
        return scrapy.Request(response.urljoin(f"{prefix}/gkmlpt/api/all/{cat}?page={page}&sid={sid}"),
                              meta={keys.STAGE: "api", keys.PAGE: page, keys.CAT: cat, keys.SID: sid})
