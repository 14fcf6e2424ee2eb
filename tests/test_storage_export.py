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
    for expected in portal.served_reports():
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
    assert n == len(rows) == sum(1 for e in portal.served_reports() if e["year"] == 2020)
    assert all(r["year"] == 2020 and r["place"]["province"] for r in rows)


def test_csv_long_form(stored, portal, tmp_path):
    out = tmp_path / "cells.csv"
    n = export(stored, "csv", out, Filters(province="江西省"))
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gbk = [e for e in portal.served_reports() if e["site"] == "gbk"]
    assert n == len(rows) == sum(len(c) for e in gbk for t in e["tables"].values() for c in t.values())
    assert {r["agency"] for r in rows} == {e["agency"] for e in gbk}
    blank = [r for r in rows if r["kind"] == "blank"]
    assert all(r["value"] == "" for r in blank)


def test_parquet(stored, portal, tmp_path):
    out = tmp_path / "cells.parquet"
    n = export(stored, "parquet", out, Filters(agency="教育局"))
    table = pq.read_table(out)
    assert table.num_rows == n > 0
    assert set(table.column("agency").to_pylist()) == {
        e["agency"] for e in portal.served_reports() if "教育局" in e["agency"]}


def test_history_kept_when_replaced(stored, portal):
    expected = next(e for e in portal.served_reports() if e["form"] == "html")
    resource = portal.resources[expected["url"]]
    raw = RawDocument(url="http://portal.test" + expected["url"], body=resource.body)
    raw.report = extract(resource.body, resource.content_type)
    stored.record(raw)
    with Session(stored.engine) as session:
        versions = session.scalars(select(models.ReportVersion)).all()
        assert len(versions) == 1
        assert len(versions[0].cells) == sum(len(c) for t in expected["tables"].values() for c in t.values())
        assert session.scalar(select(func.count()).select_from(models.ReportRow)) == len(portal.served_reports())


def test_csv_rows_carry_provenance_integers_and_flags(stored, portal, tmp_path):
    out = tmp_path / "cells.csv"
    export(stored, None, out)  # the format from the extension
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {"title", "published", "township", "page_url", "url", "note", "flags"} <= set(rows[0])
    numbers = [r["value"] for r in rows if r["kind"] == "number"]
    assert numbers and not any(v.endswith(".0") for v in numbers)
    assert any(r["kind"] == "blank" and r["value"] == "" for r in rows)  # blank stays apart from 0
    assert any(r["value"] == "0" for r in rows)
    broken = next(e for e in portal.served_reports() if "identity_broken" in e.get("broken", ()))
    flagged = [r for r in rows if r["agency"] == broken["agency"] and r["year"] == str(broken["year"])
               and r["flags"]]
    assert flagged and all("identity_broken" in r["flags"] for r in flagged)


def test_wide_csv_is_a_report_a_row(stored, portal, tmp_path):
    out = tmp_path / "wide.csv"
    n = export(stored, "csv-wide", out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert n == len(rows) == len(portal.served_reports())
    expected = portal.served_reports()[0]
    row = next(r for r in rows if (r["agency"], r["year"]) == (expected["agency"], str(expected["year"])))
    value = expected["tables"]["applications"]["new_received"]["total"]
    assert row["applications.new_received.total"] == ("" if value is None else str(value))


def test_format_from_extension_and_standard_output(stored, tmp_path, capsys):
    from storage.export import ExportError, format_for

    assert [format_for(None, name) for name in ("a.jsonl", "a.CSV", "a.parquet", "a.sqlite", "-")] == \
        ["jsonl", "csv", "parquet", "sqlite", "jsonl"]
    with pytest.raises(ExportError):
        format_for(None, "reports.txt")
    with pytest.raises(ExportError):
        format_for("parquet", "-")
    n = export(stored, "jsonl", "-", Filters(years=(2020,)))
    printed = capsys.readouterr().out.splitlines()
    assert n == len(printed) > 0 and not (tmp_path / "-").exists()
    assert all(json.loads(line)["page_url"] for line in printed)


def test_sqlite_export_holds_reports_cells_and_the_codebook(stored, portal, tmp_path):
    out = tmp_path / "corpus.sqlite"
    n = export(stored, "sqlite", out)
    copy = Repository.from_url(f"sqlite:///{out}")
    with Session(copy.engine) as session:
        reports = session.scalar(select(func.count()).select_from(models.ReportRow))
        cells = session.scalar(select(func.count()).select_from(models.CellRow))
        documents = session.scalar(select(func.count()).select_from(models.Document))
        codebook = session.scalar(select(func.count()).select_from(models.CodebookEntry))
    copied = {(r["agency"], r["year"]): r["tables"] for r in copy.report_dicts()}
    copy.close()
    with Session(stored.engine) as session:
        assert cells == session.scalar(select(func.count()).select_from(models.CellRow))
    assert n == reports == len(portal.served_reports()) and documents == 0 and codebook > 50
    assert copied == {(r["agency"], r["year"]): r["tables"] for r in stored.report_dicts()}
