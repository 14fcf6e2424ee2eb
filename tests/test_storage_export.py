import csv
import json

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.extract import Hints, extract
from pipelines.model import RawDocument
from storage import models
from storage.export import Filters, export
from storage.repository import Repository


@pytest.fixture
def stored(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    for expected in portal.expected:
        resource = portal.resources[expected["url"]]
        region = portal.regions[expected["site"]]
        raw = RawDocument(url="http://portal.test" + expected["url"], body=resource.body,
                          headers={"Content-Type": resource.content_type}, source=expected["site"],
                          region=region)
        raw.report = extract(resource.body, resource.content_type, Hints(region=region))
        repo.record(raw)
    yield repo
    repo.close()


def test_jsonl_filters(stored, portal, tmp_path):
    out = tmp_path / "r.jsonl"
    n = export(stored, "jsonl", out, Filters(years=(2020,)))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == sum(1 for e in portal.expected if e["year"] == 2020)
    assert all(r["year"] == 2020 and r["place"]["province"] for r in rows)


def test_csv_long_form(stored, portal, tmp_path):
    out = tmp_path / "cells.csv"
    n = export(stored, "csv", out, Filters(province="江西省"))
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gbk = [e for e in portal.expected if e["site"] == "gbk"]
    assert n == len(rows) == sum(len(c) for e in gbk for t in e["tables"].values() for c in t.values())
    assert {r["agency"] for r in rows} == {e["agency"] for e in gbk}
    blank = [r for r in rows if r["kind"] == "blank"]
    assert all(r["value"] == "" for r in blank)


def test_parquet(stored, portal, tmp_path):
    out = tmp_path / "cells.parquet"
    n = export(stored, "parquet", out, Filters(agency="教育局"))
    table = pq.read_table(out)
    assert table.num_rows == n > 0
    assert set(table.column("agency").to_pylist()) == {e["agency"] for e in portal.expected if "教育局" in e["agency"]}


def test_history_kept_when_replaced(stored, portal):
    expected = next(e for e in portal.expected if e["form"] == "html")
    resource = portal.resources[expected["url"]]
    raw = RawDocument(url="http://portal.test" + expected["url"], body=resource.body)
    raw.report = extract(resource.body, resource.content_type)
    stored.record(raw)
    with Session(stored.engine) as session:
        versions = session.scalars(select(models.ReportVersion)).all()
        assert len(versions) == 1
        assert len(versions[0].cells) == sum(len(c) for t in expected["tables"].values() for c in t.values())
        assert session.scalar(select(func.count()).select_from(models.Report)) == len(portal.expected)
