"""A plain listing's further pages, from the pager printed under it.

Pagers print their links in many forms; each is followed when it leads to another page of the
same listing:

- a next link, named by its text (下一页, 下页, 后页, 下一頁, next, ›, », >, with the brackets and
  arrows pagers add: ``[下一页]``, ``下一页>>``), by its ``title``, by the ``alt`` of its image, or
  by a class such as ``next`` or ``page-next``;
- numbered links (``1 2 3 … 尾页``, some pagers print no next link at all): a number whose link
  is in the listing's own folder and whose address differs from the listing's by one number, the
  page's (``index.html`` → ``index_2.html``, ``list.htm?page=3``, ``?uid=…&pageNum=4``; not a
  calendar's ``?date=2023-01-05``);
- a link whose ``href`` is script (``javascript:;``) but whose ``onclick`` names the address
  (``location.href='index_1.html'``);
- an ASP.NET pager's postback (AspNetPager and GridView print ``href="javascript:__doPostBack('AspNetPager1','2')"``
  under 下一页 / 下页 and the page numbers): the page's form posted back with that event
  (``postback_request``), its hidden ``__VIEWSTATE`` and ``__EVENTVALIDATION`` with it.

A pager that builds its links in script alone (TRS's ``createPageHTML``) has its own reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import scrapy
from form2request import form2request
from lxml import etree
from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from crawler.links import link_target

_DECORATION = re.compile(r"[\s\[\]【】〔〕()（）<>《》〈〉«»‹›>＞\-—_|.·…:：]+")
_NEXT_WORDS = re.compile(r"^(下一页|下页|后一页|后页|下一頁|下頁|next|nextpage)$", re.I)
_ARROWS = re.compile(r"^\s*[>›»＞〉]{1,2}\s*$")
_NEXT_CLASS = re.compile(r"(^|[\s_-])next", re.I)
_NUMBER = re.compile(r"^\s*[\[【(（]?\s*(\d{1,3})\s*[\]】)）]?\s*$")
_DIGITS = re.compile(r"[_-]?\d+")
_NUMBERS = re.compile(r"\d+")
_TEXT = etree.XPath("descendant-or-self::text()")
_ALT = etree.XPath("descendant::img/@alt")
_FIRST_PAGE_STEMS = ("index", "default", "list", "page")
_PAGER_WORDS = re.compile(r"^(首页|尾页|末页|上一页|上页|前一页|前页|第\d{1,3}页|first|last|prev|previous)$", re.I)


def is_pager_text(text: str) -> bool:
    """Whether a link's text is a pager's: 首页, 尾页, 上一页, a next link's words, a page number."""
    bare = _DECORATION.sub("", text)
    return bool(_ARROWS.match(text) or _NUMBER.match(text) or _NEXT_WORDS.match(bare) or _PAGER_WORDS.match(bare)
                or (text.strip() and not bare))  # arrows and brackets alone: «, <<


def is_next(text: str, title: str, alt: str) -> bool:
    """Whether a pager link leads to the next page, by what it shows or how it is named."""
    return bool(_ARROWS.match(text)) or any(_NEXT_WORDS.match(_DECORATION.sub("", words))
                                            for words in (text, title, alt) if words)


def _shape(url: str) -> tuple[str, str, str, str]:
    """An address without its digits: host, folder, file name and query (keys and values)."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    return parts.netloc, folder, _DIGITS.sub("", name), _DIGITS.sub("", parts.query)


def same_listing(listing: str, url: str) -> bool:
    """Whether ``url`` is another page of the listing at ``listing``: the same folder, and an
    address that differs from it only by digits (a folder's own address stands for its index)."""
    if url.split("#")[0] == listing.split("#")[0]:
        return False
    here, there = _shape(listing), _shape(url)
    if here[:2] != there[:2]:
        return False
    if here[2] == there[2]:  # the same page name, and the listing's query keys kept (page=, pageNum=)
        return not there[3] or _query_keys(here[3]) <= _query_keys(there[3])
    if not here[2]:  # the folder's own address: its index page, under one of the names CMSs use
        return there[2].split(".")[0].lower() in _FIRST_PAGE_STEMS
    return False


def numbered(listing: str, url: str, number: int) -> bool:
    """Whether ``url`` differs from ``listing`` by one number, the page's (``index_2.html`` for
    page 2 or 3, counted from 0 or 1), not by several (a calendar's ``?date=2023-01-05``)."""
    new = Counter(map(int, _NUMBERS.findall(url))) - Counter(map(int, _NUMBERS.findall(listing)))
    return sum(new.values()) == 1 and next(iter(new)) in (number, number - 1)


def _query_keys(query: str) -> set[str]:
    return {pair.split("=", 1)[0] for pair in query.split("&") if pair}


def pager_links(response: TextResponse) -> Iterator[str]:
    """Absolute addresses of the listing's further pages its pager links to, in page order."""
    base = get_base_url(response)
    seen: set[str] = set()
    for a in response.selector.root.iter("a"):
        href = link_target(a)
        if href is None:
            continue
        url = urljoin(base, href)
        if url in seen or url.split("#")[0] == response.url.split("#")[0]:
            continue
        text = "".join(_TEXT(a))
        if is_next(text, a.get("title") or "", " ".join(_ALT(a))):
            wanted = urlsplit(url).netloc == urlsplit(response.url).netloc
        elif _NEXT_CLASS.search(a.get("class") or ""):  # a class alone says less: the same folder
            wanted = _shape(url)[:2] == _shape(response.url)[:2]
        else:
            number = _NUMBER.match(text)
            wanted = bool(number) and int(number.group(1)) > 1 and same_listing(response.url, url) \
                and numbered(response.url, url, int(number.group(1)))
        if wanted:
            seen.add(url)
            yield url


_POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


def postback_next(response: TextResponse, page: int) -> tuple[str, str] | None:
    """(event target, argument) of an ASP.NET pager's postback to the page after ``page``: its
    next link, else the link numbered ``page + 1``."""
    numbered = None
    for a in response.selector.root.iter("a"):
        found = _POSTBACK.search(f"{a.get('href') or ''} {a.get('onclick') or ''}")
        if not found:
            continue
        text = "".join(_TEXT(a))
        if is_next(text, a.get("title") or "", " ".join(_ALT(a))) or _NEXT_CLASS.search(a.get("class") or ""):
            return found.group(1), found.group(2)
        number = _NUMBER.match(text)
        if numbered is None and number and int(number.group(1)) == page + 1:
            numbered = found.group(1), found.group(2)
    return numbered


def postback_request(response: TextResponse, page: int) -> scrapy.Request | None:
    """The next page of a listing an ASP.NET pager moves through by postback: the form that holds
    the page's view state (form2request: its fields as a browser sends them, no button clicked),
    posted with the pager's event (page numbers counted from 1)."""
    event = postback_next(response, page)
    if event is None:
        return None
    forms = response.xpath("//form[.//input[@name='__VIEWSTATE']]") or response.xpath("//form")
    if not forms:
        return None
    try:
        request = form2request(forms[0], {"__EVENTTARGET": event[0], "__EVENTARGUMENT": event[1]}, click=False)
    except ValueError:  # a form it cannot submit (an unknown method)
        return None
    return request.to_scrapy(callback=None)
