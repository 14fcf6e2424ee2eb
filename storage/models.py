"""SQLAlchemy 2 models: crawl runs, fetched documents (raw bytes kept), reports and their
cells, sections and quality flags. The same schema on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(40), default="running")  # see storage.outcomes
    stats: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)  # why it ended so (interrupted, failed)
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Document(Base):
    """One fetch: what was asked, what came back, and what became of it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # page | attachment | file
    parent_url: Mapped[str | None] = mapped_column(Text)
    listing_title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict | None] = mapped_column(JSON)
    content_type: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    format: Mapped[str | None] = mapped_column(String(20))
    encoding: Mapped[str | None] = mapped_column(String(40))
    encoding_reason: Mapped[str | None] = mapped_column(Text)
    repairs: Mapped[list | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(40))  # storage.outcomes
    reason: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(200))
    page_title: Mapped[str | None] = mapped_column(Text)
    published_hint: Mapped[str | None] = mapped_column(String(40))
    listing_date: Mapped[str | None] = mapped_column(String(40))
    # The URLs this listing or report page led to (next pages, reports, attachments).
    links: Mapped[list | None] = mapped_column(JSON)
    # How ``body`` keeps the bytes: "zstd" (a zstandard frame) or empty (as fetched); storage.body.
    body_codec: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (Index("ix_documents_url", "url"), Index("ix_documents_sha256", "sha256"),
                      Index("ix_documents_outcome", "outcome"))


class FetchEvent(Base):
    """A request that stored no document: revalidated (304), unchanged bytes, or skipped."""

    __tablename__ = "fetch_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    event: Mapped[str] = mapped_column(String(40))  # not_modified | unchanged
    status: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportRow(Base):
    """One agency-year. A newer document or a re-extraction replaces its cells."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_key: Mapped[str] = mapped_column(String(300), unique=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    template: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)  # the document the tables were read from
    source: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date)
    format: Mapped[str | None] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    extraction_version: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    admin_level: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(60))
    county: Mapped[str | None] = mapped_column(String(60))
    township: Mapped[str | None] = mapped_column(String(60))
    # Columns in the order the migrations added them, so a new database has a migrated one's.
    page_url: Mapped[str | None] = mapped_column(Text)  # the page it was published on (cite this)
    division_code: Mapped[str | None] = mapped_column(String(12))  # GB/T 2260, from pipelines.gazetteer

    cells: Mapped[list[CellRow]] = relationship(back_populates="report", cascade="all, delete-orphan")
    sections: Mapped[list[Section]] = relationship(cascade="all, delete-orphan")
    flags: Mapped[list[Flag]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_reports_agency_year", "agency", "year"),
        Index("ix_reports_year_province", "year", "province"),
    )


class ReportVersion(Base):
    """A report's cells as they were before a newer document or extraction replaced them."""

    __tablename__ = "report_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    extraction_version: Mapped[str | None] = mapped_column(String(20))
    template: Mapped[str | None] = mapped_column(String(10))
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cells: Mapped[list] = mapped_column(JSON)


class SourceRow(Base):
    """A configured portal (sources.yaml), as last crawled."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    family: Mapped[str | None] = mapped_column(String(40))
    start_urls: Mapped[list | None] = mapped_column(JSON)


class CodebookEntry(Base):
    """What a key means (``pipelines.codebook``), kept in step by ``storage.migrate``. The row with
    kind ``version`` holds the codebook's digest."""

    __tablename__ = "codebook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str | None] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(60))
    templates: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(20))
    meaning: Mapped[str] = mapped_column(Text)


class CellRow(Base):
    """One cell in long form: table, row, column keys of docs/report.md."""

    __tablename__ = "cells"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    table_name: Mapped[str] = mapped_column(String(40))
    row_key: Mapped[str] = mapped_column(String(60))
    column_key: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))  # number | blank | text
    note: Mapped[str | None] = mapped_column(Text)

    report: Mapped[ReportRow] = relationship(back_populates="cells")

    __table_args__ = (UniqueConstraint("report_id", "table_name", "row_key", "column_key"),)


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)


class Flag(Base):
    """A quality flag: a check the report's own arithmetic failed, or a layout note."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    location: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
