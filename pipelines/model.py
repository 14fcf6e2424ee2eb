"""Plain-data forms that pass between the stages of extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(slots=True)
class RawDocument:
    """What a spider yields: one fetch, bytes as received, and nothing parsed.

    ``error`` is set (and ``body`` may be empty) when the fetch failed; extraction fills
    ``report``.
    """

    url: str
    kind: str = "page"  # listing | page | attachment | file
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    source: str | None = None
    region: str | None = None
    agency: str | None = None  # the source's agency (sources.yaml), for reports whose title names none
    listing_title: str | None = None
    parent_url: str | None = None
    page_title: str | None = None
    published: str | None = None
    listing_date: str | None = None
    decided_encoding: tuple[str, str] | None = None  # (codec, why) when the crawl decided it
    error: str | None = None
    skip: str | None = None  # not_modified: revalidated, nothing new to store
    links: list[str] | None = None  # listing and report pages: the URLs they led to
    report: Report | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type") or self.headers.get("content-type")


@dataclass(slots=True)
class GridCell:
    """One position of a table after spans are expanded.

    ``spanned`` is true for the copies a rowspan/colspan makes of its origin cell: labels
    are read from copies, values only from origins, so a merged value is counted once.
    """

    text: str
    spanned: bool = False


class OcrText(str):
    """A cell's text as OCR read it: how sure Tesseract was (0-100), and the other readings it
    considered for a doubtful digit. Compares and hashes as the plain text it is."""

    confidence: float
    alternatives: tuple[str, ...]

    def __new__(cls, text: str, confidence: float = 100.0, alternatives: tuple[str, ...] = ()) -> OcrText:
        made = super().__new__(cls, text)
        made.confidence, made.alternatives = confidence, alternatives
        return made

    def __reduce__(self):  # across the process boundary of the isolated reader
        return (OcrText, (str(self), self.confidence, self.alternatives))


Grid = list[list[GridCell]]


@dataclass(slots=True)
class ParsedDocument:
    """What every format reader produces: the prose and the tables as grids of text."""

    format: str  # html | text | docx | pdf | xlsx | ...
    text: str = ""
    tables: list[Grid] = field(default_factory=list)
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # published, source, site...
    encoding: str | None = None
    encoding_reason: str | None = None
    repairs: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)

    def strings(self):
        """Every piece of text, for repairs applied in place."""
        yield self.text
        for table in self.tables:
            for row in table:
                for cell in row:
                    yield cell.text


@dataclass(slots=True)
class Issue:
    code: str
    where: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "where": self.where, "detail": self.detail}


@dataclass(slots=True)
class Cell:
    table: str
    row: str
    column: str
    value: int | float | None
    text: str | None  # as printed; None when the report has no such cell at all
    kind: str  # number | blank | text
    note: str | None = None


@dataclass(slots=True)
class Report:
    """The normalised report of docs/report.md, plus how it was obtained."""

    status: str  # ok | unrecognised_layout | not_a_report | needs_ocr | see_attachment
    reason: str | None = None
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    published: str | None = None  # ISO date
    place: dict[str, str | None] = field(default_factory=dict)  # level, province, city, county, township
    cells: list[Cell] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    format: str | None = None
    encoding: str | None = None
    encoding_reason: str | None = None
    repairs: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def tables(self) -> dict[str, dict[str, dict[str, Any]]]:
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for cell in self.cells:
            out.setdefault(cell.table, {}).setdefault(cell.row, {})[cell.column] = cell.value
        return out

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of docs/report.md (with status and provenance beside it)."""
        data: dict[str, Any] = {
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "published": self.published,
            "place": self.place,
            "tables": self.tables(),
            "texts": {
                f"{c.table}.{c.row}.{c.column}": c.text
                for c in self.cells
                if c.text is not None and c.kind != "blank" and c.text != _plain(c.value)
            },
            "sections": self.sections,
            "issues": [i.as_dict() for i in self.issues],
            "status": self.status,
        }
        if self.reason:
            data["reason"] = self.reason
        data["format"] = self.format
        if self.encoding:
            data["encoding"] = self.encoding
        return data


def _plain(value: int | float | None) -> str | None:
    return None if value is None else str(value)
