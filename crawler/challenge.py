"""Anti-bot challenge pages: telling them from the page they stand in for, and waiting one out in
the browser.

Many portals sit behind a web application firewall that answers a client it does not know yet
with a page of script instead of the page asked for. The script computes a cookie and loads the
page again; a client that runs no script never gets further. The forms met on government
portals:

- a first answer of status 412 (some versions 202) holding ``<meta … r='m'>``, an inline
  ``$_ts=window['$_ts']…`` and an obfuscated ``<script src=… r='m'>``, with a seed cookie in
  ``Set-Cookie``; the script writes a second cookie from it and reloads (wlt.hubei.gov.cn's
  listings answered ``412 Precondition Failed`` so);
- status 521 with ``<script>document.cookie=…;location.href=location.pathname+location.search</script>``,
  then a second 521 whose script computes a further cookie, then the page (``__jsl_clearance``);
- status 200 whose script sets a cookie (``acw_sc__v2``, ``security_session_verify``) and reloads.

None of these pages holds text of its own to speak of; that, script, and the status or a cookie
being written is what ``is_challenge`` looks for. A page of content that the firewall has only
injected its script into (as it does once a client has passed) has its text, and is not one.
"""

from __future__ import annotations

import asyncio
import re
import time

# Statuses a challenge comes with whatever its script says; under 403 and 503 (and 200) the
# script must also be seen to write a cookie or be the firewall's own.
CHALLENGE_STATUSES = frozenset({202, 412, 521})
MARKED_STATUSES = frozenset({200, 403, 503})
MAX_BYTES = 256 * 1024  # a challenge is small; a page larger than this is content
MARKED_MAX_BYTES = 64 * 1024  # and one of an ordinary status smaller still (pages are looked at first)
MAX_TEXT = 150  # characters of visible text a challenge page may show ("正在验证…")
# What a challenge's script writes, as it is spelled (plain substring tests: a case-blind regex
# over a page of 100 KB took 4 ms, a crawl's whole budget for the page).
MARKERS = (b"document.cookie", b"$_ts", b"r='m'", b'r="m"', b"acw_sc__v2", b"__jsl", b"security_verify",
           b"yunsuo_session", b"location.reload(")
_SCRIPT = re.compile(rb"<script", re.I)
# The page in pieces: a hidden block (script, style, comment…), a tag, or text between tags.
_PIECES = re.compile(rb"<(script|style|noscript|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>?|[^<]+", re.I | re.S)
_ENTITY = re.compile(rb"&(?:nbsp|#160|#xa0);|&[a-z]+;|&#\d+;", re.I)
_SPACE = re.compile(rb"\s+")


def visible_chars(body: bytes, stop: int | None = None) -> int:
    """Bytes of text a reader would see (scripts, styles, comments and tags left out), counted
    up to ``stop`` at most (a page of content is told from its first lines); a CJK character
    counts as its UTF-8 or GBK bytes, which only matters far above ``MAX_TEXT``."""
    seen = 0
    for piece in _PIECES.finditer(body):
        if piece.group(1) is None and not piece.group().startswith(b"<"):
            seen += len(_SPACE.sub(b"", _ENTITY.sub(b" ", piece.group())))
            if stop is not None and seen > stop:
                break
    return seen


def is_challenge_page(body: bytes) -> bool:
    """Whatever the status: a small page of script and next to no text."""
    return len(body) <= MAX_BYTES and bool(_SCRIPT.search(body)) and visible_chars(body, MAX_TEXT) <= MAX_TEXT


def is_challenge(status: int, body: bytes) -> bool:
    """Whether an answer is a challenge to run script, not the page asked for."""
    if status in CHALLENGE_STATUSES:
        return is_challenge_page(body)
    if status in MARKED_STATUSES:
        return len(body) <= MARKED_MAX_BYTES and any(marker in body for marker in MARKERS) \
            and is_challenge_page(body)
    return False


WAIT_SECONDS = 20.0  # how long the browser is given to get past a challenge
STILL_SECONDS = 8.0  # a page that has not loaded again by then is no challenge: its script stays put
POLL_SECONDS = 0.25


async def wait_out_challenge(page, seconds: float = WAIT_SECONDS) -> dict:
    """A page method for scrapy-playwright (runs in the browser's loop): wait until the page the
    browser shows is no challenge (its script has set its cookies and loaded the page again,
    perhaps more than once), then return the browser's cookies for the page's address and
    whether it got past (``passed``). A page counts once it has loaded in full, twice in a row
    (a page between two loads is empty, not passed). A page that looks like a challenge but has
    not loaded again in ``STILL_SECONDS`` (the same document all along) is none: ``still``."""
    started = time.monotonic()
    passed, still, seen, first = False, False, 0, None
    while True:
        try:
            state, content, origin = await page.evaluate(
                "() => [document.readyState, document.documentElement.outerHTML, performance.timeOrigin]")
        except Exception:  # noqa: BLE001 - the page is navigating (the script reloads it): look again
            state, content, origin = None, "", None
        first = first if first is not None or state != "complete" else origin
        if state == "complete" and not is_challenge_page(content.encode("utf-8", "replace")):
            seen += 1
            if seen == 2:
                passed = True
                break
        else:
            seen = 0
        waited = time.monotonic() - started
        if waited >= STILL_SECONDS and origin is not None and origin == first:
            still = True
            break
        if waited >= seconds:
            break
        await asyncio.sleep(POLL_SECONDS)
    url = page.url
    cookies = await page.context.cookies([url]) if url.startswith("http") else []
    if not passed:
        # a script that reloads for ever (or whose reloads the browser throttles) would hold the
        # wait for the page's load that scrapy-playwright follows a page method with, to its
        # time-out; what the page showed is not wanted (a challenge, or a page the plain answer
        # already holds)
        await _leave(page)
    return {"passed": passed, "still": still, "cookies": cookies}


async def _leave(page, tries: int = 20) -> None:
    """The page taken to about:blank, where no script runs; a reload of the page's own script may
    interrupt the first tries."""
    for _ in range(tries):
        try:
            await page.goto("about:blank", wait_until="commit")
            return
        except Exception:  # noqa: BLE001 - interrupted by the page's own navigation: once more
            await asyncio.sleep(POLL_SECONDS)
