"""What ``xxgk serve`` tells Datasette about the corpus: table and column descriptions (from the
codebook and the data model), facets, and canned queries (the README's research questions, a
report's three tables as printed with the flags beside each cell, and a search by place and year)."""

from __future__ import annotations

from pipelines import codebook

from .questions import QUESTIONS

REPORT_PAGE = """SELECT c.table_name AS "table", COALESCE(rl.label, c.row_key) AS "row",
  COALESCE(cl.label, c.column_key) AS "column", c.text AS printed, c.value, c.kind,
  (SELECT group_concat(f.code || ': ' || f.detail, ' | ') FROM flags f
    WHERE f.report_id = c.report_id AND f.location IN (c.table_name, c.table_name || '.' || c.row_key,
      c.table_name || '.' || c.column_key, c.table_name || '.' || c.row_key || '.' || c.column_key)) AS flags,
  c.row_key, c.column_key
FROM cells c
LEFT JOIN codebook rl ON rl.kind = 'row' AND rl.table_name = c.table_name AND rl.key = c.row_key
LEFT JOIN codebook cl ON cl.kind = 'column' AND cl.table_name = c.table_name AND cl.key = c.column_key
WHERE c.report_id = :report_id
ORDER BY c.id"""

FIND_REPORTS = """SELECT id AS report_id, agency, year, template, province, city, county, township, title,
  published, page_url
FROM reports
WHERE (county LIKE '%' || :place || '%' OR city LIKE '%' || :place || '%' OR agency LIKE '%' || :place || '%')
  AND (:year = '' OR year = CAST(:year AS INTEGER))
ORDER BY year, agency"""

REPORT_COLUMNS = {
    "report_key": "agency|year: one row per agency and year",
    "agency": "the body that published the report", "year": "the report's year",
    "template": "2019 or 2021 (decided from the table headers)", "title": "the report's title as printed",
    "url": "the document the tables were read from", "page_url": "the page it was published on (cite this)",
    "published": "publication date", "source": "the configured portal it came from",
    "admin_level": "central, province, city, county or township",
    "province": "province", "city": "prefecture-level city", "county": "county-level division",
    "township": "township", "document_id": "the stored fetch (raw bytes) it was extracted from",
}
CELL_COLUMNS = {
    "table_name": "active_disclosure, applications or review_litigation (see the codebook table)",
    "row_key": "the row's key (codebook: kind row)", "column_key": "the column's key (codebook: kind column)",
    "value": "the number, in the column's unit; null when blank or not a number",
    "text": "the cell as printed", "kind": "number, blank or text", "note": "what the number carried beside it",
}


def metadata(database: str) -> dict:
    entries = codebook.entries()
    tables = {
        "reports": {"description": "One annual report per agency and year.", "columns": REPORT_COLUMNS,
                    "facets": ["province", "admin_level", "year", "template"], "sort_desc": "year"},
        "cells": {"description": "Every printed cell of the three statistics tables, in long form.",
                  "columns": CELL_COLUMNS, "facets": ["table_name", "kind"]},
        "flags": {"description": "Checks a report's own arithmetic failed, and layout notes.",
                  "columns": {"code": "; ".join(f"{code}: {text}" for code, text in codebook.FLAGS.items()),
                              "location": "table, table.row, table.column or table.row.column"},
                  "facets": ["code"]},
        "codebook": {"description": "What every key means: its printed label, templates, unit and meaning.",
                     "facets": ["kind", "table_name"]},
        "sections": {"description": "The report's prose, by section (overview … other_matters)."},
        "documents": {"description": "Every fetch with its outcome and reason; body holds the raw bytes, "
                                     "as a zstandard frame where body_codec is zstd (xxgk db body ID "
                                     "writes them as fetched)."},
        "crawl_runs": {"description": "Crawls: how each ended (finished, interrupted, failed) and why."},
    }
    for entry in entries:
        if entry.kind == "table":
            tables[f"v_{entry.key}_2019"] = {"description": f"{entry.label} (template 2019), wide: a row key a row"}
            tables[f"v_{entry.key}_2021"] = {"description": f"{entry.label} (template 2021), wide: a row key a row"}
    queries = {name: {"title": title, "sql": sql.strip().rstrip(";")} for name, title, sql in QUESTIONS}
    queries["report"] = {"title": "One report's tables as printed, with the flags beside each cell",
                         "sql": REPORT_PAGE}
    queries["find_reports"] = {"title": "Reports of a place (county, city or agency) and year",
                               "sql": FIND_REPORTS}
    return {"title": "xxgk: government information-disclosure annual reports",
            "description": "Reports, cells and flags crawled by xxgk; the codebook table says what every key means.",
            "databases": {database: {"tables": tables, "queries": queries}}}
