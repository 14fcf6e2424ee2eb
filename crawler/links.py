"""Links found on portal pages: listing entries and report attachments."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapy.http import TextResponse

ATTACHMENT_EXTENSIONS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "et", "rtf")
_ATTACHMENT = re.compile(r"\.(%s)(?:$|[?#])" % "|".join(ATTACHMENT_EXTENSIONS), re.I)
_WS = re.compile(r"\s+")


def listing_links(response: TextResponse) -> list[tuple[str, str]]:
    """(absolute URL, title) of every link; the title attribute wins over cut link text."""
    links = []
    for a in response.css("a[href]"):
        href = a.attrib["href"].strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        title = a.attrib.get("title") or "".join(a.css("::text").getall())
        links.append((response.urljoin(href), _WS.sub("", title)))
    return links


def attachment_links(response: TextResponse) -> list[str]:
    """Absolute URLs of the documents attached to a report page, in page order."""
    found: list[str] = []
    for href in response.css("a::attr(href), iframe::attr(src), embed::attr(src)").getall():
        href = href.strip()
        if _ATTACHMENT.search(href):
            url = urljoin(response.url, href)
            if url not in found:
                found.append(url)
    return found
