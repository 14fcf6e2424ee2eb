"""v_coverage: per source and year, the reports stored; a source that yielded none has one row
with no year and 0 reports (``xxgk status --coverage`` reads the same from the tables).
Self-contained: the SQL is written here, not imported.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COVERAGE = """CREATE VIEW v_coverage AS
SELECT s.source, r.year, COUNT(r.id) AS reports
FROM (SELECT name AS source FROM sources
      UNION SELECT DISTINCT source FROM documents WHERE source IS NOT NULL) s
LEFT JOIN reports r ON r.source = s.source
GROUP BY s.source, r.year"""


def upgrade() -> None:
    op.execute(COVERAGE)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_coverage")
