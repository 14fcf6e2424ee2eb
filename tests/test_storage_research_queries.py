"""The README's five research questions, run on both engines against the demo data, give the
numbers the fixture portal's ground truth implies."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text
from test_crawler_end_to_end import run_xxgk

from pipelines.extract.agency import place_of
from storage.repository import Repository

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_queries() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Querying the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_database(request, tmp_path_factory):
    from conftest import _postgres_database

    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        urls = iter([f"sqlite:///{folder / 'demo.sqlite'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    result = run_xxgk(["demo", "--database", url], folder)
    assert result.returncode == 0, result.stderr[-2000:]
    yield url
    for _ in urls:  # drops the PostgreSQL database
        pass


def _run(url: str, sql: str) -> list[tuple]:
    repo = Repository.from_url(url)
    with repo.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(sql))]
    repo.close()
    return rows


def _num(value):
    return None if value is None else round(float(value), 6)


def test_five_queries_in_readme():
    assert len(readme_queries()) == 5


def test_q1_county_requests_by_province(demo_database, portal):
    expected = {}
    for r in portal.expected:
        place = place_of(r["agency"], portal.regions[r["site"]])
        value = r["tables"]["applications"]["new_received"]["total"]
        if place.level == "county":  # SQL's SUM: null when every value is blank
            key = (r["year"], place.province)
            expected[key] = value if expected.get(key) is None else expected[key] + (value or 0)
    got = {(y, p): _num(v) for y, p, v in _run(demo_database, readme_queries()[0])}
    assert got == {k: _num(v) for k, v in expected.items()} and got


def test_q2_process_information_share(demo_database, portal):
    refused, handled = defaultdict(float), defaultdict(float)
    for r in portal.expected:
        apps = r["tables"]["applications"]
        refused[r["year"]] += apps["withheld_process_information"]["total"] or 0
        handled[r["year"]] += apps["total_handled"]["total"] or 0
    got = {y: (_num(a), _num(b)) for y, a, b in _run(demo_database, readme_queries()[1])}
    assert got == {y: (_num(refused[y]), _num(handled[y])) for y in handled}


def test_q3_tables_that_do_not_add_up(demo_database, portal):
    got = _run(demo_database, readme_queries()[2])
    broken = {(r["agency"], r["year"]) for r in portal.expected if r.get("broken")}
    assert broken and {(a, y) for a, y, *_ in got} == broken
    assert any(code == "identity_broken" and where == "applications.natural_person"
               for _, _, code, where, _ in got)


def test_q4_review_and_litigation(demo_database, portal):
    cases, corrected = defaultdict(float), defaultdict(float)
    for r in portal.expected:
        for row in r["tables"]["review_litigation"].values():
            cases[r["year"]] += row["total"] or 0
            corrected[r["year"]] += row["corrected"] or 0
    got = {y: (_num(a), _num(b)) for y, a, b in _run(demo_database, readme_queries()[3])}
    assert got == {y: (_num(cases[y]), _num(corrected[y])) for y in cases}


def test_q5_enterprises_under_2021_template(demo_database, portal):
    enterprises, total = defaultdict(float), defaultdict(float)
    for r in portal.expected:
        if r["template"] == "2021":
            row = r["tables"]["applications"]["new_received"]
            enterprises[r["year"]] += row["commercial_enterprise"] or 0
            total[r["year"]] += row["total"] or 0
    got = {y: (_num(a), _num(b)) for y, a, b in _run(demo_database, readme_queries()[4])}
    assert got == {y: (_num(enterprises[y]), _num(total[y])) for y in total}
