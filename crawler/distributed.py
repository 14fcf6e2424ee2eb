"""Distributed crawling on scrapy-redis: N workers on any machines share one frontier.

``xxgk crawl --distributed redis://host:6379/0`` switches the scheduler and the duplicate
filter to scrapy-redis, so every request any worker finds goes to one Redis queue and is
fetched once, by whichever worker pops it; the results go to the one ``DATABASE_URL``
(PostgreSQL for teams). Start URLs are pushed, with their source, to a Redis list that each
worker's ``async def start()`` pops from (scrapy-redis's own ``RedisSpider`` still relies on
``start_requests``, which current Scrapy no longer calls). An idle worker stays open while
start URLs or queued requests remain, or while another worker is busy (each busy worker keeps
a key alive in Redis, which expires ``XXGK_REDIS_MAX_IDLE`` seconds after its last response, so a
killed worker stops holding the others open).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

log = logging.getLogger(__name__)


def distributed_settings(redis_url: str) -> dict:
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # The frontier outlives a worker: a killed worker's queue is the others' to finish.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        "EXTENSIONS": {"crawler.progress.CrawlProgress": 100, "crawler.distributed.RedisIdleExtension": 500},
        "XXGK_DISTRIBUTED": True,
    }


def start_key(spider_name: str) -> str:
    return f"xxgk:{spider_name}:start_urls"


def queue_key(spider_name: str) -> str:
    return f"{spider_name}:requests"  # scrapy-redis's default SCHEDULER_QUEUE_KEY


def push_start_urls(redis_url: str, spider_name: str, urls: list[str], **context) -> int:
    """Seed the shared frontier with start URLs (and the source they belong to)."""
    server = redis.Redis.from_url(redis_url)
    entries = [json.dumps({"url": url, **context}, ensure_ascii=False) for url in urls]
    if entries:
        server.rpush(start_key(spider_name), *entries)
    return len(entries)


def pop_start_entry(server: redis.Redis, spider_name: str) -> dict | None:
    raw = server.lpop(start_key(spider_name))
    return json.loads(raw) if raw else None


def reset(redis_url: str, spider_name: str) -> None:
    """Forget a finished crawl's frontier and duplicate filter (the next one starts afresh)."""
    server = redis.Redis.from_url(redis_url)
    server.delete(start_key(spider_name), queue_key(spider_name), f"{spider_name}:dupefilter",
                  *server.keys(f"xxgk:{spider_name}:busy:*"))


class RedisIdleExtension:
    """Keep an idle worker open while the shared frontier may still grow."""

    def __init__(self, crawler, server: redis.Redis, max_idle: float) -> None:
        self.crawler = crawler
        self.server = server
        self.max_idle = max_idle
        self.last_activity = time.monotonic()
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_DISTRIBUTED"):
            raise NotConfigured
        server = redis.Redis.from_url(crawler.settings.get("REDIS_URL"))
        extension = cls(crawler, server, crawler.settings.getfloat("XXGK_REDIS_MAX_IDLE", 10.0))
        crawler.signals.connect(extension.activity, signal=signals.response_received)
        crawler.signals.connect(extension.activity, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def activity(self, *args, **kwargs) -> None:
        self.last_activity = time.monotonic()
        name = self.crawler.spider.name
        self.server.set(f"xxgk:{name}:busy:{self.worker}", 1, ex=max(1, int(self.max_idle)))

    def spider_idle(self, spider) -> None:
        name = spider.name
        others = [k for k in self.server.keys(f"xxgk:{name}:busy:*")
                  if not k.decode().endswith(self.worker)]
        if self.server.llen(start_key(name)):
            for request in spider.start_requests_from_redis(self.server):
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        if self.server.llen(queue_key(name)) or others:
            raise DontCloseSpider
        if time.monotonic() - self.last_activity < self.max_idle:
            raise DontCloseSpider
        log.info("worker idle for %.0fs with an empty frontier: closing", self.max_idle)
