"""A listing reader turns one listing response into report links and further listing requests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import scrapy
from scrapy.http import Response


@dataclass(frozen=True, slots=True)
class ReportLink:
    url: str
    title: str
    date: str | None = None  # as the listing prints it; a change means the report changed


class ListingReader:
    """One CMS family's listing. Subclasses set ``name`` and implement ``detect``/``read``.

    ``read`` yields ``ReportLink`` for every entry of the listing (the spider decides which are
    annual reports) and ``scrapy.Request`` for further listing pages; those requests need no
    callback: the spider routes them back to this reader, with ``meta.STAGE`` kept.
    """

    name = "base"
    # meta for the first request of a listing (the rendered family asks for the browser)
    start_meta: dict = {}
    # Whether the first page lists entries itself, so that a 304 for it means "nothing new".
    # A shell whose entries come from an API (jpaas, gkmlpt) is always fetched in full.
    revalidate_start = True

    def detect(self, response: Response) -> bool:
        raise NotImplementedError

    def read(self, response: Response) -> Iterable[ReportLink | scrapy.Request]:
        raise NotImplementedError
