"""The page each report was published on (``reports.page_url``, beside the document's URL);
honest run records (why a run ended, which process ran it, its last sign of life) and the
links each listing and report page led to, so that a revalidation is trusted only when what a
page lists was stored.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("reason", sa.Text))
        batch.add_column(sa.Column("pid", sa.Integer))
        batch.add_column(sa.Column("host", sa.String(200)))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("links", sa.JSON))
    # Not in batch mode: SQLite would copy the table, and the views over it refuse that.
    op.add_column("reports", sa.Column("page_url", sa.Text))  # the page a report was published on
    # Runs recorded before this revision with Scrapy's finish reason as their status.
    op.execute("UPDATE crawl_runs SET status = 'interrupted', reason = status "
               "WHERE status NOT IN ('finished', 'running', 'interrupted', 'failed')")


def downgrade() -> None:
    op.drop_column("reports", "page_url")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("links")
    with op.batch_alter_table("crawl_runs") as batch:
        for column in ("heartbeat_at", "host", "pid", "reason"):
            batch.drop_column(column)
