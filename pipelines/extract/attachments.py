"""Which URLs on a page are attached documents: links, iframes/embeds/objects, pdf.js
viewers' ``?file=``, and ``onclick``/``window.open`` scripts. Shared by the crawler (to fetch
them) and the extractor (to say a page's report is in its attachment)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from lxml import etree

ATTACHMENT_EXTENSIONS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "et", "rtf")
_ATTACHMENT = re.compile(r"\.({})(?:$|[?#])".format("|".join(ATTACHMENT_EXTENSIONS)), re.I)
# Every attachment URL names its extension somewhere in the page, plainly or escaped: a page
# without one has no attachment and need not be parsed. One pattern per separator, each
# starting with a literal the regex engine can scan for (a single alternation of the three,
# case-insensitive, is six times slower on a 46 KB page).
_EXTENSION = r"(?i:{})(?![a-zA-Z0-9_])".format("|".join(ATTACHMENT_EXTENSIONS))
_DOTTED = re.compile(r"\." + _EXTENSION)
_PERCENT_ESCAPED = re.compile(r"%2[eE]" + _EXTENSION)
_ENTITY_ESCAPED = re.compile(r"&#(?:0*46|[xX]0*2[eE]);" + _EXTENSION)
# An address a script opens: window.open('…'), location.href = '…', location = '…',
# location.assign('…'), download('…') (onclick handlers, javascript: links).
SCRIPT_URL = re.compile(
    r"""(?:window\.open|location(?:\.href)?\s*=|location\.assign|download)\s*\(?\s*['"]([^'"]+)['"]""")

# Every place within an element where a page names a document: attribute values, script texts,
# and links that may name a document in their own words (``named_documents`` decides).
_URLS = etree.XPath(".//a/@href | .//iframe/@src | .//embed/@src | .//object/@data")
_SCRIPTS = etree.XPath(".//@onclick | .//a[starts-with(@href, 'javascript')]/@href")
_NAMED_LINKS = etree.XPath(".//a[@href][contains(., '.') or contains(@title, '.') or @download]")


def _viewer_file(url: str) -> str | None:
    for key, values in parse_qs(urlsplit(url).query).items():
        if key.lower() in ("file", "url", "src") and values:
            return unquote(values[0])
    return None


def may_have_attachments(text: str) -> bool:
    # a page without "%" (most) skips the escaped form's scan: a C search for one character costs
    # a thirtieth of a regex pass over a 50 KB page
    return bool(_DOTTED.search(text) or ("%" in text and _PERCENT_ESCAPED.search(text))
                or _ENTITY_ESCAPED.search(text))


def named_documents(links: Iterable[tuple[str | None, str]]) -> list[str]:
    """The hrefs of links whose address says nothing of a document (``/attach/download?id=…``)
    but whose text, ``title`` or ``download`` name ends in a document's extension
    (``…年度报告.pdf``); ``links`` are (href, those names joined)."""
    return [href.strip() for href, names in links
            if href and not href.lstrip().startswith(("javascript", "#", "mailto:")) and _DOTTED.search(names)]


def _link_names(a: etree._Element) -> str:
    """What an ``<a>`` element calls what it leads to: its text, ``title`` and ``download``."""
    return " ".join((a.xpath("string()"), a.get("title") or "", a.get("download") or ""))


def element_attachments(base_url: str | None, element: etree._Element) -> list[str]:
    """The documents attached within ``element`` (a page's root, or its article's container),
    resolved against ``base_url`` when given."""
    named = named_documents((a.get("href"), _link_names(a)) for a in _NAMED_LINKS(element))
    return attachment_urls(base_url, _URLS(element), _SCRIPTS(element), named)


def attachment_urls(base_url: str | None, urls: Iterable[str], scripts: Iterable[str],
                    named: Iterable[str] = ()) -> list[str]:
    """Document URLs among a page's ``urls`` and ``scripts``, then its ``named`` ones
    (``named_documents``), in page order, each once."""
    candidates = [u.strip() for u in urls]
    for script in scripts:
        candidates.extend(SCRIPT_URL.findall(script))
    found: list[str] = []
    for href in candidates:
        target = _viewer_file(href) if ("file=" in href or "url=" in href) else None
        for candidate in (target, href):
            if candidate and _ATTACHMENT.search(candidate):
                url = urljoin(base_url, candidate) if base_url else candidate
                if url not in found:
                    found.append(url)
                break
    for href in named:
        url = urljoin(base_url, href) if base_url else href
        if url not in found:
            found.append(url)
    return found
