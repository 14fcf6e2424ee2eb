"""The baseline: a bare Scrapy spider that makes a list of requests and does nothing else.

``request_file`` holds one JSON ``[method, url, form]`` a line (``form`` null for a GET)."""

import json

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, request_file: str, **kwargs):
        super().__init__(**kwargs)
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
