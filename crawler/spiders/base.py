"""The shared engine of every report spider: listing -> report pages -> attachments.

A family spider sets ``reader_name`` (its listing reader in ``crawler.listings``); a site is
then configuration only: one entry of sources.yaml.

Attributes a site sets (spider arguments or sources.yaml):
    start_urls / start_url   the annual-report column's first listing page
    source                   the source's name, recorded with every document
    agency                   the body that runs the portal
    region                   province/city of the portal, e.g. 湖南省/临江市 (report places)
or, for many sites of one family in one crawler, ``sources``: a list of dicts with those keys
(``name`` for ``source``), each start request carrying its own source's context.

Hooks a family or site may override:
    report_request(response, link) -> the request for one report page (or None to skip)
    attachment_urls(response)      -> documents attached to a report page
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import meta as keys
from crawler.browser import again_through_browser
from crawler.classify import column_report_year, cut_title, filled_by_script, full_title, listed_by_script, report_year
from crawler.links import attachment_links
from crawler.listings import READERS, ReportLink
from crawler.middlewares.challenge import FLAG as CHALLENGE
from crawler.middlewares.incremental import NotModified
from crawler.middlewares.link_safety import LinkBlocked
from pipelines.extract.read_html import STATS_CELLS, head_meta, scan_images
from pipelines.extract.sniff import image_format, pack_image_pages, sniff_format
from pipelines.model import RawDocument

MIN_ATTACHMENT_BYTES = 1024
SCAN_PAGES = "#scan-pages"  # after a page's address: the pictures of its report, as one document
RENDERED = "#rendered"  # after a listing's address: the listing as the browser drew it
DOCUMENT_FORMATS = ("pdf", "docx", "xlsx", "ole", "rtf", "zip")


def raw_document(response: Response, kind: str, **context) -> RawDocument:
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    first_url = response.request.meta.get("redirect_urls", [response.url])[0] if response.request else response.url
    meta = response.request.meta if response.request else {}
    # A 304 answered from the stored bytes (crawler.middlewares.incremental): followed, not stored.
    skip = "not_modified" if meta.get(keys.FROM_STORE) else None
    return RawDocument(url=first_url, final_url=response.url, kind=kind, status=response.status,
                       headers=headers, body=response.body, decided_encoding=meta.get(keys.ENCODING),
                       skip=skip, **context)


class ReportSpider(scrapy.Spider):
    name = ""  # the engine, not a spider of its own: ``scrapy list`` shows the families only
    reader_name = "plain"
    renders = False  # whether its requests may go through the browser (``crawler.browser``)

    def __init__(self, start_url: str | None = None, start_urls: Iterable[str] | str | None = None,
                 source: str | None = None, agency: str | None = None, region: str | None = None,
                 sources: list[dict] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        urls = list(start_urls.split(",") if isinstance(start_urls, str) else start_urls or [])
        if start_url:
            urls.append(start_url)
        self.sources = [dict(entry) for entry in sources or []]
        if self.sources:  # a group: its sources' start URLs, each with its source
            urls = [url for entry in self.sources for url in entry["start_urls"]]
        self.start_urls = urls
        self.source = source or (None if self.sources else self.name)
        self.agency = agency
        self.region = region
        self.listing_pages: Counter[str] = Counter()

    def context(self, meta: dict | None = None, **extra) -> dict:
        """What a document records of its crawl: the spider's, or its request's when a recrawl
        carries the original source (``meta.CONTEXT``)."""
        found = {"source": self.source, "region": self.region, "agency": self.agency}
        if meta and meta.get(keys.CONTEXT):
            found.update({k: v for k, v in meta[keys.CONTEXT].items() if k in found and v is not None})
        return {**found, **extra}

    async def start(self):
        if self.settings.getbool("XXGK_DISTRIBUTED"):
            import redis

            for request in self.start_requests_from_redis(redis.Redis.from_url(self.settings.get("REDIS_URL"))):
                yield request
            return
        if not self.start_urls:
            self.logger.error("no start URL: pass -a start_url=URL or configure a source")
        for entry in self.sources:
            context = {"source": entry["name"], "region": entry.get("region"), "agency": entry.get("agency")}
            for url in entry["start_urls"]:
                request = self.start_request(url)
                request.meta[keys.CONTEXT] = context
                yield request
        for url in [] if self.sources else self.start_urls:
            yield self.start_request(url)

    @staticmethod
    def carried(response: Response) -> dict:
        """What every request found on a page inherits: its start URL and crawl context."""
        return {keys.START: response.meta.get(keys.START), keys.CONTEXT: response.meta.get(keys.CONTEXT)}

    def start_requests_from_redis(self, server):
        """Distributed mode: the start URLs this worker pops from the shared list."""
        from crawler.distributed import pop_start_entry

        while (entry := pop_start_entry(server, self.name)) is not None:
            request = self.start_request(entry.pop("url"))
            request.meta[keys.CONTEXT] = entry
            yield request

    def start_request(self, url: str) -> scrapy.Request:
        reader = READERS[self.reader_name]
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, dont_filter=True,
                              meta={keys.KIND: "listing", keys.READER: reader.name, keys.ROOT: url,
                                    keys.START: url, keys.FORCE: not reader.revalidate_start,
                                    **reader.start_meta})

    # --- listings -----------------------------------------------------------------------
    def parse_listing(self, response: Response):
        reader = READERS[response.meta.get(keys.READER, self.reader_name)]
        self.crawler.stats.inc_value(f"xxgk/listing/pages/{reader.name}")
        yield from self.read_listing(reader, response)

    def listing_document(self, response: Response) -> RawDocument:
        """Listing pages are archived too, and revalidated by the next run."""
        return raw_document(response, "listing", **self.context(response.meta))

    def read_listing(self, reader, response: Response, pages_without_reports: bool = True):
        """The listing document (with the links it led to), then its report and page requests.
        ``pages_without_reports=False`` (discovery on a page that is not a report column): a first
        page that lists no report is not paged through."""
        root = response.meta.get(keys.ROOT, response.url)
        max_pages = self.settings.getint("XXGK_MAX_LISTING_PAGES", 200)
        requests = []
        for item in reader.read(response):
            if isinstance(item, ReportLink):
                request = self.report_request(response, item)
                if request is not None:
                    requests.append(request)
                continue
            self.listing_pages[root] += 1
            if self.listing_pages[root] >= max_pages:
                if self.listing_pages[root] == max_pages:
                    self.logger.warning("listing %s: stopped at %d pages", root, max_pages)
                    self.crawler.stats.inc_value("xxgk/listing/page_limit")
                continue
            meta = {**item.meta, keys.KIND: "listing", keys.READER: reader.name, keys.ROOT: root,
                    **self.carried(response)}
            if keys.COLUMN in response.meta:  # the listing's further pages are of the same column
                meta[keys.COLUMN] = response.meta[keys.COLUMN]
            requests.append(item.replace(callback=self.parse_listing, errback=self.on_error, meta=meta,
                                         cb_kwargs={}))
        listed = any(r.meta.get(keys.KIND) == "page" for r in requests)
        if not listed and not response.meta.get("playwright") and listed_by_script(response.text):
            # its entries are written by script: the page again, through the browser
            self.crawler.stats.inc_value("xxgk/listing/listed_by_script")
            requests.append(again_through_browser(response, {keys.READER: "rendered"}))
        elif not pages_without_reports and reader.revalidate_start and not listed:
            # a first page that lists entries itself, none of them a report
            requests = []  # a news list: no report on its first page, none looked for on the others
            self.crawler.stats.inc_value("xxgk/discovery/list_without_reports")
        # The listing archived with the links it led to: what a 304 for it vouches for. The page
        # as the browser drew it is a document of its own (RENDERED after its address), the
        # served page's link to it, so that a run stopped before the rendered page's links were
        # all stored has its 304 read again (and the page drawn again), not taken as complete.
        here = response.url.split("#")[0]
        document = self.listing_document(response)
        if response.meta.get("playwright"):
            document.url = document.final_url = here + RENDERED
        document.links = [request.url + RENDERED if request.meta.get("playwright") and request.url == here
                          else request.url for request in requests]
        yield document
        yield from requests

    def report_request(self, response: Response, link: ReportLink) -> scrapy.Request | None:
        """The request for a listed report; a title the listing cut short that may name one is
        fetched too, and its page's own title decides (``parse_report_page``)."""
        cut = None
        # a configured source's listing is its report column; discovery says which pages are one
        in_column = response.meta.get(keys.COLUMN, True)
        if (column_report_year if in_column else report_year)(link.title) is None:
            cut = cut_title(link.title)
            if cut is None:
                if "报告" in link.title or "年报" in link.title:
                    self.crawler.stats.inc_value("xxgk/listing/decoy_skipped")
                return None
            self.crawler.stats.inc_value("xxgk/listing/cut_titles")
        self.crawler.stats.inc_value("xxgk/listing/reports")
        return scrapy.Request(link.url, callback=self.parse_report_page, errback=self.on_error,
                              cb_kwargs={"listing_title": link.title, "listing_date": link.date, "cut": cut},
                              meta={keys.KIND: "page", "listing_title": link.title,
                                    "listing_date": link.date, **self.carried(response)})

    # --- reports ------------------------------------------------------------------------
    def attachment_urls(self, response: TextResponse) -> list[str]:
        return attachment_links(response)

    def parse_report_page(self, response: Response, listing_title: str | None = None,
                          listing_date: str | None = None, cut: str | None = None):
        if not isinstance(response, TextResponse):  # the listing linked a file directly
            yield from self.parse_attachment(response, listing_title=listing_title)
            return
        if cut is not None:  # the listing cut the title short: the page prints it whole
            whole = full_title(cut, response.text)
            if whole is not None and column_report_year(whole) is None:
                self.crawler.stats.inc_value("xxgk/listing/cut_title_not_report")
                self.logger.debug("not a report: %s (%s)", response.url, whole)
                return
            listing_title = whole or listing_title
        attachments = self.attachment_urls(response)
        if not attachments and response.text.count("<td") + response.text.count("<TD") < STATS_CELLS:
            pages = [response.urljoin(src) for src in scan_images(response.selector.root)]
            if pages:  # the report is pictures of its pages or tables: fetched, then read as one
                yield from self.scan_pages(response, pages, listing_title, listing_date)
                return
        if self.renders and not attachments and not response.meta.get("playwright") \
                and filled_by_script(response.text):  # its article is written by script: a browser's turn
            self.crawler.stats.inc_value("xxgk/report/filled_by_script")
            yield again_through_browser(response)
            return
        meta = head_meta(response.text)
        page_title, published = meta.get("title"), meta.get("published")
        document = raw_document(response, "page", listing_title=listing_title, page_title=page_title,
                                published=published, listing_date=listing_date, **self.context(response.meta))
        document.links = attachments
        yield document
        for url in attachments:
            yield scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                                 cb_kwargs={"listing_title": listing_title, "parent_url": response.url,
                                            "page_title": page_title, "published": published},
                                 meta={keys.KIND: "attachment", "listing_title": listing_title,
                                       "parent_url": response.url, **self.carried(response)})

    # --- reports published as pictures --------------------------------------------------
    def scan_pages(self, response: TextResponse, pages: list[str], listing_title: str | None,
                   listing_date: str | None):
        """The page (its outcome ``see_attachment``), then its pictures fetched one after another;
        the last stores them as one document (``SCAN_PAGES`` after the page's address, a zip of the
        images as fetched, in page order) that extraction reads by OCR as one report."""
        meta = head_meta(response.text)
        combined = response.url.split("#")[0] + SCAN_PAGES
        document = raw_document(response, "page", listing_title=listing_title, page_title=meta.get("title"),
                                published=meta.get("published"), listing_date=listing_date,
                                **self.context(response.meta))
        document.links = [combined]
        yield document
        self.crawler.stats.inc_value("xxgk/report/scan_pages")
        context = {"listing_title": listing_title, "parent_url": response.url, "page_title": meta.get("title"),
                   "published": meta.get("published")}
        yield self._scan_request(pages, [], combined, context, response.meta)

    def _scan_request(self, pages: list[str], got: list[bytes], combined: str, context: dict, meta: dict):
        return scrapy.Request(pages[0], callback=self.parse_scan_page, errback=self.scan_page_failed,
                              cb_kwargs={"pages": pages[1:], "got": got, "combined": combined, "context": context},
                              meta={keys.KIND: "attachment", "listing_title": context["listing_title"],
                                    "parent_url": context["parent_url"], keys.START: meta.get(keys.START),
                                    keys.CONTEXT: meta.get(keys.CONTEXT)})

    def parse_scan_page(self, response: Response, pages: list[str], got: list[bytes], combined: str,
                        context: dict):
        if image_format(response.body):
            got = [*got, response.body]
        else:
            self.crawler.stats.inc_value("xxgk/report/scan_page_not_image")
        yield from self._scan_next(pages, got, combined, context, response.meta)

    def scan_page_failed(self, failure: Failure):
        """A picture that could not be fetched is recorded with its reason, as any failed fetch;
        the others still make the document."""
        self.crawler.stats.inc_value("xxgk/report/scan_page_failed")
        yield from self.on_error(failure)
        yield from self._scan_next(**failure.request.cb_kwargs, meta=failure.request.meta)

    def _scan_next(self, pages: list[str], got: list[bytes], combined: str, context: dict, meta: dict):
        if pages:
            yield self._scan_request(pages, got, combined, context, meta)
            return
        raw = RawDocument(url=combined, final_url=combined, kind="attachment", status=200,
                          headers={"Content-Type": "application/zip"}, body=pack_image_pages(got) if got else b"",
                          **self.context(meta, **context))
        if not got:
            raw.error = "fetch_failed: no picture of the report's pages could be fetched"
        yield raw

    def parse_attachment(self, response: Response, **context):
        raw = raw_document(response, "attachment", **self.context(response.meta, **context))
        fmt = sniff_format(response.body)
        if fmt not in DOCUMENT_FORMATS:
            raw.error = f"rejected: not a document ({fmt})"
        elif len(response.body) < MIN_ATTACHMENT_BYTES:
            raw.error = f"rejected: too small ({len(response.body)} bytes)"
        if raw.error:
            self.crawler.stats.inc_value("xxgk/attachment/rejected")
        yield raw

    # --- failures -----------------------------------------------------------------------
    def on_error(self, failure: Failure):
        """Every failed fetch is recorded with its reason; the crawl goes on."""
        request = failure.request
        kind = request.meta.get(keys.KIND, "page")
        if failure.check(NotModified):
            yield RawDocument(url=request.url, kind=kind, status=304, skip="not_modified",
                              **self.context(request.meta))
            return
        self.crawler.stats.inc_value(f"xxgk/fetch_failed/{kind}")
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http {status}"
            if CHALLENGE in failure.value.response.flags:
                reason += ": anti-bot challenge the browser did not get past"
        elif failure.check(LinkBlocked):
            reason = failure.getErrorMessage()
        elif "max size" in failure.getErrorMessage() or "larger than download max" in failure.getErrorMessage():
            reason = f"too_large: {failure.getErrorMessage()}"[:300]
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        self.logger.warning("fetch failed %s (%s): %s", request.url, kind, reason)
        first_url = request.meta.get("redirect_urls", [request.url])[0]
        yield RawDocument(url=first_url, final_url=request.url, kind=kind, status=status,
                          listing_title=request.meta.get("listing_title"),
                          parent_url=request.meta.get("parent_url"), error=reason, **self.context(request.meta))
