"""The baseline: a bare Scrapy spider that makes a list of requests and does nothing else.

``request_file`` holds one JSON ``[method, url, form]`` a line (``form`` null for a GET); with
``stats_file``, the crawl's stats are written there as JSON when it closes."""

import json

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, request_file: str, stats_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.stats_file = stats_file
        with open(request_file, encoding="utf-8") as handle:
            self.requests = [json.loads(line) for line in handle if line.strip()]

    async def start(self):
        for method, url, form in self.requests:
            if form is None:
                yield scrapy.Request(url, method=method, callback=self.parse, dont_filter=True)
            else:
                yield scrapy.FormRequest(url, formdata=form, callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None

    def closed(self, reason):
        if self.stats_file:
            with open(self.stats_file, "w", encoding="utf-8") as handle:
                json.dump(self.crawler.stats.get_stats(), handle, default=str)
