"""The codebook covers every key, is in every database, and docs/codebook.md is current."""

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines import codebook, schema
from storage import models
from storage.repository import Repository

ROOT = Path(__file__).resolve().parents[1]


def test_every_schema_key_has_an_entry_and_nothing_else():
    found = {(e.kind, e.table_name, e.key) for e in codebook.entries()}
    expected = {("table", t, t) for t in schema.TABLES}
    for template in schema.TEMPLATES:
        for table, rows in schema.layout(template).items():
            for row, columns in rows.items():
                expected.add(("row", table, row))
                expected |= {("column", table, column) for column in columns}
    assert {k for k in found if k[0] in ("table", "row", "column")} == expected
    assert {k[2] for k in found if k[0] == "section"} == {key for key, _ in schema.SECTIONS}


def test_every_flag_the_extractor_raises_is_explained():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipelines").rglob("*.py"))
    raised = set(re.findall(r'Issue\(\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'"([a-z_]+_mismatch)"', source))
    assert raised and raised <= set(codebook.FLAGS), raised - set(codebook.FLAGS)


def test_templates_say_where_a_key_belongs():
    by_key = {(e.table_name, e.key): e.templates for e in codebook.entries() if e.kind == "row"}
    assert by_key[("applications", "other_handling")] == "2019"
    assert by_key[("applications", "other_misc")] == "2021"
    assert by_key[("applications", "new_received")] == "2019,2021"


def test_docs_codebook_is_generated_from_the_module():
    assert (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8") == codebook.markdown()


def test_database_holds_the_codebook(database_url):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    with Session(repo.engine) as session:
        rows = session.scalars(select(models.CodebookEntry).where(models.CodebookEntry.kind != "version")).all()
        version = session.scalar(select(models.CodebookEntry.key).where(models.CodebookEntry.kind == "version"))
    repo.close()
    assert {(r.kind, r.table_name, r.key, r.label) for r in rows} == {
        (e.kind, e.table_name, e.key, e.label) for e in codebook.entries()}
    assert version.startswith(codebook.digest() + "-")
