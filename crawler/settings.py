"""Scrapy settings for xxgk. The only module that reads the environment."""

from __future__ import annotations

import os

from scrapy.settings import default_settings as _scrapy_defaults

from pipelines.mode import default_workers

BOT_NAME = "xxgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Where reports go: SQLite by default, any SQLAlchemy URL (PostgreSQL via psycopg 3).
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/xxgk.sqlite")
# Portals to crawl with `xxgk crawl` (see README "Adding a portal").
XXGK_SOURCES = os.environ.get("XXGK_SOURCES", "sources.yaml")
XXGK_CONTACT = os.environ.get("XXGK_CONTACT", "https://xxgk.invalid/contact")
USER_AGENT = f"xxgk/0.1 (research crawler of disclosure annual reports; +{XXGK_CONTACT})"

# Politeness: robots.txt, two requests per host at most, adaptive delay, retries.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# A callback yields a few items and requests; Scrapy starts this many tasks for each response.
CONCURRENT_ITEMS = 16
AUTOTHROTTLE_ENABLED = os.environ.get("XXGK_AUTOTHROTTLE", "1") != "0"
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = int(os.environ.get("XXGK_MAX_FILE_BYTES", 64 * 1024 * 1024))  # attachments
XXGK_MAX_PAGE_BYTES = int(os.environ.get("XXGK_MAX_PAGE_BYTES", 20 * 1024 * 1024))  # pages, listings
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
XXGK_LINK_SAFETY = True
# Extraction limits (pipelines/extract/limits.py): zip bombs, page counts, parser time.
XXGK_LIMIT_UNZIPPED_BYTES = 100 * 1024 * 1024
XXGK_LIMIT_ZIP_ENTRIES = 2000
XXGK_LIMIT_PDF_PAGES = 60
XXGK_LIMIT_PDF_SECONDS = float(os.environ.get("XXGK_LIMIT_PDF_SECONDS", 60))
XXGK_LIMIT_OFFICE_SECONDS = float(os.environ.get("XXGK_LIMIT_OFFICE_SECONDS", 60))
XXGK_LIMIT_OCR_SECONDS = float(os.environ.get("XXGK_LIMIT_OCR_SECONDS", 30))  # a scanned page
XXGK_LIMIT_HTML_CHARS = 20 * 1024 * 1024

# Listing pages followed per start URL at most (pagination traps).
XXGK_MAX_LISTING_PAGES = int(os.environ.get("XXGK_MAX_LISTING_PAGES", "200"))
# Pages discovery (the portal spider) follows per start URL while it looks for report columns.
XXGK_DISCOVERY_PAGES = int(os.environ.get("XXGK_DISCOVERY_PAGES", "40"))

DOWNLOADER_MIDDLEWARES = {
    # Refuse unsafe links before anything else sees the request; size limits by kind.
    "crawler.middlewares.link_safety.LinkSafetyMiddleware": 50,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.LoopAwareRedirectMiddleware": 600,
    # Conditional GETs: before the cookies/headers of the request are final, and sees 304s
    # before anything else does.
    "crawler.middlewares.incremental.IncrementalMiddleware": 560,
    # After HttpCompressionMiddleware (590) has decompressed the body, and after the incremental
    # middleware, so a 304 answered from the stored bytes is decided like a fetched page.
    "crawler.middlewares.charset.CharsetRepairMiddleware": 555,
    # Anti-bot challenges passed with the browser: sees answers decompressed (590) and their
    # cookies taken (700), before retries (550) and the charset (555).
    "crawler.middlewares.challenge.ChallengeMiddleware": 580,
}
# A page of script that sets a cookie and reloads, in place of the page asked for: opened in the
# browser once a host, whose cookies then carry the plain requests (crawler/middlewares/challenge.py);
# a host whose challenge the browser did not get past this many times in a row is given up.
XXGK_CHALLENGES = os.environ.get("XXGK_CHALLENGES", "1") != "0"
XXGK_CHALLENGE_TRIES = 2
# Nightly runs revalidate what they fetched before; `xxgk recrawl` sets this off.
XXGK_INCREMENTAL = True
CHARSET_REPAIR_ENABLED = True

# One way through: extract (decode -> repair -> read and map) -> store; pipelines.mode picks who runs them.
ITEM_PIPELINES = {
    "pipelines.items.extract_document.ExtractDocumentPipeline": 300,
    "pipelines.items.store_document.StoreDocumentPipeline": 900,
    "pipelines.items.worker_pool.WorkerPoolPipeline": 950,
}
# Documents written per transaction by the crawl process (a batch also goes after 1 s or 32 MiB).
XXGK_STORE_BATCH = int(os.environ.get("XXGK_STORE_BATCH", "64"))
# Worker processes for decode, repair, extract and store (0: in the crawl process; by default 2
# on a machine of two cores or more, 0 on one).
XXGK_WORKERS = int(os.environ.get("XXGK_WORKERS", default_workers()))
# Steps of CPU priority the workers and the browser run below the crawl process, whose event loop
# fetches (pipelines/priority.py); 0: the same priority.
XXGK_NICE = int(os.environ.get("XXGK_NICE", "10"))
# Store raw documents only (outcome not_processed); `xxgk reextract --pending` extracts them later.
XXGK_DEFER_EXTRACTION = os.environ.get("XXGK_DEFER_EXTRACTION", "0") == "1"
# Crawl processes, each taking whole sites (crawler/forks.py); 0: one a core when extraction is
# deferred, one otherwise (the workers use the other cores).
XXGK_CRAWL_PROCESSES = int(os.environ.get("XXGK_CRAWL_PROCESSES", "0"))

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("XXGK_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
# Scrapy checks a callback for a generator that returns a value (a mistake it warns of) by reading
# and parsing its source: 0.2-0.7 ms for the project's callbacks, and its cache, keyed by the bound
# method (a new object with each request), misses most of the time: about 0.5 s of CPU in a
# deferred crawl of 2,500 pages. tests/test_spider_callbacks.py makes the same check once.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Neither the telnet console nor Scrapy's remote-control HTTP server: a scheduled crawl needs no
# debugging port. The latter is left out of the base extensions, not only disabled: Scrapy loads
# every listed extension to compare names, and loading that one (aiohttp) costs ~0.4 s a start.
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {name: order for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if not name.endswith("RemoteControl")}
# A live progress line (rich) while a crawl runs, drawn only when standard error is a terminal.
EXTENSIONS = {"crawler.progress.CrawlProgress": 100}
XXGK_PROGRESS = os.environ.get("XXGK_PROGRESS", "1") == "1"

# Distributed crawling (scrapy-redis): `xxgk crawl --distributed redis://…` or this variable.
XXGK_REDIS_URL = os.environ.get("XXGK_REDIS_URL")
XXGK_REDIS_MAX_IDLE = float(os.environ.get("XXGK_REDIS_MAX_IDLE", 10))

# Browser for listings rendered by JavaScript (spiders `rendered` and `portal`), pages a script
# writes, and anti-bot challenges (every spider). Its handler starts it on the first request that
# needs it (crawler/browser.py): a crawl that needs none starts none.
DOWNLOAD_HANDLERS = dict.fromkeys(("http", "https"), "crawler.browser.BrowserOnDemandHandler")
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = "crawler.browser.request_headers"
# Debian's chromium-headless-shell where it is installed (`make system-deps` installs it), else its
# chromium. The shell is the headless build Playwright itself runs by default: Debian's full
# chromium runs headless as the whole browser. In a crawl of 200 portals, two of them rendered,
# the shell took 0.3 s of CPU against the full browser's 1.5 s, on cores the crawl fetches on.
BROWSERS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
XXGK_CHROMIUM = os.environ.get("XXGK_CHROMIUM") or next((b for b in BROWSERS if os.access(b, os.X_OK)), BROWSERS[-1])
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": XXGK_CHROMIUM,
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
# Playwright on an event loop of its own, in a thread (scrapy-playwright's loop for Windows, also
# right here): on the crawl's loop, busy with a whole crawl's responses, the browser's start waited
# ~10 s for its turns in a crawl of 200 portals, so its two rendered listings, and their reports,
# came last. On a loop of its own it starts while the crawl is in full flow
# (`xxgk/browser/first_page_seconds` in a run's stats: 3.5–5.8 s in that crawl).
_PLAYWRIGHT_THREADED_LOOP = True

# Two crawls never overlap: `xxgk crawl` and `xxgk recrawl` hold this lock while they run.
XXGK_LOCK_FILE = os.environ.get("XXGK_LOCK_FILE", "data/xxgk.lock")
# Pause and resume with Ctrl-C: Scrapy's job directory (set per run: -s JOBDIR=data/jobs/NAME).
