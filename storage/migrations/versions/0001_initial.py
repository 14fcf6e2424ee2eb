"""The first release's schema: runs, documents with raw bytes, reports, cells, sections, flags.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spider", sa.String(100), nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("stats", sa.JSON),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id")),
        sa.Column("source", sa.String(200)),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_url", sa.Text),
        sa.Column("listing_title", sa.Text),
        sa.Column("status", sa.Integer),
        sa.Column("headers", sa.JSON),
        sa.Column("content_type", sa.String(200)),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("size", sa.Integer),
        sa.Column("body", sa.LargeBinary),
        sa.Column("format", sa.String(20)),
        sa.Column("encoding", sa.String(40)),
        sa.Column("encoding_reason", sa.Text),
        sa.Column("repairs", sa.JSON),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_documents_url", "documents", ["url"])
    op.create_index("ix_documents_sha256", "documents", ["sha256"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_key", sa.String(300), nullable=False, unique=True),
        sa.Column("agency", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("template", sa.String(10)),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("published", sa.Date),
        sa.Column("format", sa.String(20)),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("extraction_version", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reports_agency_year", "reports", ["agency", "year"])
    op.create_table(
        "cells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(60), nullable=False),
        sa.Column("column_key", sa.String(40), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("text", sa.Text),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("report_id", "table_name", "row_key", "column_key"),
    )
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_sections_report_id", "sections", ["report_id"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_flags_report_id", "flags", ["report_id"])


def downgrade() -> None:
    for table in ("flags", "sections", "cells", "reports", "documents", "crawl_runs"):
        op.drop_table(table)
