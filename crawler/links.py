"""Links found on portal pages: listing entries and report attachments."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from pipelines.extract.attachments import SCRIPT_XPATH, URL_XPATH, attachment_urls, may_have_attachments

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
    if not may_have_attachments(response.text):
        return []
    return attachment_urls(response.url, response.xpath(URL_XPATH).getall(),
                           response.xpath(SCRIPT_XPATH).getall())
