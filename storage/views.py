"""Wide SQL views over the long ``cells`` table, generated from the schema's keys.

One view per table and template (``v_applications_2019``, ...), one row per report and row
key, one column per column key; ``v_harmonised`` keeps, in long form, the cells whose
meaning is the same in both templates (2021's three 其他处理 rows summed as other_handling).
The SQL is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pipelines import schema

REPORT_COLUMNS = ("agency", "year", "template", "admin_level", "province", "city", "county", "source")


def _wide(table: str, template: str, columns: tuple[str, ...]) -> str:
    picks = ",\n  ".join(
        f"MAX(CASE WHEN c.column_key = '{col}' THEN c.value END) AS {col}" for col in columns
    )
    meta = ", ".join(f"r.{col}" for col in REPORT_COLUMNS)
    return (
        f"CREATE VIEW v_{table}_{template} AS\nSELECT r.id AS report_id, {meta}, c.row_key,\n  {picks}\n"
        f"FROM reports r JOIN cells c ON c.report_id = r.id\n"
        f"WHERE r.template = '{template}' AND c.table_name = '{table}'\n"
        f"GROUP BY r.id, {meta}, c.row_key"
    )


def view_names() -> list[str]:
    return [f"v_{t}_{tpl}" for t in schema.TABLES for tpl in schema.TEMPLATES] + ["v_harmonised"]


def _shared_cells() -> list[tuple[str, str, str]]:
    shared = []
    for table in schema.TABLES:
        a, b = (schema.layout(t)[table] for t in schema.TEMPLATES)
        for row, cols in a.items():
            for col in cols:
                if col in b.get(row, ()):
                    shared.append((table, row, col))
    return shared


def _harmonised() -> str:
    shared = " OR ".join(
        f"(c.table_name = '{t}' AND c.row_key = '{r}' AND c.column_key = '{c}')" for t, r, c in _shared_cells()
    )
    meta = ", ".join(f"r.{col}" for col in REPORT_COLUMNS)
    others = ", ".join(f"'{row}'" for row in schema.OTHER_HANDLING["2021"])
    return (
        f"CREATE VIEW v_harmonised AS\n"
        f"SELECT r.id AS report_id, {meta}, c.table_name, c.row_key, c.column_key, c.value\n"
        f"FROM reports r JOIN cells c ON c.report_id = r.id\nWHERE {shared}\n"
        f"UNION ALL\n"
        f"SELECT r.id, {meta}, 'applications', 'other_handling', c.column_key,\n"
        f"  CASE WHEN COUNT(c.value) > 0 THEN SUM(c.value) END\n"
        f"FROM reports r JOIN cells c ON c.report_id = r.id\n"
        f"WHERE r.template = '2021' AND c.table_name = 'applications' AND c.row_key IN ({others})\n"
        f"GROUP BY r.id, {meta}, c.column_key\n"
        f"UNION ALL\n"
        f"SELECT r.id, {meta}, 'applications', 'other_handling', c.column_key, c.value\n"
        f"FROM reports r JOIN cells c ON c.report_id = r.id\n"
        f"WHERE r.template = '2019' AND c.table_name = 'applications' AND c.row_key = 'other_handling'"
    )


def create_statements() -> list[str]:
    statements = []
    for template in schema.TEMPLATES:
        layout = schema.layout(template)
        for table in schema.TABLES:
            columns = tuple(dict.fromkeys(col for cols in layout[table].values() for col in cols))
            statements.append(_wide(table, template, columns))
    statements.append(_harmonised())
    return statements


def drop_statements() -> list[str]:
    return [f"DROP VIEW IF EXISTS {name}" for name in view_names()]


# Views a migration made once and no later build remakes, in their migration's words (the
# migration holds its own copy: it runs years after it was written). A new database gets them
# with the models' tables (``storage.migrate.create_new``); a test compares both ways.
COVERAGE = """CREATE VIEW v_coverage AS
SELECT s.source, r.year, COUNT(r.id) AS reports
FROM (SELECT name AS source FROM sources
      UNION SELECT DISTINCT source FROM documents WHERE source IS NOT NULL) s
LEFT JOIN reports r ON r.source = s.source
GROUP BY s.source, r.year"""


def migrated_statements() -> list[str]:
    return [COVERAGE]
