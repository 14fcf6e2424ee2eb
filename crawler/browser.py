"""The setting a spider adds to fetch ``meta["playwright"]`` requests through a browser.

Only those requests go through it, and the browser starts on the first of them; its launch
options (Debian's chromium, ``XXGK_CHROMIUM``) are in ``crawler/settings.py``."""

from __future__ import annotations

BROWSER_SETTINGS = {
    "DOWNLOAD_HANDLERS": {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    },
}
