"""The division code of a report's place (GB/T 2260, six digits), for joins with census and
statistical-yearbook data.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not in batch mode: SQLite would copy the table, and the views over it refuse that.
    op.add_column("reports", sa.Column("division_code", sa.String(12)))


def downgrade() -> None:
    op.drop_column("reports", "division_code")
