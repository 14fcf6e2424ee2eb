"""Anti-bot challenges: told from pages, passed with the browser once a host, and given up with a
reason where the browser cannot pass them.

The challenge forms below follow what firewalls in front of government portals answer (facts,
written out here, not saved pages): the 412 (some versions 202) first answer with
``<meta … r='m'>``, an inline ``$_ts=window['$_ts']`` and ``<script src=… r='m'>`` (wlt.hubei.gov.cn's
listings answered ``412 Precondition Failed``, jae-jae/QueryList issue #150; www.nhc.gov.cn's the
same page with status 200); the 521 answers whose script writes ``__jsl_clearance`` and reloads
with ``location.href=location.pathname+location.search``, then ``go({...})`` for
``__jsl_clearance_s``; the ``acw_sc__v2`` page of status 200; and the firewall's script injected
into a page of content, once a client has passed.
"""

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from test_crawler_end_to_end import run_xxgk

from crawler.browser import request_headers
from crawler.challenge import is_challenge
from storage.repository import Repository

RUISHU = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta id=\"9DhefwqGPrzGxEp9hPaoag\" "
          b"content=\"4bGa5aDVGqpIzfd3pE0wYA\" r='m'><script type=\"text/javascript\" r='m'>"
          b"$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=86422;$_ts.cd=\"qSqHrrAlxGqcrGAZrr9VrrAlraqzqqq\";"
          b"</script><script type=\"text/javascript\" charset=\"utf-8\" src=\"/8nhkUgcXqCbs/Ab4Sw1RTmwVA.6b4bf1b.js\" "
          b"r='m'></script></head><body></body></html>")
JSL_FIRST = (b"<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+"
             b"('n')+('c')+('e')+('_')+('s')+('=')+(+!+[]+'')+(3+3+'')+'|0|'+'abc%3D;max-age=3600;path=/';"
             b"location.href=location.pathname+location.search</script>")
JSL_SECOND = (b"<script>var _0x5e2a=['go'];function go(_0x1){var _0x2=_0x1['ct'];document.cookie=_0x1['tn']+'='+"
              b"_0x2+';Max-age='+_0x1['vt']+'; path = /';location['href']=location['pathname']+location['search']}"
              b"</script><script>go({\"bts\":[\"1700000000.1|0|\",\"%3D\"],\"chars\":\"abc\",\"ct\":\"d41d8cd98f\","
              b"\"ha\":\"md5\",\"tn\":\"__jsl_clearance_s\",\"vt\":\"3600\",\"wt\":\"1500\"})</script>")
ACW = (b"<html><script>var arg1='3F2B8A1C9D4E5F60718293A4B5C6D7E8F9012345';function setCookie(name,value){"
       b"var expiredate=new Date();expiredate.setTime(expiredate.getTime()+(3600*1000));document.cookie=name+'='+"
       b"value+';expires='+expiredate.toGMTString()+';max-age=3600;path=/';}setCookie('acw_sc__v2','x');"
       b"document.location.reload();</script></html>")
# A column page the firewall has injected its script into: content, not a challenge.
INJECTED = RUISHU.replace(b"<body></body>", (
    "<body><div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/hdjl/'>互动交流</a></div>"
    "<ul class='list'>" + "".join(f"<li><a href='./t2024{n}.html'>某某县人民政府2023年政府信息公开工作年度报告</a>"
                                  f"<span>2024-01-{n + 10}</span></li>" for n in range(5))
    + "</ul><div class='foot'>主办单位：某某县人民政府办公室 地址：某某县人民路1号</div></body>").encode())
# A shell a script fills, with its chrome: content; and a page that moves on by script: no challenge.
SHELL = ("<html><head><script src='/js/list.js'></script></head><body><div class='nav'>首页 政务公开 "
         "政府信息公开 政府信息公开指南 政府信息公开制度 法定主动公开内容 政府信息公开年报 依申请公开 </div>"
         "<ul id='list'></ul><div class='foot'>主办单位：某某县人民政府办公室 承办单位：某某县大数据中心 "
         "网站标识码：4300000001 备案号：湘ICP备00000000号</div></body></html>").encode()
MOVE_ON = b"<html><head><script>window.location.href='/zfxxgk/index.html';</script></head><body></body></html>"


PAGES = Path(__file__).parent / "pages"  # real saved pages: tests/pages/SOURCES.md


def test_real_pages_behind_a_firewall():
    """The challenge epub.cnipa.gov.cn answered with, as saved, at the statuses that firewall
    answers with; and a content page of a site behind it, the firewall's script injected into its
    head, which is read as the page it is."""
    challenge = (PAGES / "challenge_ruishu_epub_cnipa.html").read_bytes()
    assert all(is_challenge(status, challenge) for status in (412, 202, 200))
    assert not is_challenge(404, challenge)
    injected = (PAGES / "injected_ruishu_nuaa_cs.html").read_bytes()
    assert b"$_ts=window['$_ts']" in injected and not is_challenge(200, injected)


@pytest.mark.parametrize(("status", "body"), [(412, RUISHU), (202, RUISHU), (200, RUISHU), (521, JSL_FIRST),
                                              (521, JSL_SECOND), (200, ACW)])
def test_challenges_are_told(status, body):
    assert is_challenge(status, body)


@pytest.mark.parametrize(("status", "body"), [
    (200, INJECTED), (200, SHELL), (200, MOVE_ON), (404, RUISHU),  # a page not found is not waited out
    (412, b""), (412, b"<html><body>Precondition Failed</body></html>"),  # a conditional request's 412
    (503, b"<html><body><h1>503 Service Temporarily Unavailable</h1><hr><center>nginx</center></body></html>"),
    (403, MOVE_ON),  # forbidden, with script but no cookie written
])
def test_pages_are_not_challenges(status, body):
    assert not is_challenge(status, body)


class _Headers:
    def __init__(self, values):
        self.values = values

    def to_unicode_dict(self):
        from scrapy.utils.datatypes import CaseInsensitiveDict

        return CaseInsensitiveDict(self.values)


class _BrowserRequest:
    def __init__(self, headers, navigation):
        self.headers, self.navigation = headers, navigation

    async def all_headers(self):
        return self.headers

    def is_navigation_request(self):
        return self.navigation


def test_a_navigation_carries_the_cookies_its_script_wrote():
    """The reload after a challenge's script has written its cookie: the browser's cookies go with
    the crawl's (the browser's winning), under the crawl's User-Agent, without the conditional
    headers a plain request sent again through the browser still carries."""
    scrapy = {"User-Agent": "xxgk/0.1", "Cookie": "S=seed; T=old", "If-None-Match": '"abc"'}
    browser = {"user-agent": "HeadlessChrome", "cookie": "T=new", "referer": "http://a.gov.cn/x"}
    headers = asyncio.run(request_headers(browser_type_name="chromium", playwright_request=_BrowserRequest(
        browser, True), scrapy_request_data={"headers": _Headers(scrapy)}))
    assert headers["user-agent"] == "xxgk/0.1" and "if-none-match" not in headers  # a 304 would leave no page
    assert sorted(headers["cookie"].split("; ")) == ["S=seed", "T=new"]
    assert headers["referer"] == "http://a.gov.cn/x"
    other = asyncio.run(request_headers(browser_type_name="chromium", playwright_request=_BrowserRequest(
        browser, False), scrapy_request_data={"headers": _Headers(scrapy)}))
    assert other == {**browser, "user-agent": "xxgk/0.1"}  # a script's or picture's request: the browser's own


def _crawl(portal, portal_url, tmp_path, name, **environ):
    site = portal.unlisted[name]
    db = tmp_path / "crawl.sqlite"
    result = run_xxgk(["crawl", "--start-url", portal_url + site["start"], "--family", "portal"], tmp_path,
                      f"sqlite:///{db}", **environ)
    repo = Repository.from_url(f"sqlite:///{db}")
    stored = {(r["agency"], r["year"]): r for r in repo.report_dicts()}
    failures = repo.failures()
    repo.close()
    with sqlite3.connect(db) as conn:
        stats = [json.loads(row[0]) for row in conn.execute("SELECT stats FROM crawl_runs")]
    return result, stored, failures, stats[-1]


@pytest.mark.parametrize("name", ["challenge_412", "challenge_521"])
def test_a_challenge_is_passed_once_and_the_crawl_goes_on_plainly(name, portal, portal_url, tmp_path):
    """Every report behind the wall (a PDF too), the browser opened once: the cookies it got carry
    the plain requests after it (bound to the crawl's User-Agent, in the 412 site's case)."""
    result, stored, failures, stats = _crawl(portal, portal_url, tmp_path, name)
    assert result.returncode == 0, result.stderr[-2000:]
    expected = {(e["agency"], e["year"]): e for e in portal.unlisted[name]["expected"]}
    assert set(stored) == set(expected) and not failures
    for key, report in stored.items():
        assert report["tables"] == expected[key]["tables"], key
    assert stats["xxgk/challenge/passed"] == 1
    assert stats["playwright/page_count"] == 1  # the one visit; then plain requests only
    assert stats["downloader/response_status_count/412" if name == "challenge_412" else
                 "downloader/response_status_count/521"] <= 2  # the first answer, the browser's first
    assert "xxgk/challenge/browser_hosts" not in stats
    if name == "challenge_412":
        assert any(e["form"] == "pdf" for e in expected.values())


def test_a_challenge_met_on_every_request_sends_the_host_through_the_browser(portal, portal_url, tmp_path):
    """A cookie good for one request: plain requests cannot follow the browser, so the host's
    pages go through it, and each challenge is met there."""
    result, stored, failures, stats = _crawl(portal, portal_url, tmp_path, "challenge_once")
    assert result.returncode == 0, result.stderr[-2000:]
    expected = {(e["agency"], e["year"]): e for e in portal.unlisted["challenge_once"]["expected"]}
    assert set(stored) == set(expected) and not failures
    for key, report in stored.items():
        assert report["tables"] == expected[key]["tables"], key
    assert stats["xxgk/challenge/browser_hosts"] == 1


def test_a_challenge_the_browser_cannot_pass_is_a_failure_with_its_reason(portal, portal_url, tmp_path):
    result, stored, failures, stats = _crawl(portal, portal_url, tmp_path, "challenge_stuck")
    assert result.returncode == 4, result.stderr[-2000:]  # nothing could be fetched
    assert "Traceback" not in result.stderr
    [(url, outcome, reason)] = failures
    assert url.endswith(portal.unlisted["challenge_stuck"]["start"]) and outcome == "fetch_failed"
    assert reason == "http 412: anti-bot challenge the browser did not get past"
    assert stats["xxgk/challenge/not_passed"] == 1 and not stored


def test_challenges_left_alone_when_asked(portal, portal_url, tmp_path):
    result, stored, failures, stats = _crawl(portal, portal_url, tmp_path, "challenge_412", XXGK_CHALLENGES="0")
    assert result.returncode == 4 and not stored
    assert [reason for _, _, reason in failures] == ["http 412"]
    assert not any(key.startswith("playwright/") for key in stats)  # the browser was not started


def test_a_page_that_only_looks_like_a_challenge_is_read_as_it_is(portal, portal_url, tmp_path):
    """A start page of next to no text whose script reads a cookie and stays put: the browser
    sees it load once and no more, so it is no challenge. It is read as served (its link leads to
    the reports), and nothing of the host is taken for a challenge again."""
    result, stored, failures, stats = _crawl(portal, portal_url, tmp_path, "challenge_lookalike")
    assert result.returncode == 0, result.stderr[-2000:]
    expected = {(e["agency"], e["year"]) for e in portal.unlisted["challenge_lookalike"]["expected"]}
    assert set(stored) == expected and not failures
    assert stats["xxgk/challenge/cookieless"] == 1
    assert stats["xxgk/challenge/met"] == 1  # once: the browser's own drawing of it was not taken for one
    assert "xxgk/challenge/passed" not in stats and "xxgk/challenge/browser_hosts" not in stats
