"""Anti-bot challenges passed with the browser, once a host, the rest of the crawl plain.

When an answer is a challenge (``crawler.challenge.is_challenge``: a 412 or 521 page of script
that sets a cookie and reloads, and the like), the host's address is opened in the browser
(``crawler.browser``), which runs the script, and the cookies it ends up with go into Scrapy's
cookie jar; the request is then sent again, plainly, and so is every later one to that host,
with those cookies. The browser sends the crawl's own User-Agent (``crawler.browser.request_headers``),
so a cookie bound to it holds for the plain requests too.

One host is worked on at a time: the requests that meet its challenge while the browser is at
it wait, then go again with the cookies it got. A request that meets the challenge again after
a pass that other requests got through with (an expired cookie) has it passed again. Where the
cookies do not carry a plain request through at all (a cookie good for one request, a check of
the client's script on every page), or the host needed ``MAX_PASSES`` passes, every later
request to the host goes through the browser, which meets each challenge itself.

A host whose "challenge" the browser passed without any cookie (a page whose script only moves
on, say) is left alone from then on: its answers go on as they came.

A host whose challenge the browser did not get past ``XXGK_CHALLENGE_TRIES`` times in a row is
given up: its challenged answers go on to the spider as they came, flagged, so that each is
recorded as a failed fetch whose reason names the challenge. ``XXGK_CHALLENGES = False`` leaves
challenges as plain failed fetches.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from scrapy import Request
from scrapy.exceptions import NotConfigured

from crawler import meta as keys
from crawler.challenge import CHALLENGE_STATUSES, MARKED_STATUSES, is_challenge, is_challenge_page, wait_out_challenge
from crawler.middlewares.link_safety import host_port

FLAG = "challenge"  # on a challenged answer handed on: the spider names it in the failure's reason
MAX_PASSES = 10  # passes a host may need before its requests all go through the browser


def _host(request: Request) -> str:
    return host_port(request.url)[0]


def _waiting(meta: dict):
    """A page method that waits the challenge out, added to the request's own (after them: a
    rendered listing's own waits run first, on whatever the page shows)."""
    from scrapy_playwright.page import PageMethod  # Playwright's modules, only once a crawl needs them

    wait = PageMethod(wait_out_challenge)
    if not meta.get("playwright_page_methods"):
        # the wait starts when the first answer arrives: a challenge that reloads the page for ever
        # would hold the default wait for its load to the navigation's time-out, logged with a traceback
        meta["playwright_page_goto_kwargs"] = {**meta.get("playwright_page_goto_kwargs", {}), "wait_until": "commit"}
    meta["playwright"] = True
    meta["playwright_page_methods"] = [*meta.get("playwright_page_methods", ()), wait]
    meta[keys.CHALLENGE_WAIT] = wait
    return wait


class ChallengeMiddleware:
    def __init__(self, crawler, tries: int) -> None:
        self.crawler = crawler
        self.tries = tries
        self.locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.passes: dict[str, int] = {}  # browser visits that got past, a host
        self.held: set[str] = set()  # hosts where a plain request got through with the last pass's cookies
        self.failures: defaultdict[str, int] = defaultdict(int)  # visits that did not get past, in a row
        self.browser_hosts: set[str] = set()  # hosts whose requests all go through the browser
        self.cookieless: set[str] = set()  # hosts whose "challenge" the browser passed writing no cookie

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_CHALLENGES", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getint("XXGK_CHALLENGE_TRIES"))

    def process_request(self, request):
        host = _host(request)
        passes = self.passes.get(host)
        if passes:  # the cookies it goes with: those of the host's latest pass
            request.meta[keys.CHALLENGE_PASSES] = passes
            if host in self.browser_hosts and keys.CHALLENGE_WAIT not in request.meta \
                    and self.failures[host] < self.tries:
                _waiting(request.meta)
        return None

    async def process_response(self, request, response):
        host = _host(request)
        if host in self.cookieless:
            return response
        if request.meta.get("playwright"):
            browsed = self._browsed(request, host, response)
            if browsed is not None:
                return browsed
        elif not is_challenge(response.status, response.body):
            if host in self.passes and request.meta.get(keys.CHALLENGE_PASSES) == self.passes[host]:
                self.held.add(host)
            return response
        stats = self.crawler.stats
        stats.inc_value("xxgk/challenge/met")
        async with self.locks[host]:
            if host in self.cookieless:  # found no challenge while this request waited
                return response
            passes = self.passes.get(host, 0)
            sent_with = request.meta.get(keys.CHALLENGE_PASSES, 0)
            if passes > sent_with:  # passed since this request was sent: once more, with the cookies
                return self._again(request)
            if host in self.browser_hosts:  # sent before the host went over to the browser
                return self._again(request)
            if self.failures[host] >= self.tries:
                return self._given_up(response)
            if passes and (host not in self.held or passes >= MAX_PASSES):
                # the last pass's cookies took no plain request through, or will not for long
                self.browser_hosts.add(host)
                stats.inc_value("xxgk/challenge/browser_hosts")
                self.crawler.spider.logger.warning(
                    "anti-bot challenge at %s: its cookies do not carry plain requests; the host's "
                    "pages go through the browser from now on", host)
                return self._again(request)
            cookies = await self._visit(request, host, response.status)
            if cookies is None:
                return self._given_up(response)
            if not cookies:  # the browser got past without a cookie: no challenge, a page of script
                self.cookieless.add(host)
                stats.inc_value("xxgk/challenge/cookieless")
                return response
            self.failures[host] = 0
            self.passes[host] = passes + 1
            self.held.discard(host)
            stats.inc_value("xxgk/challenge/passed")
            return self._again(request, cookies)

    async def _visit(self, request: Request, host: str, status: int) -> list[dict] | None:
        """The host's challenge opened in the browser at the request's address (a GET, whatever
        the request's method): the cookies it ended with, None if it did not get past, [] if it
        was no challenge (its page moved on without writing a cookie, or stayed as it was under an
        ordinary ``status``: a 412 or 521 page of script that stays put is a challenge not passed,
        whose reloads the browser may have throttled)."""
        self.crawler.spider.logger.info("anti-bot challenge at %s: opening it in the browser", request.url)
        meta = {keys.KIND: "page", keys.START: request.meta.get(keys.START)}
        wait = _waiting(meta)
        try:
            answer = await self.crawler.engine.download_async(Request(request.url, dont_filter=True, meta=meta))
        except Exception as error:  # noqa: BLE001 - a browser that cannot start or load: not passed
            self.crawler.spider.logger.warning("the browser could not open %s: %s", request.url, error)
            self._failed(host)
            return None
        result = wait.result or {}
        if result.get("still") and status not in CHALLENGE_STATUSES:
            return []
        if FLAG in answer.flags:
            return None
        return [{"name": c["name"], "value": c["value"], "domain": c.get("domain") or "",
                 "path": c.get("path") or "/"} for c in result.get("cookies") or ()]

    def _browsed(self, request: Request, host: str, response):
        """A page the browser fetched, unless it shows a challenge that is still to be passed
        (None). Its status is that of the browser's first answer: a challenge's, made 200 when
        the browser got past it. One that waited a challenge out and did not get past is flagged."""
        wait = request.meta.get(keys.CHALLENGE_WAIT)
        result = (wait.result or {}) if wait is not None else {}
        if result.get("still") and response.status not in CHALLENGE_STATUSES:
            return response  # a page of script that stays as it is, of an ordinary status: no challenge
        if not is_challenge_page(response.body) and (wait is None or result.get("passed")):
            if wait is not None:
                self.failures[host] = 0
            if response.status in CHALLENGE_STATUSES or (response.status in MARKED_STATUSES and host in self.passes):
                return response.replace(status=200)
            return response
        if wait is None:
            return None if is_challenge(response.status, response.body) else response
        self._failed(host)
        return self._given_up(response)

    def _failed(self, host: str) -> None:
        self.failures[host] += 1
        self.crawler.stats.inc_value("xxgk/challenge/not_passed")
        self.crawler.spider.logger.warning("anti-bot challenge at %s not passed by the browser", host)

    @staticmethod
    def _again(request: Request, cookies: list[dict] | None = None) -> Request:
        """The request sent again, as it was, with the host's cookies (the jar adds those it
        holds; ``cookies`` are the browser's, put into the jar by this request)."""
        return request.replace(dont_filter=True, **({"cookies": cookies} if cookies else {}))

    @staticmethod
    def _given_up(response):
        response.flags.append(FLAG)
        return response
