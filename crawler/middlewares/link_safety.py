"""Where the crawler may go: http(s) only, the source's own domains, no internal addresses.

A request is refused (``LinkBlocked``, recorded by the spider with its reason) when its scheme
is not http(s); when its host is outside the registrable domains of the start URLs' hosts (public
suffix list; nor in the spider's ``allowed_domains``), unless it is a report page or attachment
on a government host (a shared disclosure platform); or when its host is a loopback, private, link-local or reserved
address, unless that very host:port is one of the source's own start URLs (a local source, such
as the fixture portal, is explicitly local and nothing else is). Download size limits follow
the request's kind: pages and listings ``XXGK_MAX_PAGE_BYTES``, files ``DOWNLOAD_MAXSIZE``.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract
from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler import meta as keys


class LinkBlocked(IgnoreRequest):
    """The request was refused before any connection; the message says why."""


@lru_cache(maxsize=65536)
def host_port(url: str) -> tuple[str, int | None]:
    """A URL's host (lower case, no trailing dot) and port, parsed once per URL."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower().rstrip("."), parts.port


@lru_cache(maxsize=4096)
def _addresses(host: str) -> tuple[ipaddress._BaseAddress, ...]:
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return (ipaddress.ip_address("127.0.0.1"),)
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return ()
    return tuple(ipaddress.ip_address(info[4][0]) for info in infos)


def is_internal(host: str) -> bool:
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_multicast
               or a.is_unspecified for a in _addresses(host))


# The public suffix list as tldextract bundles it: no network at run time. gov.cn is a suffix
# there, so a government's sites share its registrable domain (gjj.beijing.gov.cn and
# zfxxgk.beijing.gov.cn: beijing.gov.cn).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
# Scrapy's cookie middleware checks a cookie's domain with an extractor of its own that downloads
# the list on its first cookie (offline, each failed download is logged with its traceback): it
# gets the bundled list too.
if hasattr(scrapy_cookies, "_split_domain"):
    scrapy_cookies._split_domain = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                                         include_psl_private_domains=True)
GOVERNMENT_SUFFIXES = ("gov.cn",)


@lru_cache(maxsize=65536)
def site_domain(host: str) -> str:
    """The registrable domain of a host (the host itself for an address or a local name)."""
    return _SUFFIXES(host).top_domain_under_public_suffix or host


def government_host(host: str) -> bool:
    """A host under a government suffix: where a shared disclosure platform of another body of
    the same government publishes (hf.ahga.gov.cn's reports on zwgk.hefei.gov.cn)."""
    return _SUFFIXES(host).suffix in GOVERNMENT_SUFFIXES


class LinkSafetyMiddleware:
    def __init__(self, page_bytes: int, file_bytes: int, stats=None) -> None:
        self.page_bytes = page_bytes
        self.file_bytes = file_bytes
        self.stats = stats
        self._starts: tuple[tuple[int, int], frozenset, frozenset] | None = None

    def _start_hosts(self, spider) -> tuple[frozenset, frozenset]:
        """(host, port) pairs of the spider's start URLs and their site domains, computed once
        again when the list changes (a spider may add to it as it discovers columns)."""
        urls = getattr(spider, "start_urls", None) or []
        key = (id(urls), len(urls))
        if self._starts is None or self._starts[0] != key:
            starts = frozenset(host_port(u) for u in urls)
            domains = frozenset(site_domain(h) for h, _ in starts) | frozenset(
                getattr(spider, "allowed_domains", None) or [])
            self._starts = (key, starts, domains)
        return self._starts[1], self._starts[2]

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_LINK_SAFETY", True):
            raise NotConfigured
        middleware = cls(crawler.settings.getint("XXGK_MAX_PAGE_BYTES"),
                         crawler.settings.getint("DOWNLOAD_MAXSIZE"), crawler.stats)
        middleware.crawler = crawler
        return middleware

    def refusal(self, url: str, spider, root: str | None = None, kind: str = "listing") -> str | None:
        """Why ``url`` may not be fetched, or None. ``root`` is the start URL it was found from
        (carried by every request, so any worker of a distributed crawl can judge it). A report
        page or attachment (``kind``) may also stand on any government host: listings stay
        within the source's registrable domains."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            return f"scheme {scheme or 'none'} not allowed"
        host, port = host_port(url)
        starts, domains = self._start_hosts(spider)
        if root:
            root_host = host_port(root)
            starts = starts | {root_host}
            domains = domains | {site_domain(root_host[0])}
        if (host, port) in starts:
            return None
        if domains and not any(host == d or host.endswith("." + d) for d in domains) and not (
                kind in ("page", "attachment") and government_host(host)):
            return f"host {host} outside the source's domains"
        if is_internal(host):
            return f"internal address {host}"
        return None

    def process_request(self, request):
        reason = self.refusal(request.url, self.crawler.spider, request.meta.get(keys.START),
                              request.meta.get(keys.KIND, "listing"))
        if reason:
            if self.stats:
                self.stats.inc_value("xxgk/blocked")
            raise LinkBlocked(f"blocked: {reason}")
        if "download_maxsize" not in request.meta:
            kind = request.meta.get(keys.KIND, "page")
            request.meta["download_maxsize"] = self.page_bytes if kind in ("listing", "page") else self.file_bytes
        return None
