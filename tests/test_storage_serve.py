"""``xxgk serve``: Datasette over the demo corpus, read in a real browser (Debian's Chromium)."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from test_crawler_end_to_end import XXGK, run_xxgk

CHROMIUM = os.environ.get("XXGK_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "corpus.sqlite"
    assert run_xxgk(["demo", "--database", f"sqlite:///{db}"], folder).returncode == 0
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    process = subprocess.Popen(XXGK + ["serve", "--database", str(db), "--port", str(port)], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/corpus"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base, timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield base, db
    process.terminate()  # as systemd stops it: Datasette goes too, the port is free again
    assert process.wait(10) == 0
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def page():
    if not shutil.which(CHROMIUM) and not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium missing at {CHROMIUM} (make test installs it as root: scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser.new_page()
        browser.close()


def _rows(page) -> list[dict]:
    headers = [th.get_attribute("data-column") or th.inner_text().strip()
               for th in page.query_selector_all("table.rows-and-columns thead th")]
    return [dict(zip(headers, [td.inner_text().strip() for td in tr.query_selector_all("td")], strict=False))
            for tr in page.query_selector_all("table.rows-and-columns tbody tr")]


def test_facet_finds_a_county_report_and_its_cells_with_flags(served, page, portal):
    base, _ = served
    page.goto(f"{base}/reports?_facet=province&_facet=year&admin_level=county")
    provinces = [a.inner_text() for a in page.query_selector_all(".facet-info[data-column=province] li a")]
    assert provinces and "湖南省" in provinces
    page.click(".facet-info[data-column=year] li a >> text=2022")  # the facet narrows to one year
    rows = _rows(page)
    assert rows and all(r["year"] == "2022" and r["admin_level"] == "county" for r in rows)
    report_id = rows[0]["id"]
    page.goto(f"{base}/report?report_id={report_id}")
    cells = _rows(page)
    assert {c["table"] for c in cells} == {"active_disclosure", "applications", "review_litigation"}
    assert any(c["row"].startswith("一、本年新收") for c in cells)  # printed labels from the codebook
    broken = next(e for e in portal.expected if "identity_broken" in e.get("broken", ()))
    page.goto(f"{base}/reports?agency={broken['agency']}&year={broken['year']}")
    flagged_id = _rows(page)[0]["id"]
    page.goto(f"{base}/report?report_id={flagged_id}")
    assert any("identity_broken" in c["flags"] for c in _rows(page))


def test_canned_research_question_runs_in_the_browser(served, page):
    base, _ = served
    page.goto(f"{base}/county_requests")
    rows = _rows(page)
    assert rows and {"year", "province", "requests"} <= set(rows[0])
    assert all(r["requests"] == "" or float(r["requests"]) >= 0 for r in rows)  # blank: every value blank


def test_filtered_csv_download(served):
    base, _ = served
    with urllib.request.urlopen(f"{base}/reports.csv?year=2022&_size=max") as answer:
        lines = answer.read().decode("utf-8").splitlines()
    assert lines[0].startswith("id,") and len(lines) > 1 and all(",2022," in line for line in lines[1:])
