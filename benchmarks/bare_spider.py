"""The baseline: a bare Scrapy spider that fetches a list of URLs and does nothing else."""

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url_file: str, **kwargs):
        super().__init__(**kwargs)
        with open(url_file, encoding="utf-8") as handle:
            self.urls = [line.strip() for line in handle if line.strip()]

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None
