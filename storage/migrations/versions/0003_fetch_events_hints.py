"""Fetch events (revalidations, skips), and the crawl context documents need for re-extraction.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id")),
        sa.Column("source", sa.String(200)),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_fetch_events_run_id", "fetch_events", ["run_id"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("region", sa.String(200)))
        batch.add_column(sa.Column("page_title", sa.Text))
        batch.add_column(sa.Column("published_hint", sa.String(40)))
        batch.add_column(sa.Column("listing_date", sa.String(40)))
        batch.create_index("ix_documents_outcome", ["outcome"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_outcome")
        for column in ("listing_date", "published_hint", "page_title", "region"):
            batch.drop_column(column)
    op.drop_table("fetch_events")
