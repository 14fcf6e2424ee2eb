"""The download handler of spiders whose listings may need a browser (``meta["playwright"]``).

Plain requests go through Scrapy's own HTTP handler. scrapy-playwright's handler, and with it
the Playwright driver, is started by the first request that needs the browser: a crawl that
never meets a listing made by JavaScript neither imports Playwright nor starts its driver (the
driver's start held the first request back by ~0.6 s when the handler was installed as is).
The browser's launch options (Debian's chromium, ``XXGK_CHROMIUM``) are in ``crawler/settings.py``;
the browser runs ``XXGK_NICE`` steps below the crawl (``pipelines.priority``) where documents
are extracted during the crawl, at its priority in a deferred crawl (``mode.browser_nice``).
"""

from __future__ import annotations

import asyncio
import time

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response

from pipelines import mode, priority


def _cookies(header: str | None) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in (header or "").split(";") if "=" in part)
    return {name.strip(): value.strip() for name, value in pairs}


# A request sent again through the browser keeps the headers the incremental middleware gave it
# as a plain request; a 304 to a browser's navigation would leave it an empty page to read.
CONDITIONAL = frozenset({"if-none-match", "if-modified-since"})


async def request_headers(*, browser_type_name: str, playwright_request, scrapy_request_data: dict) -> dict:
    """The headers of the browser's requests (``PLAYWRIGHT_PROCESS_REQUEST_HEADERS``): a page's
    own navigations carry the Scrapy request's headers, the crawl's User-Agent among them, as
    scrapy-playwright's default does, but not its conditional ones; and their cookies are
    the browser's and the Scrapy request's together, the browser's first, so that a cookie a
    page's script has just written goes with the page's next load (an anti-bot challenge's
    reload; the default sends only the Scrapy request's). Other requests keep the browser's
    headers, with the crawl's User-Agent."""
    scrapy_headers = scrapy_request_data["headers"].to_unicode_dict()
    browser = await playwright_request.all_headers()
    agent = scrapy_headers.get("user-agent") or browser.get("user-agent")
    if not playwright_request.is_navigation_request():
        return {**browser, "user-agent": agent} if agent else browser
    headers = {name.lower(): value for name, value in scrapy_headers.items() if name.lower() not in CONDITIONAL}
    headers["user-agent"] = agent
    if "referer" in browser:
        headers.setdefault("referer", browser["referer"])
    cookies = {**_cookies(headers.pop("cookie", None)), **_cookies(browser.get("cookie"))}
    if cookies:
        headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return headers


# What the downloader wrote into a request's meta as it fetched it: not carried to the request
# sent again (Scrapy warns of a request that copies them).
_FETCH_KEYS = frozenset({"download_latency", "download_slot", "download_timeout", "_scheme_proxy"})


def again_through_browser(response: Response, meta: dict | None = None) -> Request:
    """A page's request sent again through the browser (``playwright``), with ``meta`` on top."""
    kept = {k: v for k, v in response.request.meta.items() if k not in _FETCH_KEYS}
    return response.request.replace(meta={**kept, "playwright": True, **(meta or {})}, dont_filter=True)


_STOPPED_LOOPS: list = []  # a loop a crawl renewed: one for each time the browser was needed late


def renew_stopped_loop() -> None:
    """A new loop for Playwright when the last one was stopped. scrapy-playwright runs one loop
    in one thread for every handler of the process, and stops it when all the handlers that
    started so far have closed. ``xxgk crawl`` runs a crawler per family, and a crawler starts
    its handler on its first rendered page: one that needs the browser after the others closed
    theirs (the portal spider's discovery after the rendered family's crawl) would queue its
    pages on the stopped loop, and its crawl would wait for ever."""
    from scrapy_playwright._loop import _ThreadedLoopAdapter as adapter

    thread = getattr(adapter, "_thread", None)
    if thread is None or thread.is_alive():
        return
    # The stopped loop is kept, not closed: its queue reader and the queue's join() that stop()
    # left on it would be destroyed with it, each logged as a pending task lost.
    _STOPPED_LOOPS.append(adapter._loop)
    del adapter._thread, adapter._loop  # start() makes both anew
    adapter._coro_queue = asyncio.Queue()  # the old one is bound to the old loop
    adapter._stop_events = {}  # the handlers that stopped it are gone


class BrowserOnDemandHandler(HTTP11DownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._browser = None  # scrapy-playwright's handler, once a request needed it
        self._starting = asyncio.Lock()  # bound to the running loop when first awaited

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        first = self._browser is None and not self._starting.locked()
        started = time.monotonic()
        browser = await self._browser_handler()
        response = await browser.download_request(request)
        if first:  # the browser's start and the first rendered page: what a busy crawl can hold back
            self.crawler.stats.set_value("xxgk/browser/first_page_seconds", round(time.monotonic() - started, 2))
        return response

    async def _browser_handler(self):
        async with self._starting:
            if self._browser is None:
                from scrapy_playwright._loop import _ThreadedLoopAdapter
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                renew_stopped_loop()
                handler = ScrapyPlaywrightDownloadHandler.from_crawler(self.crawler)
                # Playwright's loop runs in a thread of its own (crawler/settings.py): lowered before
                # the launch queued after it, so the driver and the browser start lowered too.
                _ThreadedLoopAdapter._loop.call_soon_threadsafe(
                    priority.lower_this_thread, mode.browser_nice(self.crawler.settings))
                # What scrapy-playwright does when the engine starts; the engine started long ago.
                await handler._maybe_launch_in_thread()
                self._browser = handler
        return self._browser

    async def close(self) -> None:
        await super().close()
        if self._browser is not None:
            await self._browser.close()
