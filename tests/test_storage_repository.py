"""Storage round trip on SQLite and the running PostgreSQL."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.extract import extract
from pipelines.model import RawDocument
from storage import body as bodies
from storage import models
from storage.repository import Repository


def _raw(portal, expected, **extra):
    resource = portal.resources[expected["url"]]
    raw = RawDocument(url="http://portal.test" + expected["url"], body=resource.body,
                      headers={"Content-Type": resource.content_type}, status=200, source="test", **extra)
    raw.report = extract(resource.body, resource.content_type)
    return raw


def test_round_trip(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    run = repo.start_run("test")
    expected = next(e for e in portal.expected if e["form"] == "gbk")
    stored = repo.record(_raw(portal, expected), run)
    repo.finish_run(run, "finished", {"item_scraped_count": 1})
    [report] = list(repo.report_dicts())
    assert report["tables"] == expected["tables"]
    assert (report["agency"], report["year"], report["template"]) == (
        expected["agency"], expected["year"], expected["template"])
    assert report["published"] == expected["published"]
    assert report["source"] == "test"
    with Session(repo.engine) as session:
        document = session.get(models.Document, stored.document_id)
        fetched = portal.resources[expected["url"]].body
        assert document.body_codec == "zstd" and len(document.body) < len(fetched) / 3  # kept compressed
        assert bodies.unpack(document.body, document.body_codec) == fetched  # raw bytes kept
        assert document.size == len(fetched)
        assert len(document.sha256) == 64 and document.encoding == "gb18030"
        assert document.headers["Content-Type"] == "text/html"
        blank = session.scalar(select(models.CellRow).where(models.CellRow.kind == "blank").limit(1))
        assert blank is None or blank.value is None
    repo.close()


def test_same_bytes_again_is_an_event_new_bytes_replace_cells(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    expected = next(e for e in portal.expected if e["form"] == "html")
    first = repo.record(_raw(portal, expected))
    again = repo.record(_raw(portal, expected))
    assert again.document_id is None  # identical bytes: recorded as an event, not stored twice
    changed = _raw(portal, expected)
    changed.body += b"<!-- republished -->"
    second = repo.record(changed)
    assert second.report_id == first.report_id
    with Session(repo.engine) as session:
        assert session.scalar(select(func.count()).select_from(models.ReportRow)) == 1
        assert session.scalar(select(func.count()).select_from(models.Document)) == 2
        assert session.scalars(select(models.FetchEvent.event)).all() == ["unchanged"]
        assert session.scalar(select(func.count()).select_from(models.ReportVersion)) == 1
        cells = session.scalar(select(func.count()).select_from(models.CellRow))
    assert cells == sum(len(cols) for rows in expected["tables"].values() for cols in rows.values())
    repo.close()


def test_failed_fetch_recorded_with_reason(database_url):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    stored = repo.record(RawDocument(url="http://portal.test/missing.html", status=404, error="http 404"))
    assert stored.report_id is None
    assert repo.failures() == [("http://portal.test/missing.html", "fetch_failed", "http 404")]
    repo.close()


def test_a_batch_keeps_its_order_and_compares_a_url_with_itself(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    expected = next(e for e in portal.expected if e["form"] == "html")
    batch = [_raw(portal, expected), _raw(portal, expected),
             RawDocument(url="http://portal.test/gone.html", status=500, error="http 500"),
             RawDocument(url="http://portal.test/list.html", kind="listing", status=304, skip="not_modified")]
    first, again, failed, skipped = repo.record_many(batch)
    assert first.report_id is not None and first.document_id is not None
    assert again == failed.__class__(None, None)  # the same bytes twice in one batch: stored once
    assert failed.document_id is not None and failed.report_id is None
    assert skipped.document_id is None
    with Session(repo.engine) as session:
        assert sorted(session.scalars(select(models.FetchEvent.event))) == ["not_modified", "unchanged"]
        assert session.scalar(select(func.count()).select_from(models.Document)) == 2
    repo.close()


def test_hostile_page_values_are_stored_clipped_and_without_nul(database_url):
    """A page's meta fields and headers are the portal's to choose: they never lose the document."""
    repo = Repository.from_url(database_url)
    repo.create_schema()
    raw = RawDocument(url="http://portal.test/odd.html", status=200, body=b"<html>\x00</html>",
                      headers={"Content-Type": "text/html; " + "x" * 300},
                      published="2023-02-01 10:00:00 来源：宁远县人民政府办公室 浏览次数：1024",
                      page_title="年报\x00标题", listing_date="2023-02-01\x00")
    stored = repo.record(raw)
    with Session(repo.engine) as session:
        document = session.get(models.Document, stored.document_id)
        assert document.published_hint == raw.published[:40]
        assert document.page_title == "年报标题" and document.listing_date == "2023-02-01"
        assert document.content_type.startswith("text/html; xxx") and len(document.content_type) == 200
        assert document.body == raw.body  # the bytes themselves are kept as they came
    repo.close()


def test_hostile_cell_section_and_flag_texts_are_stored_without_nul_and_clipped(database_url):
    """Cells, sections and flags are inserted in bulk: a NUL printed in a cell (PostgreSQL refuses
    it) or a flag's location longer than its column is fitted there too, and only that value."""
    from fixture_portal.forms import render_forms
    from fixture_portal.reports import synthetic_report
    from pipelines.model import Issue

    repo = Repository.from_url(database_url)
    repo.create_schema()
    body = render_forms(synthetic_report("临江市教育局", 2022, "2021", 7))["html"]
    raw = RawDocument(url="http://portal.test/nul.html", status=200, body=body,
                      headers={"Content-Type": "text/html; charset=utf-8"})
    raw.report = report = extract(body)
    report.cells[0].text, report.cells[1].note = "1\x002", "见\x00附注"
    report.sections = {**report.sections, "other": "其他\x00事项"}
    long_location = "applications." + "x" * 300
    report.issues.append(Issue("sum_mismatch", long_location, "合计\x00不符"))
    stored = repo.record(raw)
    location_length = models.Flag.__table__.c.location.type.length
    with Session(repo.engine) as session:
        cells = session.scalars(select(models.CellRow).where(models.CellRow.report_id == stored.report_id)
                                .order_by(models.CellRow.id)).all()
        sections = dict(session.execute(select(models.Section.key, models.Section.text)
                                        .where(models.Section.report_id == stored.report_id)).all())
        flags = session.scalars(select(models.Flag).where(models.Flag.report_id == stored.report_id)).all()
    assert len(cells) == len(report.cells)
    assert (cells[0].text, cells[1].note) == ("12", "见附注")
    assert [c.text for c in cells[2:]] == [c.text for c in report.cells[2:]]  # the others as printed
    assert sections["other"] == "其他事项"
    flag = next(f for f in flags if f.code == "sum_mismatch" and f.location.startswith("applications.xxx"))
    assert flag.detail == "合计不符"
    assert flag.location == long_location[:location_length]
    repo.close()


def test_reextraction_of_a_batch_reads_in_order_and_stores_in_one_transaction(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    forms = [e for e in portal.expected if e["form"] in ("html", "gbk")][:2]
    stored = [repo.record(_raw(portal, e)) for e in forms]
    broken = repo.record(RawDocument(url="http://portal.test/broken.html", status=200, body=b"<html>no table</html>",
                                     headers={"Content-Type": "text/html"}, source="test"))
    ids = [broken.document_id, *(s.document_id for s in stored)]
    raws = repo.load_raws(ids)
    urls = ["http://portal.test" + e["url"] for e in forms]
    assert [r.url for r in raws] == ["http://portal.test/broken.html", *urls]
    for raw in raws:
        raw.report = extract(raw.body, raw.content_type)
    report_ids = repo.apply_extractions(list(zip(ids, raws, strict=True)), "next")
    assert report_ids[0] is None and report_ids[1:] == [s.report_id for s in stored]
    with Session(repo.engine) as session:
        outcomes = dict(session.execute(select(models.Document.id, models.Document.outcome)).all())
        versions = set(session.scalars(select(models.ReportRow.extraction_version)))
        cells = session.scalar(select(func.count()).select_from(models.CellRow))
    assert outcomes[broken.document_id] == raws[0].report.status != "report"
    assert versions == {"next"}
    assert cells == sum(len(cols) for e in forms for rows in e["tables"].values() for cols in rows.values())
    try:
        repo.load_raws([max(ids) + 1])
    except KeyError as exc:
        assert str(max(ids) + 1) in str(exc)
    else:
        raise AssertionError("a missing document was not reported")
    repo.close()


def test_a_batch_of_documents_is_stored_as_the_orm_would_store_each(tmp_path):
    """SQLite's batch insert goes through the driver: every column of every row, and the ids
    given back in the batch's order, as the ORM's own insert makes them."""
    import hashlib
    from datetime import UTC, datetime

    from sqlalchemy import insert, text

    from storage.repository import Repository as Repo

    raws = [RawDocument(url=f"http://portal.test/{n}.html", status=200, body=f"<p>{n}</p>".encode(),
                        headers={"Content-Type": "text/html", "X-Note": "年报"}, kind="page", source="s",
                        listing_title="2023年报", page_title=None, published="2024-01-02", links=[f"/a{n}.pdf"],
                        fetched_at=datetime(2024, 1, 2, 3, 4, 5, n * 1000, tzinfo=UTC))
            for n in range(5)]
    raws[2].links = None
    raws[3].headers = {}
    rows = {}
    for way in ("batch", "orm"):
        repo = Repo.from_url(f"sqlite:///{tmp_path / way}.sqlite")
        repo.create_schema()
        with Session(repo.engine) as session, session.begin():  # an earlier row: ids do not start at 1
            session.execute(insert(models.Document), [Repo._document(raws[0], None, "0" * 64)])
        if way == "batch":
            ids = [stored.document_id for stored in repo.record_many(raws)]
        else:
            with Session(repo.engine) as session, session.begin():
                for raw in raws:
                    digest = hashlib.sha256(raw.body).hexdigest()
                    session.execute(insert(models.Document), [Repo._document(raw, None, digest)])
            ids = list(range(2, 7))
        with repo.engine.connect() as conn:
            rows[way] = conn.execute(text("SELECT * FROM documents WHERE id > 1 ORDER BY id")).all()
            assert [conn.execute(text("SELECT url FROM documents WHERE id = :i"), {"i": i}).scalar()
                    for i in ids] == [raw.url for raw in raws]
        repo.close()
    assert rows["batch"] == rows["orm"] and len(rows["batch"]) == 5


def test_raw_bytes_are_kept_compressed_where_that_saves_and_read_back_as_fetched(database_url):
    """A page is kept as a zstandard frame, bytes that do not compress (a PDF's streams, an image)
    as they came; every way the bytes are read back (reextraction, a 304 answered from the store)
    gives the bytes as fetched, and their digest and size are those of the fetched bytes. A body
    stored before bodies were compressed (no codec) reads back as it is."""
    import hashlib
    import random

    from sqlalchemy import insert

    page = ("<html><body><table>" + "".join(
        f"<tr><td style='border:solid windowtext 1.0pt'>规章{n}</td><td>{n}</td></tr>" for n in range(400))
        + "</table></body></html>").encode("gb18030")
    noise = random.Random(5).randbytes(20000)  # as incompressible as a PDF's deflated streams
    raws = [RawDocument(url=f"http://portal.test/{name}", body=body, status=200, kind="page",
                        headers={"Content-Type": "text/html"})
            for name, body in (("page.html", page), ("file.pdf", noise))]
    raws.append(RawDocument(url="http://portal.test/gone.html", body=b"", status=500, kind="page", error="http_500"))
    repo = Repository.from_url(database_url)
    repo.create_schema()
    ids = [stored.document_id for stored in repo.record_many(raws)]
    with Session(repo.engine) as session:
        kept = [session.get(models.Document, i) for i in ids]
        assert kept[0].body_codec == "zstd" and len(kept[0].body) < len(page) / 10
        assert kept[1].body_codec is None and kept[1].body == noise
        assert kept[2].body is None and kept[2].body_codec is None
        assert [(d.size, d.sha256) for d in kept[:2]] == [
            (len(b), hashlib.sha256(b).hexdigest()) for b in (page, noise)]
        session.execute(insert(models.Document), [dict(  # as an earlier build stored it
            url="http://portal.test/old.html", kind="page", status=200, fetched_at=kept[0].fetched_at,
            body=page, size=len(page), outcome="not_processed")])
        session.commit()
        old = session.scalar(select(models.Document.id).where(models.Document.url.endswith("old.html")))
    assert [raw.body for raw in repo.load_raws([*ids, old])] == [page, noise, b"", page]
    assert repo.stored_response(ids[0])[2] == page and repo.stored_response(old)[2] == page
    repo.close()


def test_real_saved_files_are_kept_compressed_or_as_they_came():
    """On the real saved Shanghai page and the two PDFs made of it (tests/gold/real/SOURCES.md):
    the page and Chromium's PDF (streams left uncompressed) keep in a fraction of their size,
    LibreOffice's PDF (deflated already) is kept as it came; each comes back as fetched."""
    from pathlib import Path

    real = Path(__file__).parent / "gold" / "real"
    for name, codec, at_most in (("shanghai_2019_office.html", "zstd", 0.25),
                                 ("shanghai_2019_office.chromium.pdf", "zstd", 0.5),
                                 ("shanghai_2019_office.libreoffice.pdf", None, 1.0)):
        fetched = (real / name).read_bytes()
        kept, its_codec = bodies.pack(fetched)
        assert its_codec == codec and len(kept) <= len(fetched) * at_most, name
        assert bodies.unpack(kept, its_codec) == fetched


def test_a_body_in_a_form_this_build_does_not_know_is_refused_with_its_reason():
    import pytest

    assert bodies.unpack(*bodies.pack(b"x" * 1000)) == b"x" * 1000
    assert bodies.pack(b"") == (None, None)
    with pytest.raises(bodies.UnknownCodec, match="'brotli' is not one this build reads"):
        bodies.unpack(b"...", "brotli")


def test_a_deferred_document_keeps_the_crawl_s_charset_decision_for_its_extraction(database_url):
    """A deferred crawl stores the charset its middleware decided; ``reextract --pending`` decodes
    with it as the crawl's workers would have (not deciding again); an extracted document's
    re-extraction decides again, with the current code."""
    from pipelines.reextract import reextract

    repo = Repository.from_url(database_url)
    repo.create_schema()
    page = "<html><body><p>临江县2023年政府信息公开工作年度报告</p></body></html>".encode("gb18030")
    decided = ("gb18030", "crawl: chosen so by the charset middleware")
    pending = repo.record(RawDocument(url="http://portal.test/p.html", status=200, body=page,
                                      headers={"Content-Type": "text/html"}, decided_encoding=decided))
    extracted = RawDocument(url="http://portal.test/e.html", status=200, body=page + b" ",
                            headers={"Content-Type": "text/html"}, decided_encoding=decided)
    extracted.report = extract(extracted)
    done = repo.record(extracted)
    first, second = repo.load_raws([pending.document_id, done.document_id])
    assert first.decided_encoding == decided and second.decided_encoding is None
    repo.close()
    reextract(database_url, [pending.document_id, done.document_id])
    repo = Repository.from_url(database_url)
    with Session(repo.engine) as session:
        reasons = dict(session.execute(select(models.Document.id, models.Document.encoding_reason)).all())
    repo.close()
    assert reasons[pending.document_id] == decided[1]
    assert reasons[done.document_id] != decided[1]
