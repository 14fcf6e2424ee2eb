"""The codebook table: every key of the database with its printed label, templates, unit and
meaning. Its rows are written by ``storage.migrate`` from ``pipelines.codebook`` whenever they
differ, so the table follows the code without a migration per wording change.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codebook",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("table_name", sa.String(40)),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("templates", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("unit", sa.String(20)),
        sa.Column("meaning", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("codebook")
