"""Report pages stored straight into a database, as a deferred crawl leaves them (outcome
``not_processed``, bytes kept compressed, the charset the crawl decided), for ``xxgk reextract``
to work on without a crawl first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from pipelines.repair.decode import decode
from storage import models
from storage.body import pack
from storage.repository import Repository

from .forms import render_forms
from .reports import synthetic_report


def store_pending_pages(database_url: str, count: int, kinds: int = 20) -> list[int]:
    """``count`` report pages of the fixture renderer (``kinds`` distinct reports, each page its
    own agency) stored unextracted; returns their document ids."""
    repo = Repository.from_url(database_url)
    repo.create_schema()
    pages = [render_forms(synthetic_report(f"临江{i}县教育局", 2022, "2021", i))["html"] for i in range(kinds)]
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        body = pages[i % kinds].replace("临江".encode(), f"临江{i}".encode())
        kept, codec = pack(body)
        decided = decode(body, "text/html; charset=utf-8")  # what the crawl's charset middleware stores
        rows.append(dict(url=f"http://stored.test/{i}.html", kind="page", status=200, fetched_at=now,
                         headers={"Content-Type": "text/html; charset=utf-8"}, size=len(body), body=kept,
                         body_codec=codec, outcome="not_processed", encoding=decided.encoding,
                         encoding_reason=decided.reason))
    with repo.engine.begin() as conn:
        for start in range(0, count, 1000):
            conn.execute(insert(models.Document), rows[start:start + 1000])
    ids = repo.stored_document_ids()
    repo.close()
    return ids
