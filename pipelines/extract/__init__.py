"""Extraction: any document's bytes -> the normalised report of docs/report.md.

``extract(raw)`` is the one entry point; the crawl's item pipeline, its worker processes,
``xxgk reextract``, ``xxgk extract`` and the gold gate all call it. Its stages, in order:

    read(body, content_type)  -> ParsedDocument   bytes -> text and grids, by format
    repair(parsed)            -> ParsedDocument   script conversion, artefacts
    interpret(parsed, hints)  -> Report           template, cells, metadata, checks
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.model import Cell, Issue, ParsedDocument, RawDocument, Report
from pipelines.repair import repair_document
from pipelines.repair.decode import Decoded, decode
from pipelines.repair.mojibake import fix_mojibake

from . import checks, metadata, ocr_doubt
from .agency import place_of
from .convert_office import ConversionError, convert, ole_kind
from .isolate import run_isolated, run_kept
from .limits import DEFAULT_LIMITS, Limits, UnsafeDocument, check_zip
from .map_tables import map_tables, to_cells
from .read_html import read_html
from .read_text import read_text
from .sniff import IMAGE_FORMATS, sniff_format, zip_image_pages

__all__ = ["Hints", "Limits", "Report", "Cell", "Issue", "ParsedDocument", "UnsafeDocument", "NeedsOcr", "extract",
           "hints_for", "raw_document", "read", "repair", "interpret"]

EXTRACTION_VERSION = "1"


@dataclass(slots=True)
class Hints:
    """What the crawl knows about a document beyond its bytes."""

    url: str | None = None
    listing_title: str | None = None
    page_title: str | None = None
    published: str | None = None
    source_agency: str | None = None
    region: str | None = None


class UnsupportedFormat(Exception):
    """A format this build cannot read yet; the reason names it."""


class NeedsOcr(Exception):
    """An image of a report: readable only through OCR."""


def _decode(body: bytes, content_type: str | None, decided: tuple[str, str] | None) -> Decoded:
    """The crawl's decision when it made one (bytes are decoded once), else decide here."""
    if decided:
        try:
            return Decoded(body.decode(decided[0]), decided[0], decided[1])
        except (UnicodeDecodeError, LookupError):
            pass
    return decode(body, content_type)


def _ocr(reader, args: tuple, pages: int, limits: Limits, what: str) -> ParsedDocument:
    """A scan read by OCR in the killable child, ``limits.ocr_seconds`` a page; NeedsOcr with the
    reason when OCR cannot run here or runs out of time (``xxgk reextract --outcome needs_ocr``
    reads it again later)."""
    from . import read_scan  # OpenCV and Tesseract: loaded by the first scan, not at start-up

    missing = read_scan.available()
    if missing:
        raise NeedsOcr(f"{what}: {missing}")
    try:
        return run_isolated(getattr(read_scan, reader), args, limits.ocr_seconds * pages)
    except UnsafeDocument as exc:
        raise NeedsOcr(f"{what}: OCR {exc} ({limits.ocr_seconds:g}s a page, XXGK_LIMIT_OCR_SECONDS)") from exc
    except ValueError as exc:  # the child found a model it could not load: not the document's fault
        unavailable = f"{read_scan.OcrUnavailable.__name__}: "
        if str(exc).startswith(unavailable):
            raise NeedsOcr(f"{what}: {str(exc)[len(unavailable):]}") from exc
        raise


def read(body: bytes, content_type: str | None = None, limits: Limits = DEFAULT_LIMITS,
         decided: tuple[str, str] | None = None) -> ParsedDocument:
    fmt = sniff_format(body)
    if fmt in ("html", "text"):
        decoded = _decode(body, content_type, decided)
        if len(decoded.text) > limits.max_html_chars:
            raise UnsafeDocument(f"{len(decoded.text)} characters of {fmt} (limit {limits.max_html_chars})")
        repaired = fix_mojibake(decoded.text)
        text = repaired.text
        doc = read_html(text) if fmt == "html" else read_text(text)
        if fmt == "html" and not doc.tables:  # tables flattened into paragraphs
            flat = read_text(doc.text)
            doc.tables, doc.meta["layout"] = flat.tables, flat.meta.get("layout", "")
        doc.encoding, doc.encoding_reason = decoded.encoding, decoded.reason
        if repaired.repair:
            doc.repairs.append(f"mojibake:{repaired.repair}")
        if repaired.lossy or decoded.reason.startswith("lossy"):
            doc.repairs.append("lossy")
        return doc
    if fmt in ("docx", "xlsx", "zip"):
        check_zip(body, limits)
    # The readers of binary formats and their libraries are loaded by the first document that
    # needs them (a crawl that stores raw bytes only never loads them); a PDF's reader is loaded
    # here, before the fork, so every child inherits it.
    from .read_docx import read_docx
    from .read_pdf import read_pdf
    from .read_xlsx import read_xlsx

    if fmt == "docx":
        return read_docx(body)
    if fmt == "pdf":
        doc = run_kept(read_pdf, (body, limits.max_pdf_pages), limits.pdf_seconds)
        if doc.meta.get("needs_ocr"):
            pages = min(int(doc.meta.get("pages", 1)), limits.max_pdf_pages)
            return _ocr("read_scanned_pdf", (body, limits.max_pdf_pages), pages, limits, "PDF without a text layer")
        return doc
    if fmt == "xlsx":
        return read_xlsx(body)
    if fmt in ("ole", "rtf"):
        kind = "rtf" if fmt == "rtf" else ole_kind(body)
        target = "xlsx" if kind == "xls" else "docx"
        try:
            converted = convert(body, kind, target, timeout=int(limits.office_seconds))
        except ConversionError as exc:
            raise UnsupportedFormat(f"{kind}: {exc}") from exc
        doc = read_xlsx(converted) if target == "xlsx" else read_docx(converted)
        doc.format = kind
        doc.repairs.append(f"libreoffice:{kind}->{target}")
        return doc
    if fmt in IMAGE_FORMATS:
        doc = _ocr("read_image_file", (body,), 1, limits, f"{fmt} image")
        doc.format = fmt
        return doc
    if fmt == "zip":
        pages = zip_image_pages(body)[:limits.max_pdf_pages]
        if pages:  # scans of a report's pages, in their order (as many as a PDF's pages are read)
            doc = _ocr("read_image_pages", (pages,), len(pages), limits, f"zip of {len(pages)} page images")
            doc.format = "zip"
            return doc
        raise UnsupportedFormat("zip: not page images (a zip is read when it holds the images of a report's pages)")
    raise UnsupportedFormat(f"format {fmt} not readable" if fmt != "binary" else "binary data, not a document")


repair = repair_document


def interpret(doc: ParsedDocument, hints: Hints | None = None) -> Report:
    hints = hints or Hints()
    candidates = [doc.meta.get("title"), metadata.title_from_text(doc.text), hints.page_title, hints.listing_title,
                  doc.title]
    if "pdf_chars_lost" in doc.repairs:  # the text misses characters: the file's own title first
        candidates.insert(0, doc.title)
    title = next(
        (t for t in candidates if t and metadata.year_of(t)),
        doc.meta.get("title") or doc.title or hints.listing_title,
    )
    year = metadata.year_of(title)
    report = Report(
        status="ok",
        title=title,
        agency=metadata.agency_of(title, doc.meta.get("source") or hints.source_agency),
        year=year,
        published=metadata.date_of(doc.meta.get("published"), hints.published),
        format=doc.format,
        encoding=doc.encoding,
        encoding_reason=doc.encoding_reason,
        repairs=list(doc.repairs),
        attachments=list(doc.attachments),
    )
    place = place_of(report.agency, hints.region)
    report.place = {"level": place.level, "province": place.province, "city": place.city,
                    "county": place.county, "township": place.township, "division_code": place.division_code}
    report.sections = metadata.split_sections(doc.text)
    if "likely_mirror" in doc.repairs:
        report.issues.append(Issue("likely_mirror", "document",
                                   "many pinyin annotations: a conversion widget's copy, not the original"))
    if "pdf_chars_lost" in doc.repairs:
        report.issues.append(Issue("lossy_text", "document",
                                   "the PDF prints some characters without their Unicode value: the text misses them"))
    if "lossy" in doc.repairs:
        report.issues.append(Issue("lossy_text", "document",
                                   "characters were lost before the bytes reached us (U+FFFD or 锟斤拷)"))
    mapping = map_tables(doc.tables, year)
    report.issues.extend(mapping.issues)
    if mapping.template is None or not mapping.found:
        if doc.meta.get("needs_ocr"):
            report.status, report.reason = "needs_ocr", doc.meta["needs_ocr"]
        elif doc.attachments:
            report.status, report.reason = "see_attachment", "no statistics table; attachments linked"
        else:
            report.status = "unrecognised_layout"
            report.reason = (
                f"{len(doc.tables)} tables, none mapped onto a template"
                if doc.tables else "no statistics table found"
            ) + (f" (read by OCR, {doc.meta.get('ocr_pages')} pages)" if "ocr" in doc.repairs else "")
        return report
    report.template = mapping.template
    for table in ("active_disclosure", "applications", "review_litigation"):
        if table not in mapping.found:
            report.issues.append(Issue("missing_table", table, "table not found in the document"))
    report.cells = mapping.cells if mapping.cells is not None else to_cells(mapping)
    found = mapping.checks
    if "ocr" in doc.repairs:  # doubtful readings: the arithmetic chooses, what stays doubtful is flagged
        report.cells, doubts, settled = ocr_doubt.settle(report.cells, mapping.template)
        report.issues.extend(doubts)
        report.repairs.extend(settled)
        found = None
    report.issues.extend(found if found is not None else checks.check_report(report.cells, mapping.template))
    return report


def hints_for(raw: RawDocument) -> Hints:
    """What the crawl knew of a document beyond its bytes."""
    return Hints(url=raw.url, listing_title=raw.listing_title, page_title=raw.page_title,
                 published=raw.published, region=raw.region, source_agency=raw.agency)


def raw_document(body: bytes, content_type: str | None = None, hints: Hints | None = None) -> RawDocument:
    """Bytes with what is known of them, in the form the crawl hands documents on."""
    hints = hints or Hints()
    return RawDocument(url=hints.url or "", kind="file", body=body,
                       headers={"Content-Type": content_type} if content_type else {},
                       listing_title=hints.listing_title, page_title=hints.page_title, published=hints.published,
                       region=hints.region, agency=hints.source_agency)


def extract(raw: RawDocument | bytes, content_type: str | None = None, hints: Hints | None = None,
            limits: Limits = DEFAULT_LIMITS) -> Report:
    """One document -> its Report: the one path from bytes to a report, taken by the crawl (in
    process and in workers), ``xxgk reextract``, ``xxgk extract`` and the gold gate.

    ``raw`` is what the crawl stored (bytes, headers, the encoding it decided, where it was
    found), or bare bytes with an optional content type and hints. Never raises for bad input:
    the status says why."""
    if not isinstance(raw, RawDocument):
        raw = raw_document(raw, content_type, hints)
    body = raw.body
    try:
        doc = read(body, raw.content_type, limits, raw.decided_encoding)
    except UnsafeDocument as exc:
        return Report(status="refused", reason=str(exc), format=sniff_format(body))
    except UnsupportedFormat as exc:
        return Report(status="unsupported_format", reason=str(exc), format=sniff_format(body))
    except NeedsOcr as exc:
        return Report(status="needs_ocr", reason=str(exc), format=sniff_format(body))
    except Exception as exc:  # a broken file of a known format
        return Report(status="unreadable", reason=f"{type(exc).__name__}: {exc}"[:500],
                      format=sniff_format(body))
    return interpret(repair(doc), hints_for(raw))
