"""Sources, places of reports, report history, wide views.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("agency", sa.String(200)),
        sa.Column("region", sa.String(200)),
        sa.Column("family", sa.String(40)),
        sa.Column("start_urls", sa.JSON),
    )
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("admin_level", sa.String(20)))
        batch.add_column(sa.Column("province", sa.String(40)))
        batch.add_column(sa.Column("city", sa.String(60)))
        batch.add_column(sa.Column("county", sa.String(60)))
        batch.add_column(sa.Column("township", sa.String(60)))
        batch.create_index("ix_reports_year_province", ["year", "province"])
    op.create_table(
        "report_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("extraction_version", sa.String(20)),
        sa.Column("template", sa.String(10)),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cells", sa.JSON, nullable=False),
    )
    op.create_index("ix_report_versions_report_id", "report_versions", ["report_id"])
    # The wide views follow the schema module: storage.migrate creates them after every upgrade.


def downgrade() -> None:
    for name in sa.inspect(op.get_bind()).get_view_names():
        if name.startswith("v_") and name != "v_coverage":
            op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_table("report_versions")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_year_province")
        for column in ("township", "county", "city", "province", "admin_level"):
            batch.drop_column(column)
    op.drop_table("sources")
