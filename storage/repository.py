"""The few writes the project makes, each in one transaction, and the reads it needs.

Nothing else writes to the database. A report is one agency-year (``report_key``); storing
it again replaces its cells, sections and flags in the same transaction, so a reader never
sees half a report, and the insert-or-update is atomic on both engines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Engine, String, bindparam, func, insert, select
from sqlalchemy.orm import Session

from pipelines.model import RawDocument
from pipelines.model import Report as ExtractedReport

from . import body as bodies
from . import models, outcomes
from .database import make_engine


@dataclass(frozen=True, slots=True)
class Validator:
    """What a conditional request for a URL may send, and what a 304 for it may be taken to mean.

    ``complete``: everything the stored page led to (next listing pages, report pages,
    attachments, and theirs in turn) is stored too, so a 304 means nothing new is behind it.
    An incomplete page (its run stopped before reaching all its links) is still revalidated,
    but its 304 is answered from the stored bytes (``document_id``) so its links are followed.
    """

    etag: str | None
    modified: str | None
    document_id: int
    complete: bool


@dataclass(frozen=True, slots=True)
class RunSummary:
    succeeded: int  # documents stored with a success outcome, plus revalidations (304, unchanged)
    failed: int  # documents of the run whose outcome is failed (storage.outcomes.FAILED)


@dataclass(frozen=True, slots=True)
class Coverage:
    source: str
    years: dict[int, int]  # year -> reports stored
    missing: list[int]  # years without a report between the first and the last


@dataclass(frozen=True, slots=True)
class Stored:
    document_id: int | None  # None when nothing new was stored (a fetch event instead)
    report_id: int | None


def report_key(report: ExtractedReport, url: str) -> str:
    if report.agency and report.year:
        return f"{report.agency}|{report.year}"
    return f"url|{url}"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def outcome_of(raw: RawDocument) -> tuple[str, str | None]:
    """(outcome, reason) of a processed document, as recorded in ``documents``."""
    if raw.error:
        code = raw.error.split(":", 1)[0]
        return (code if code in ("rejected", "blocked", "too_large") else "fetch_failed"), raw.error
    if raw.kind == "listing":
        return "listing", None
    if raw.report is None:
        return "not_processed", None
    if raw.report.ok:
        return "report", None
    return raw.report.status, raw.report.reason


@cache
def _text_columns(model) -> tuple[tuple[str, int | None], ...]:
    return tuple((c.key, getattr(c.type, "length", None)) for c in model.__table__.columns
                 if isinstance(c.type, String))


def _fit(model, values: dict) -> dict:
    """Text a portal chose fits its columns on every engine: NUL characters dropped (PostgreSQL
    refuses them) and strings cut to the column's length."""
    for key, length in _text_columns(model):
        if key in values:
            values[key] = _fitted(values[key], length)
    return values


def _fitted(value, length: int | None):
    """A value fitted to a text column: without NUL, cut to ``length``; anything else as it is."""
    if isinstance(value, str) and ("\x00" in value or (length and len(value) > length)):
        value = value.replace("\x00", "")
        return value[:length] if length else value
    return value


def _insert_rows(connection, model, rows: list[dict], processors: dict | None = None) -> None:
    """Rows (all with the same keys) inserted in one executemany through the driver, their text
    fitted to the columns as ``_fit`` does; ``processors`` (column key -> function) make the
    values of the columns whose type the driver does not take as they are (``_bind_processors``)."""
    if not rows:
        return
    columns = tuple(rows[0])
    sql, limits = _insert_statement(model, columns, connection.dialect.paramstyle)
    convert = [(i, processors[c]) for i, c in enumerate(columns) if c in (processors or {})]
    params = [tuple(row.values()) for row in rows]
    # A column is fitted value by value only where one of its strings needs it, which almost
    # never happens: a report has hundreds of cells, each with six text columns.
    limits = [(i, length) for i, length in limits if _needs_fitting([values[i] for values in params], length)]
    if limits or convert:
        for n, values in enumerate(params):
            values = list(values)
            for i, length in limits:
                values[i] = _fitted(values[i], length)
            for i, processor in convert:
                values[i] = processor(values[i])
            params[n] = tuple(values)
    connection.exec_driver_sql(sql, params)


@cache
def _insert_statement(model, columns: tuple[str, ...],
                      paramstyle: str) -> tuple[str, tuple[tuple[int, int | None], ...]]:
    """The INSERT of ``columns`` into ``model``'s table in the driver's own SQL, and the position
    and length of each of its text columns."""
    lengths = dict(_text_columns(model))
    mark = "?" if paramstyle == "qmark" else "%s"  # sqlite3 | psycopg
    names = ", ".join(model.__table__.c[c].name for c in columns)
    sql = f"INSERT INTO {model.__tablename__} ({names}) VALUES ({', '.join([mark] * len(columns))})"
    return sql, tuple((i, lengths[c]) for i, c in enumerate(columns) if c in lengths)


def _needs_fitting(column: list, length: int | None) -> bool:
    """A value of ``column`` holds a NUL or runs past ``length`` (what ``_fitted`` changes)."""
    texts = [value for value in column if isinstance(value, str)]
    return "\x00" in "".join(texts) or bool(length and texts and max(map(len, texts)) > length)


@cache
def _bind_processors(model, dialect) -> dict[str, object]:
    """column key -> how SQLAlchemy turns a value of ``model`` into the driver's (JSON, dates)."""
    found = {}
    for column in model.__table__.columns:
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            found[column.key] = processor
    return found


def _insert_documents(connection, rows: list[dict]) -> list[int]:
    """Insert ``documents`` rows (all with the same keys); their ids, in order. On SQLite one
    executemany through the driver, its values made as SQLAlchemy makes them: a write transaction
    holds the database alone and an INTEGER PRIMARY KEY column gives each new row the id after
    the largest, so the batch's ids are the last ``len(rows)``. The ORM's insert with RETURNING
    in parameter order runs a statement a row there (~3 ms of the 16 a batch of 64 report pages
    took to store). Elsewhere (PostgreSQL) that insert, as many rows a statement."""
    if connection.dialect.name != "sqlite":
        stmt = insert(models.Document).returning(models.Document.id, sort_by_parameter_order=True)
        return list(connection.execute(stmt, rows).scalars())
    _insert_rows(connection, models.Document, rows, _bind_processors(models.Document, connection.dialect))
    last = connection.exec_driver_sql("SELECT max(id) FROM documents").scalar()
    return list(range(last - len(rows) + 1, last + 1))


_DELETES = tuple(model.__table__.delete().where(model.__table__.c.report_id == bindparam("report_id"))
                 for model in (models.CellRow, models.Section, models.Flag))
_DOCUMENTS = models.Document.__table__
_REPORTS, _CELLS = models.ReportRow.__table__, models.CellRow.__table__
_CURRENT_REPORT = (select(_REPORTS.c.id, _REPORTS.c.document_id, _REPORTS.c.extraction_version, _REPORTS.c.template,
                          _REPORTS.c.updated_at).where(_REPORTS.c.report_key == bindparam("key")).with_for_update())
_CURRENT_CELLS = select(_CELLS.c.table_name, _CELLS.c.row_key, _CELLS.c.column_key, _CELLS.c.value,
                        _CELLS.c.text).where(_CELLS.c.report_id == bindparam("report_id"))
_SET_OUTCOME = (_DOCUMENTS.update().where(_DOCUMENTS.c.id == bindparam("document"))
                .values(outcome=bindparam("outcome"), reason=bindparam("reason")))
_SET_EXTRACTION = _SET_OUTCOME.values(
    encoding=bindparam("encoding"), encoding_reason=bindparam("encoding_reason"), repairs=bindparam("repairs"),
    format=func.coalesce(bindparam("format"), _DOCUMENTS.c.format))


def _dialect(engine: Engine):
    """The SQLAlchemy dialect module of ``engine`` (its ``insert`` upserts): the one its engine
    loaded already, so a SQLite crawl never imports PostgreSQL's drivers (~50 ms a process)."""
    from importlib import import_module

    return import_module(f"sqlalchemy.dialects.{'postgresql' if engine.dialect.name == 'postgresql' else 'sqlite'}")


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._upserts: dict[tuple[str, ...], object] = {}

    @classmethod
    def from_url(cls, url: str | None = None) -> Repository:
        return cls(make_engine(url))

    def create_schema(self) -> str | None:
        """Create or upgrade the schema (Alembic); returns the revision."""
        from . import schema_state

        with self.engine.connect() as conn:
            if schema_state.up_to_date(conn):  # the usual case: checked without loading Alembic
                return schema_state.head_revision()
        from . import migrate  # Alembic takes a while to import: loaded only when there are migrations to run

        return migrate.create_new(self.engine) or migrate.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- runs -------------------------------------------------------------------------
    def start_run(self, spider: str, source: str | None = None, pid: int | None = None,
                  host: str | None = None) -> int:
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            run = models.CrawlRun(spider=spider, source=source, started_at=now, status=outcomes.RUNNING,
                                  pid=pid, host=host, heartbeat_at=now)
            session.add(run)
            session.flush()
            return run.id

    def heartbeat(self, run_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.get(models.CrawlRun, run_id).heartbeat_at = datetime.now(UTC)

    def finish_run(self, run_id: int, status: str, stats: dict, reason: str | None = None) -> None:
        with Session(self.engine) as session, session.begin():
            run = session.get(models.CrawlRun, run_id)
            run.finished_at = datetime.now(UTC)
            run.status = status
            run.reason = reason
            run.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}

    def close_stale_runs(self, host: str, alive, stale_after: float) -> list[models.CrawlRun]:
        """Mark ``interrupted`` the runs still ``running`` whose process is gone: on this host, a
        PID that ``alive(pid)`` says is not running; elsewhere, no heartbeat for ``stale_after``
        seconds. Returns the runs it closed."""
        now = datetime.now(UTC)
        closed = []
        with Session(self.engine) as session, session.begin():
            for run in session.scalars(select(models.CrawlRun).where(models.CrawlRun.status == outcomes.RUNNING)):
                beat = run.heartbeat_at or run.started_at
                if beat.tzinfo is None:  # SQLite gives naive datetimes back
                    beat = beat.replace(tzinfo=UTC)
                if run.host == host and run.pid is not None:
                    gone = not alive(run.pid)
                    why = f"process {run.pid} on {host} ended without closing the run"
                else:
                    gone = (now - beat).total_seconds() > stale_after
                    why = f"no sign of life from {run.host or 'its host'} since {beat:%Y-%m-%d %H:%M:%S} UTC"
                if gone:
                    run.status, run.reason, run.finished_at = outcomes.INTERRUPTED, why, now
                    closed.append(run)
            session.flush()
            session.expunge_all()
        return closed

    def run_summary(self, run_id: int) -> RunSummary:
        """What a run stored: its successes (documents and revalidations) and its failures."""
        with Session(self.engine) as session:
            counts = dict(session.execute(
                select(models.Document.outcome, func.count()).where(models.Document.run_id == run_id)
                .group_by(models.Document.outcome)).all())
            events = session.scalar(select(func.count()).select_from(models.FetchEvent)
                                    .where(models.FetchEvent.run_id == run_id))
        failed = sum(n for outcome, n in counts.items() if outcomes.is_failed(outcome))
        return RunSummary(succeeded=sum(counts.values()) - failed + (events or 0), failed=failed)

    def upsert_sources(self, family: str, entries: list[dict]) -> None:
        """The configured portals as last crawled (one row per source name), in one transaction.
        ``entries``: dicts of name, agency, region, start_urls."""
        dialect = _dialect(self.engine)
        with Session(self.engine) as session, session.begin():
            for entry in entries:
                values = dict(name=entry["name"], family=family, agency=entry.get("agency"),
                              region=entry.get("region"), start_urls=list(entry["start_urls"]))
                stmt = dialect.insert(models.SourceRow).values(**values)
                session.execute(stmt.on_conflict_do_update(
                    index_elements=["name"], set_={k: stmt.excluded[k] for k in values if k != "name"}))

    # --- documents and reports ---------------------------------------------------------
    def record(self, raw: RawDocument, run_id: int | None = None,
               extraction_version: str = "1") -> Stored:
        """Store a fetched document and, when it holds one, its report, atomically.

        A revalidated request (``raw.skip``) or bytes identical to the last stored fetch of the
        URL store no document: a ``fetch_events`` row says what happened instead.
        """
        return self.record_many([raw], run_id, extraction_version)[0]

    def record_many(self, raws: list[RawDocument], run_id: int | None = None,
                    extraction_version: str = "1") -> list[Stored]:
        """``record`` for a batch in one transaction: one query finds the last stored bytes of
        every URL, one multi-row insert writes the documents (their ids come back in order).
        Results are in the order of ``raws``."""
        with Session(self.engine) as session, session.begin():
            latest = self._latest_sha256(session, {r.url for r in raws if r.body and not r.error and not r.skip})
            rows: list[dict] = []
            slots: list[int | None] = []  # per raw: its row in ``rows``, or None (an event instead)
            for raw in raws:
                sha256 = hashlib.sha256(raw.body).hexdigest() if raw.body and not raw.skip else None
                if raw.skip or (sha256 and not raw.error and latest.get(raw.url) == sha256):
                    session.add(self._event(raw, run_id, raw.skip or "unchanged"))
                    slots.append(None)
                    continue
                if sha256 and raw.status == 200:
                    latest[raw.url] = sha256  # the same URL twice in a batch compares with the first
                slots.append(len(rows))
                rows.append(self._document(raw, run_id, sha256))
            session.flush()  # the events first: on SQLite the documents' ids follow the largest
            ids = _insert_documents(session.connection(), rows) if rows else []
            stored = []
            for raw, slot in zip(raws, slots, strict=True):
                if slot is None:
                    stored.append(Stored(None, None))
                    continue
                report_id = None
                if raw.report is not None and raw.report.ok:
                    report_id = self._upsert_report(session, raw.report, raw, ids[slot], extraction_version)
                stored.append(Stored(ids[slot], report_id))
            return stored

    @staticmethod
    def _document(raw: RawDocument, run_id: int | None, sha256: str | None) -> dict:
        """The ``documents`` row of a fetch, fitted to its columns."""
        outcome, reason = outcome_of(raw)
        report = decoded = raw.report
        # unextracted (a deferred crawl): the crawl's own charset decision, for the extraction to come
        encoding, encoding_reason = (decoded.encoding, decoded.encoding_reason) if decoded else (
            raw.decided_encoding or (None, None))
        body, codec = bodies.pack(raw.body)
        return _fit(models.Document, dict(
            run_id=run_id, source=raw.source, url=raw.url, final_url=raw.final_url,
            kind=raw.kind, parent_url=raw.parent_url, listing_title=raw.listing_title,
            status=raw.status, headers=dict(raw.headers), content_type=raw.content_type,
            fetched_at=raw.fetched_at, body=body, body_codec=codec, size=len(raw.body), sha256=sha256,
            format=report.format if report else None,
            encoding=encoding, encoding_reason=encoding_reason,
            repairs=list(decoded.repairs) if decoded else None,
            outcome=outcome, reason=reason, region=raw.region, page_title=raw.page_title,
            published_hint=raw.published, listing_date=raw.listing_date, links=raw.links,
        ))

    def _upsert_report(self, session: Session, report: ExtractedReport, raw: RawDocument,
                       document_id: int, extraction_version: str) -> int:
        place = report.place or {}
        values = dict(
            report_key=report_key(report, raw.url), agency=report.agency, year=report.year,
            admin_level=place.get("level"), province=place.get("province"), city=place.get("city"),
            county=place.get("county"), township=place.get("township"), division_code=place.get("division_code"),
            template=report.template, title=report.title, url=raw.final_url or raw.url,
            page_url=raw.parent_url or raw.final_url or raw.url,
            source=raw.source, published=_date(report.published), format=report.format,
            document_id=document_id, extraction_version=extraction_version,
            updated_at=datetime.now(UTC),
        )
        values = _fit(models.ReportRow, values)
        replaced = self._keep_history(session, values["report_key"])
        connection = session.connection()
        report_id = connection.execute(self._report_upsert(tuple(values)), values).scalar_one()
        # Cells, sections and flags: one executemany each, straight to the driver (the ORM's and
        # Core's per-row parameter processing cost more than the database's own work here). A new
        # report has none to delete, as SQLite's writers take turns on the whole database; on
        # PostgreSQL two writers of one new report can both see it new (no row to lock yet), so
        # the second one's delete clears the first one's rows.
        for delete_rows in _DELETES if replaced or self.engine.dialect.name != "sqlite" else ():
            connection.execute(delete_rows, {"report_id": report_id})
        _insert_rows(connection, models.CellRow, [
            dict(report_id=report_id, table_name=c.table, row_key=c.row, column_key=c.column,
                 value=c.value, text=c.text, kind=c.kind, note=c.note) for c in report.cells])
        _insert_rows(connection, models.Section, [
            dict(report_id=report_id, key=k, text=t) for k, t in report.sections.items()])
        _insert_rows(connection, models.Flag, [
            dict(report_id=report_id, code=i.code, location=i.where, detail=i.detail) for i in report.issues])
        return report_id

    def _report_upsert(self, keys: tuple[str, ...]):
        """The insert-or-update of a report row (on its key), built once per engine and columns;
        the values are bound when it runs."""
        cached = self._upserts.get(keys)
        if cached is None:
            dialect = _dialect(self.engine)
            stmt = dialect.insert(models.ReportRow.__table__)
            cached = self._upserts[keys] = stmt.on_conflict_do_update(
                index_elements=["report_key"],
                set_={k: stmt.excluded[k] for k in keys if k != "report_key"},
            ).returning(models.ReportRow.__table__.c.id)
        return cached

    @staticmethod
    def _keep_history(session: Session, key: str) -> bool:
        """Snapshot the version about to be replaced; lock it so writers take turns. False when
        the report is new (nothing of it is stored yet)."""
        connection = session.connection()
        existing = connection.execute(_CURRENT_REPORT, {"key": key}).first()
        if existing is None:
            return False
        old = connection.execute(_CURRENT_CELLS, {"report_id": existing.id}).all()
        session.add(models.ReportVersion(
            report_id=existing.id, document_id=existing.document_id,
            extraction_version=existing.extraction_version, template=existing.template,
            stored_at=existing.updated_at, replaced_at=datetime.now(UTC),
            cells=[list(row) for row in old],
        ))
        return True

    def apply_extraction(self, document_id: int, raw: RawDocument, extraction_version: str) -> int | None:
        """Re-extraction: the stored document's outcome and its report replaced, in one transaction."""
        return self.apply_extractions([(document_id, raw)], extraction_version)[0]

    def apply_extractions(self, done: list[tuple[int, RawDocument]], extraction_version: str) -> list[int | None]:
        """``apply_extraction`` for a batch in one transaction (a commit, not one a document): the
        documents' outcomes and their reports replaced; the report ids, None where no report."""
        out: list[int | None] = []
        table = _DOCUMENTS
        with Session(self.engine) as session, session.begin():
            connection = session.connection()
            known = set(connection.execute(select(table.c.id).where(table.c.id.in_([i for i, _raw in done]))).scalars())
            missing = [i for i, _raw in done if i not in known]
            if missing:
                raise KeyError(f"no stored document {missing[0]}")
            plain, extracted = [], []
            for document_id, raw in done:
                outcome, reason = outcome_of(raw)
                row = {"document": document_id, "outcome": outcome, "reason": reason}
                report = raw.report
                if report is None:
                    plain.append(row)
                    continue
                extracted.append({**row, "encoding": report.encoding, "encoding_reason": report.encoding_reason,
                                  "repairs": list(report.repairs), "format": report.format})
            if plain:
                connection.execute(_SET_OUTCOME, plain)
            if extracted:
                connection.execute(_SET_EXTRACTION, extracted)
            for document_id, raw in done:
                report = raw.report
                out.append(self._upsert_report(session, report, raw, document_id, extraction_version)
                           if report is not None and report.ok else None)
        return out

    def stored_document_ids(self, years: tuple[int, ...] = (), source: str | None = None,
                            pending: bool = False, outcomes: tuple[str, ...] = ()) -> list[int]:
        """The latest fetch of every report page, file and attachment with bytes (``pending``:
        only those stored without extraction, outcome ``not_processed``; ``outcomes``: only those
        whose last extraction ended so, ``needs_ocr`` say)."""
        latest = (select(func.max(models.Document.id))
                  .where(models.Document.body.is_not(None), models.Document.kind.in_(("page", "attachment", "file")))
                  .group_by(models.Document.url))
        query = select(models.Document.id).where(models.Document.id.in_(latest))
        if source:
            query = query.where(models.Document.source == source)
        if pending:
            query = query.where(models.Document.outcome == "not_processed")
        if outcomes:
            query = query.where(models.Document.outcome.in_(outcomes))
        if years:
            query = query.where(models.Document.id.in_(
                select(models.ReportRow.document_id).where(models.ReportRow.year.in_(years))))
        with Session(self.engine) as session:
            return list(session.scalars(query.order_by(models.Document.id)))

    def load_raw(self, document_id: int) -> RawDocument:
        """A stored document as the spider yielded it: bytes, headers and crawl context."""
        return self.load_raws([document_id])[0]

    def load_raws(self, document_ids: list[int]) -> list[RawDocument]:
        """``load_raw`` for a batch, in two queries, in the order asked."""
        with Session(self.engine) as session:
            found = {d.id: d for d in session.scalars(
                select(models.Document).where(models.Document.id.in_(document_ids)))}
            names = {d.source for d in found.values() if d.source}
            agencies = dict(session.execute(select(models.SourceRow.name, models.SourceRow.agency)
                                            .where(models.SourceRow.name.in_(names))).all()) if names else {}
            missing = [i for i in document_ids if i not in found]
            if missing:
                raise KeyError(f"no stored document {missing[0]}")
            return [self._raw(found[i], agencies.get(found[i].source)) for i in document_ids]

    @staticmethod
    def _raw(d: models.Document, agency: str | None) -> RawDocument:
        # a document a deferred crawl left unextracted keeps the crawl's charset decision, which
        # extraction uses as the crawl's workers do; an extracted one is decided again
        decided = (d.encoding, d.encoding_reason or "") if d.outcome == "not_processed" and d.encoding else None
        return RawDocument(url=d.url, kind=d.kind, final_url=d.final_url, status=d.status, decided_encoding=decided,
                           headers=dict(d.headers or {}), body=bodies.unpack(d.body, d.body_codec),
                           fetched_at=d.fetched_at,
                           source=d.source, region=d.region, agency=agency, listing_title=d.listing_title,
                           parent_url=d.parent_url, page_title=d.page_title, published=d.published_hint,
                           listing_date=d.listing_date)

    @staticmethod
    def _event(raw: RawDocument, run_id: int | None, event: str) -> models.FetchEvent:
        status = 304 if event == "not_modified" else raw.status  # a 304 answered from the stored bytes too
        return models.FetchEvent(run_id=run_id, source=raw.source, url=raw.url, kind=raw.kind, event=event,
                                 status=status, at=datetime.now(UTC))

    @staticmethod
    def _latest_sha256(session: Session, urls: set[str]) -> dict[str, str | None]:
        """url -> sha256 of its last successful stored fetch, for the URLs that have one."""
        if not urls:
            return {}
        latest = (select(func.max(models.Document.id))
                  .where(models.Document.url.in_(urls), models.Document.status == 200)
                  .group_by(models.Document.url))
        rows = session.execute(select(models.Document.url, models.Document.sha256)
                               .where(models.Document.id.in_(latest)))
        return {url: sha256 for url, sha256 in rows}

    def validators(self, sources: list[str] | str | None = None) -> dict[str, Validator]:
        """url -> its ``Validator``, from the latest successful fetch of every URL of ``sources``.

        Every stored fetch validates itself, whichever run stored it and however that run
        ended; whether a 304 may end the walk there is decided from what was really stored
        (``Validator.complete``), not from how the run ended.
        """
        names = [sources] if isinstance(sources, str) else list(sources or [])
        latest = select(func.max(models.Document.id)).where(models.Document.status == 200)
        seen = select(models.Document.url).distinct()
        if names:
            latest = latest.where(models.Document.source.in_(names))
            seen = seen.where(models.Document.source.in_(names))
        latest = latest.group_by(models.Document.url)
        with Session(self.engine) as session:
            rows = session.execute(select(models.Document.id, models.Document.url, models.Document.headers,
                                          models.Document.links).where(models.Document.id.in_(latest))).all()
            stored = set(session.scalars(seen))
        links = {url: tuple(found or ()) for _, url, _, found in rows}
        complete = _complete(links, stored)
        found = {}
        for document_id, url, headers, _ in rows:
            headers = {k.lower(): v for k, v in (headers or {}).items()}
            if headers.get("etag") or headers.get("last-modified"):
                found[url] = Validator(headers.get("etag"), headers.get("last-modified"), document_id,
                                       complete[url])
        return found

    def stored_response(self, document_id: int) -> tuple[str, dict, bytes]:
        """(final URL, headers, body) of a stored fetch, to answer a 304 with what it confirmed."""
        with Session(self.engine) as session:
            row = session.execute(select(models.Document.final_url, models.Document.url, models.Document.headers,
                                         models.Document.body, models.Document.body_codec)
                                  .where(models.Document.id == document_id)).one()
        return row.final_url or row.url, dict(row.headers or {}), bodies.unpack(row.body, row.body_codec)

    # --- reads --------------------------------------------------------------------------
    def report_dicts(self, run_ids: list[int] | None = None, filters=None):
        """Stored reports in the form of docs/report.md, plus url, source and place."""
        with Session(self.engine) as session:
            query = select(models.ReportRow).order_by(models.ReportRow.year, models.ReportRow.agency)
            if filters is not None:
                query = filters.apply(query)
            if run_ids is not None:
                query = query.join(models.Document, models.Document.id == models.ReportRow.document_id)
                query = query.where(models.Document.run_id.in_(run_ids))
            for report in session.scalars(query):
                tables: dict = {}
                for cell in sorted(report.cells, key=lambda c: c.id):
                    value = cell.value
                    if value is not None and float(value).is_integer():
                        value = int(value)
                    tables.setdefault(cell.table_name, {}).setdefault(cell.row_key, {})[cell.column_key] = value
                yield {
                    "title": report.title, "agency": report.agency, "year": report.year,
                    "template": report.template,
                    "published": report.published.isoformat() if report.published else None,
                    "tables": tables,
                    "sections": {s.key: s.text for s in report.sections},
                    "issues": [{"code": f.code, "where": f.location, "detail": f.detail} for f in report.flags],
                    "place": {"level": report.admin_level, "province": report.province,
                              "city": report.city, "county": report.county, "township": report.township,
                              "division_code": report.division_code},
                    "url": report.url, "page_url": report.page_url, "source": report.source,
                }

    def failures(self, run_ids: list[int] | None = None) -> list[tuple[str, str, str | None]]:
        """(url, outcome, reason) of every document that did not yield a report."""
        with Session(self.engine) as session:
            query = select(models.Document.url, models.Document.outcome, models.Document.reason).where(
                models.Document.outcome.in_(outcomes.FAILED))
            if run_ids is not None:
                query = query.where(models.Document.run_id.in_(run_ids))
            return [tuple(row) for row in session.execute(query.order_by(models.Document.id))]

    def coverage(self) -> list[Coverage]:
        """Per source (configured, or named by a stored document): the years its reports cover,
        the years missing between its first and its last, and nothing at all for a source that
        yielded no report. Sorted with the sources that yielded nothing first."""
        with Session(self.engine) as session:
            names = set(session.scalars(select(models.SourceRow.name)))
            names |= set(session.scalars(select(models.Document.source).distinct()
                                         .where(models.Document.source.is_not(None))))
            rows = session.execute(select(models.ReportRow.source, models.ReportRow.year, func.count())
                                   .group_by(models.ReportRow.source, models.ReportRow.year)).all()
        years: dict[str, dict[int, int]] = {name: {} for name in names}
        for source, year, n in rows:
            if source is not None and year is not None:
                years.setdefault(source, {})[year] = n
        found = []
        for source, by_year in years.items():
            span = range(min(by_year), max(by_year) + 1) if by_year else range(0)
            found.append(Coverage(source, dict(sorted(by_year.items())), [y for y in span if y not in by_year]))
        return sorted(found, key=lambda c: (bool(c.years), -len(c.missing), c.source))

    def count(self, model) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(model))


def _complete(links: dict[str, tuple[str, ...]], stored: set[str]) -> dict[str, bool]:
    """url -> whether it and everything reachable from it through ``links`` is stored.

    Iterative depth-first walk (listings chain hundreds of pages); a URL met again while its
    own walk is under way (a page listing an earlier one) is taken as complete on that path."""
    done: dict[str, bool] = {}
    for root in links:
        if root in done:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        open_: set[str] = {root}
        ok: dict[str, bool] = {root: True}
        while stack:
            url, i = stack.pop()
            children = links.get(url, ())
            if i < len(children):
                stack.append((url, i + 1))
                child = children[i]
                if child not in stored:
                    ok[url] = False
                elif child in done:
                    ok[url] = ok[url] and done[child]
                elif child not in open_ and child in links:
                    open_.add(child)
                    ok[child] = True
                    stack.append((child, 0))
                continue
            done[url] = ok.pop(url)
            open_.discard(url)
            if stack:
                parent = stack[-1][0]
                ok[parent] = ok[parent] and done[url]
    return done
