"""Sites behind anti-bot challenges, in the forms government portals' firewalls answer with
(kept apart in ``portal.unlisted``: crawled by the tests that ask for them).

- ``challenge_412``: every request without the right cookies gets status 412, a seed cookie
  (``Set-Cookie``, HttpOnly) and a page of no text: ``<meta id=… content=TOKEN r='m'>``, an inline
  ``$_ts=window['$_ts']…`` and ``<script src=…js r='m'>``. That script (served unguarded, as the
  firewall's own scripts are) reads the token, computes a second cookie from it and reloads. The
  token is derived from the seed and the request's User-Agent, so the cookie holds only for
  that User-Agent. One report is a PDF behind the same wall.
- ``challenge_521``: status 521 twice over: a first script writes ``__jsl_clearance`` and reloads,
  a second (``go({...})``) computes ``__jsl_clearance_s`` from a value in the page; both are bound
  to the ``__jsluid_h`` cookie the first answer sets.
- ``challenge_once``: each challenge carries a fresh token whose cookie is good for one request:
  a client that stores the cookies gets no further than the page the browser loaded; only a
  browser that meets every challenge does (report pages only).
- ``challenge_stuck``: a 412 whose script writes a cookie the server never takes: no browser
  gets past it.

- ``challenge_lookalike``: no wall, but a start page that looks like one: next to no text, a script
  that reads ``document.cookie`` (a font-size switch) and never reloads; its one link leads to an
  ordinary column.

The cookies are computed by loops in script, not written as literals: the pages cannot be
passed by reading them, only by running them.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from html import escape
from http.cookies import SimpleCookie

from .families import _li, _publish, _reports
from .pages import CHROME_BOTTOM, CHROME_TOP

SCRIPT_PATH = "4QbVtADbnLVI/c.FxJzG50F.dfe1675.js"  # the firewall's script, under each site's folder
# The cookie a token asks for: the same loop in script (SCRIPT below) and here.
MODULUS = 1_000_000_007


def _answer(token: str) -> str:
    value = 7
    for char in token:
        value = (value * 131 + ord(char)) % MODULUS
    return str(value)


SCRIPT = ("(function(){var m=document.querySelector('meta[r=\"m\"]');if(!m)return;var t=m.content,h=7;"
          "for(var i=0;i<t.length;i++){h=(h*131+t.charCodeAt(i))%" + str(MODULUS) + ";}"
          "document.cookie=m.getAttribute('data-name')+'='+h+'; path=/';location.reload();})();")


def _cookies(header: str | None) -> dict[str, str]:
    """The request's cookies, read by the standard library's parser, as a server reads them."""
    jar = SimpleCookie()
    jar.load(header or "")
    return {name: morsel.value for name, morsel in jar.items()}


def _token(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _wall(folder: str, token: str, cookie: str, status: int = 412, set_cookie: str | None = None):
    from .site import Resource

    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta id="aKq1GdR8xB" content="{token}" '
            f"data-name=\"{cookie}\" r='m'>"
            "<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=41727;"
            f"$_ts.cd=\"{token * 4}\";</script>"
            f'<script type="text/javascript" charset="utf-8" src="{folder}{SCRIPT_PATH}" r=\'m\'></script>'
            "</head><body></body></html>")
    headers = {"Set-Cookie": set_cookie} if set_cookie else {}
    return Resource(page.encode("utf-8"), "text/html; charset=utf-8", status=status, headers=headers)


def seeded_wall(folder: str) -> Callable:
    """The 412 wall: seed cookie from the server, second cookie from the script; both, and the
    same User-Agent, to pass."""
    secret = secrets.token_hex(8)

    def guard(headers) -> object | None:
        cookies, agent = _cookies(headers.get("Cookie")), headers.get("User-Agent", "")
        seed = cookies.get("FSSBBIl1UgzbN7N80S")
        if seed and cookies.get("FSSBBIl1UgzbN7N80T") == _answer(_token(secret, seed, agent)):
            return None
        fresh = seed is None
        seed = seed or secrets.token_hex(12)
        return _wall(folder, _token(secret, seed, agent), "FSSBBIl1UgzbN7N80T",
                     set_cookie=f"FSSBBIl1UgzbN7N80S={seed}; Path=/; HttpOnly" if fresh else None)

    return guard


def two_step_wall(folder: str) -> Callable:
    """The 521 wall in two steps, both cookies bound to the first answer's ``__jsluid_h``."""
    from .site import Resource

    secret = secrets.token_hex(8)

    def guard(headers) -> object | None:
        cookies = _cookies(headers.get("Cookie"))
        uid = cookies.get("__jsluid_h")
        first, second = _token(secret, "1", uid or ""), _token(secret, "2", uid or "")
        if uid and cookies.get("__jsl_clearance") == _answer(first) and \
                cookies.get("__jsl_clearance_s") == _answer(second):
            return None
        set_cookie = None
        if uid is None:
            uid = secrets.token_hex(16)
            first, second = _token(secret, "1", uid), _token(secret, "2", uid)
            set_cookie = f"__jsluid_h={uid}; max-age=31536000; path=/; HttpOnly"
        loop = ("var h=7;for(var i=0;i<t.length;i++){h=(h*131+t.charCodeAt(i))%" + str(MODULUS) + ";}")
        if cookies.get("__jsl_clearance") != _answer(first) or set_cookie:
            script = (f"<script>var t='{first}';{loop}document.cookie=('__j')+('sl_')+('clearance')+'='+h+"
                      "';max-age=3600;path=/';location.href=location.pathname+location.search</script>")
        else:
            script = ("<script>function go(a){var t=a.ct;" + loop + "document.cookie=a.tn+'='+h+';max-age='+"
                      "a.vt+';path=/';location.href=location.pathname+location.search}</script>"
                      f'<script>go({{"tn":"__jsl_clearance_s","vt":"3600","ct":"{second}"}})</script>')
        return Resource(f"<html>{script}</html>".encode(), "text/html", status=521,
                        headers={"Set-Cookie": set_cookie} if set_cookie else {})

    return guard


def one_time_wall(folder: str) -> Callable:
    """Each challenge a fresh token; each cookie good for one request."""
    secret, lock, open_tokens = secrets.token_hex(8), threading.Lock(), set()

    def guard(headers) -> object | None:
        answer = _cookies(headers.get("Cookie")).get("wzws_cid")
        with lock:
            for token in list(open_tokens):
                if _answer(token) == answer:
                    open_tokens.discard(token)
                    return None
            token = _token(secret, secrets.token_hex(8))
            open_tokens.add(token)
        return _wall(folder, token, "wzws_cid")

    return guard


def stuck_wall(folder: str) -> Callable:
    """A 412 whose cookie the server never takes."""
    return lambda headers: _wall(folder, _token("stuck"), "never_taken")


SITES = (
    ("challenge_412", "/qxx/xxgk/gknb/", "清溪县人民政府", seeded_wall, ("清溪县人民政府", "清溪县教育局"), "pdf"),
    ("challenge_521", "/bsx/zfxxgk/ndbg/", "白沙县人民政府", two_step_wall, ("白沙县人民政府",), None),
    ("challenge_once", "/hyz/xxgk/nb/", "和阳镇人民政府", one_time_wall, ("和阳镇人民政府",), None),
    ("challenge_stuck", "/gcx/xxgk/nb/", "高村乡人民政府", stuck_wall, ("高村乡人民政府",), None),
)


def add_challenge_sites(portal) -> None:
    from .site import Resource

    for n, (name, folder, site, wall, agencies, attachment) in enumerate(SITES):
        column = "政府信息公开年报"
        reports = _reports(agencies, (2021, 2022, 2023), 700 + 10 * n)
        before = len(portal.expected)
        items = [(_publish(portal, name, site, column, r, f"{folder}{r['year'] + 1}/t{r['year'] + 1}0216_{k}.html",
                           attachment=attachment if k == 1 else None), r["title"], r["published"])
                 for k, r in enumerate(reports)]
        expected = portal.expected[before:]
        del portal.expected[before:]
        for page, part in ((0, items[:2]), (1, items[2:])):
            pager = '<a href="index_1.html">下一页</a>' if page == 0 else '<a href="index.html">上一页</a>'
            listing = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{escape(site)}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="list">{"".join(_li(*item) for item in part)}</ul>
<div class="page">{pager}</div>{CHROME_BOTTOM.format(site=site)}</body></html>"""
            name_ = "index.html" if page == 0 else "index_1.html"
            portal.resources[folder + name_] = Resource(listing.encode("utf-8"), "text/html; charset=utf-8")
        portal.resources[folder + SCRIPT_PATH] = Resource(SCRIPT.encode(), "application/javascript")
        guard = wall(folder)
        portal.guards[folder] = lambda rest, headers, guard=guard: None if rest == SCRIPT_PATH else guard(headers)
        portal.unlisted[name] = {"start": folder + "index.html", "region": "湖南省/常德市",
                                 "expected": [] if wall is stuck_wall else expected}


def add_lookalike(portal) -> None:
    from .site import Resource

    site, column, folder = "武陵镇人民政府", "政府信息公开年报", "/wlz/"
    reports = _reports((site,), (2022, 2023), 740)
    before = len(portal.expected)
    items = [(_publish(portal, "challenge_lookalike", site, column, r, f"{folder}xxgk/nb/t{r['year'] + 1}_{k}.html"),
              r["title"], r["published"]) for k, r in enumerate(reports)]
    expected = portal.expected[before:]
    del portal.expected[before:]
    start = (f'<html><head><meta charset="utf-8"><title>{site}</title><script>var size = '
             "(document.cookie.match(/fontsize=(\\d+)/) || [0, 14])[1];</script></head>"
             f'<body><a href="{folder}xxgk/nb/index.html">{column}</a></body></html>')
    portal.resources[folder + "index.html"] = Resource(start.encode("utf-8"), "text/html; charset=utf-8")
    listing = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}-{site}</title></head>
<body>{CHROME_TOP.format(site=site)}<ul class="list">{"".join(_li(*item) for item in items)}</ul>
{CHROME_BOTTOM.format(site=site)}</body></html>"""
    portal.resources[folder + "xxgk/nb/index.html"] = Resource(listing.encode("utf-8"), "text/html; charset=utf-8")
    portal.unlisted["challenge_lookalike"] = {"start": folder + "index.html", "region": "湖南省/常德市",
                                              "expected": expected}
