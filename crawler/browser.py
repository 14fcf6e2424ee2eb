"""The download handler of spiders whose listings may need a browser (``meta["playwright"]``).

Plain requests go through Scrapy's own HTTP handler. scrapy-playwright's handler, and with it
the Playwright driver, is started by the first request that needs the browser: a crawl that
never meets a listing made by JavaScript neither imports Playwright nor starts its driver (the
driver's start held the first request back by ~0.6 s when the handler was installed as is).
The browser's launch options (Debian's chromium, ``XXGK_CHROMIUM``) are in ``crawler/settings.py``;
the browser runs ``XXGK_NICE`` steps below the crawl (``pipelines.priority``).
"""

from __future__ import annotations

import asyncio
import time

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response

from pipelines import priority

HANDLER = "crawler.browser.BrowserOnDemandHandler"
BROWSER_SETTINGS = {"DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER}}


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

                handler = ScrapyPlaywrightDownloadHandler.from_crawler(self.crawler)
                # Playwright's loop runs in a thread of its own (crawler/settings.py): lowered before
                # the launch queued after it, so the driver and the browser start lowered too.
                _ThreadedLoopAdapter._loop.call_soon_threadsafe(
                    priority.lower_this_thread, self.crawler.settings.getint("XXGK_NICE", 0))
                # What scrapy-playwright does when the engine starts; the engine started long ago.
                await handler._maybe_launch_in_thread()
                self._browser = handler
        return self._browser

    async def close(self) -> None:
        await super().close()
        if self._browser is not None:
            await self._browser.close()
