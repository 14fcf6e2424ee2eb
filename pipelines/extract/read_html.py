"""HTML pages -> ParsedDocument: the body's prose and its tables as span-expanded grids."""

from __future__ import annotations

import re

from lxml import etree

from pipelines.model import Grid, GridCell, ParsedDocument

from .attachments import element_attachments, may_have_attachments

# Where portals put the article body, most specific first (TRS, Hanweb, generic).
BODY_SELECTORS = (
    "#zoom",
    ".TRS_Editor",
    ".trs_editor_view",
    "#UCAP-CONTENT",
    ".article-content",
    ".article",
    "#content",
    ".content",
    ".main",
)
META_FIELDS = {
    "title": ("ArticleTitle", "og:title", "title"),
    "published": ("PubDate", "pubdate", "publishdate", "firstpublishedtime"),
    "source": ("ContentSource", "source"),
    "site": ("SiteName",),
}
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}
_WS = re.compile(r"[ \t\r\f\v\xa0]+")
MAX_SPAN = 50  # spans beyond this are export garbage, not layout


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def cell_text(element: etree._Element) -> str:
    """A cell's text: fragments joined without separators (digits split across tags)."""
    if len(element):
        text = etree.tostring(element, method="text", encoding=str, with_tail=False)
    else:  # no child elements (comments are dropped by the parser): its own text is all of it
        text = element.text or ""
    return _WS.sub(" ", text).strip()


def table_grid(table: etree._Element) -> Grid:
    """Expand rowspan/colspan into a rectangular grid; copies are marked ``spanned``."""
    nested = table.find(".//table") is not None
    rows = [tr for tr in table.iter("tr") if not nested or _owner_table(tr) is table]
    height = len(rows)
    grid: list[list[GridCell | None]] = [[] for _ in range(height)]
    for r, tr in enumerate(rows):
        line = grid[r]
        c = 0
        for td in tr.iterchildren("td", "th"):
            while c < len(line) and line[c] is not None:
                c += 1
            text = cell_text(td)
            rowspan, colspan = td.get("rowspan"), td.get("colspan")
            if rowspan is None and colspan is None:
                if c == len(line):
                    line.append(GridCell(text))
                else:
                    line[c] = GridCell(text)
                c += 1
                continue
            rowspan, colspan = min(_span(rowspan), height - r), _span(colspan)
            for dr in range(rowspan):
                below = grid[r + dr]
                if len(below) < c + colspan:
                    below.extend([None] * (c + colspan - len(below)))
                for dc in range(colspan):
                    below[c + dc] = GridCell(text, spanned=bool(dr or dc))
            c += colspan
    width = max((len(line) for line in grid), default=0)
    return [[cell if cell is not None else GridCell("", spanned=True) for cell in line]
            + [GridCell("", spanned=True) for _ in range(width - len(line))] for line in grid]


def _owner_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _block_text(element: etree._Element) -> str:
    """Prose of an element with line breaks at block boundaries, tables left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "table"):
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCKS:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    lines = (_WS.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _meta(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    names = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip()
        if key and meta.get("content"):
            names[key.lower()] = meta.get("content").strip()
    for field, keys in META_FIELDS.items():
        for key in keys:
            if names.get(key.lower()):
                found[field] = names[key.lower()]
                break
    return found


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def _selector_keys() -> dict[tuple[str, str], int]:
    """(attribute, value) -> the rank of its selector in ``BODY_SELECTORS``."""
    keys = {}
    for rank, selector in enumerate(BODY_SELECTORS):
        attribute = "id" if selector[0] == "#" else "class"
        keys.setdefault((attribute, selector[1:]), rank)
    return keys


_SELECTOR_KEYS = _selector_keys()


# A page whose tables hold fewer cells than this holds no statistics table in its markup (the
# smallest, 表二, has 20 to 30; 表三 alone some 200).
STATS_CELLS = 60
MAX_SCAN_PICTURES = 30  # a report runs to a dozen pages; more pictures are a gallery, not a report
_IMAGE_SOURCES = ("src", "data-src", "data-original", "original-src")
_NOT_PAGE_IMAGE = re.compile(r"(\.(gif|svg|ico)(\?|$)|^data:)", re.I)


_LINKED_IMAGE = re.compile(r"\.(jpe?g|png|tiff?|bmp|webp)(\?|#|$)", re.I)


def scan_images(root: etree._Element) -> list[str]:
    """The addresses (as written) of the images in the article's container, in page order: a
    report published as pictures of its pages or tables, shown (``<img>``) or linked
    (``<a href="…/W020240215.jpg">第1页</a>``; a link's own thumbnail is not a page of its own).
    Only the containers of ``BODY_SELECTORS`` are looked in, most specific first (images elsewhere
    are the site's); icons (gif, svg) and pictures printed smaller than 300 px are left out, and
    an article of more than ``MAX_SCAN_PICTURES`` pictures is a gallery, not a report."""
    for containers in _containers_by_rank(root, list(_SELECTOR_KEYS)):
        for container in containers:
            found, thumbnails = [], set()
            for element in container.iter("img", "a"):
                if element.tag == "a":
                    src = (element.get("href") or "").strip()
                    if not _LINKED_IMAGE.search(src):
                        continue
                    thumbnails.update(element.iter("img"))
                elif element in thumbnails:
                    continue
                else:
                    src = next((element.get(name).strip() for name in _IMAGE_SOURCES
                                if (element.get(name) or "").strip()), None)
                    if not src or _printed_small(element):
                        continue
                if _NOT_PAGE_IMAGE.search(src) or src in found:
                    continue
                found.append(src)
            if found:
                return found if len(found) <= MAX_SCAN_PICTURES else []
    return []


def _printed_small(img: etree._Element) -> bool:
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 300:
            return True
    return False


_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_STRING = etree.XPath("string(.)")
_BY_ID = etree.XPath("id($id)")


def find_container(root: etree._Element, page: str | None = None) -> etree._Element | None:
    """The article's container on the CMSs xxgk knows (``BODY_SELECTORS``, the first that matches
    an element with more than 50 characters of text wins; the longest such element of it), found
    in one walk of the tree; only the selectors whose names occur in ``page`` (the page's text,
    when given) are looked for, and none when none does."""
    keys = [key for key in _SELECTOR_KEYS if page is None or key[1] in page]
    if not keys:
        return None
    for attribute, value in keys:  # the leading id selectors, through libxml2's index of ids
        if attribute != "id" or page is None or page.count(value) != 1:
            break  # a class, or an id the page may give twice: the walk below decides
        found = _BY_ID(root, id=value)  # the only element that can carry it: its name is once in the page
        if found and _TEXT_LENGTH(found[0]) > 50:
            return found[0]
    for containers in _containers_by_rank(root, keys):
        texts = [(len(_STRING(element)), element) for element in containers if _TEXT_LENGTH(element) > 50]
        if texts:
            return max(texts, key=lambda pair: pair[0])[1]
    return None


def _containers_by_rank(root: etree._Element, keys: list[tuple[str, str]]) -> list[list[etree._Element]]:
    """The elements matching each of ``keys`` (``BODY_SELECTORS`` as (attribute, value)), found in
    one walk of the tree, in page order, grouped by their selector's rank, most specific first."""
    ids = {value for attribute, value in keys if attribute == "id"}
    names = {value for attribute, value in keys if attribute == "class"}
    hits: dict[int, list[etree._Element]] = {}
    for element in root.iter(tag=etree.Element):
        ident, classes = element.get("id"), element.get("class")
        if ident in ids:
            hits.setdefault(_SELECTOR_KEYS["id", ident], []).append(element)
        if classes:
            for name in names.intersection(classes.split()):
                hits.setdefault(_SELECTOR_KEYS["class", name], []).append(element)
    return [hits[rank] for rank in sorted(hits)]


# A publication date printed beside its label (发布日期：2020-01-31, 成文日期: 2020年1月31日).
_LABELLED_DATE = re.compile(
    r"(?:发布|成文|公开|印发|发文)(?:日期|时间)\s*[:：]?\s*(?:<[^>]*>\s*)*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def labelled_date(page: str) -> str | None:
    """The first publication date printed with its label, as an ISO date; None without one."""
    for found in _LABELLED_DATE.finditer(page):
        year, month, day = (int(part) for part in found.groups())
        if 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def main_text(page: str, known: dict[str, str] | None = None) -> tuple[str | None, dict[str, str]]:
    """trafilatura's main text of a page whose container xxgk does not know (navigation, footers
    and sidebars left out, tables too: they are read apart), and the page's title, date and site
    where ``known`` (what the page's own meta fields and title gave) lacks them.

    One parse for all of it; only the metadata missing is looked for (trafilatura's full metadata
    looks for authors, categories and licences too, and costs twice the text); a date printed
    with its label (发布日期) before htmldate's search of the page; the statistics tables are taken
    out first, so trafilatura's fast extraction (no fallback algorithms) can be used without
    their cells running into the prose."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    known = known or {}
    tree = load_html(page)
    if tree is None:
        return None, {}
    found: dict[str, str] = {}
    if not known.get("title"):
        from trafilatura.metadata import extract_title

        found["title"] = extract_title(tree)
    if not known.get("site"):
        from trafilatura.metadata import extract_sitename

        found["site"] = extract_sitename(tree)
    if not known.get("published"):
        found["published"] = labelled_date(page)
        if not found["published"]:
            from htmldate import find_date

            found["published"] = find_date(tree, extensive_search=False, original_date=True, max_date=None)
    found = {field: value for field, value in found.items() if value}
    for table in [t for t in tree.iter("table") if t.find(".//table") is None]:
        table.drop_tree()  # statistics tables are read apart; layout tables around them stay
    document = bare_extraction(tree, include_tables=False, include_comments=False, favor_recall=True, fast=True,
                               deduplicate=False, with_metadata=False)
    return (document.text if document is not None else None), found


_HEAD_END = re.compile(r"</head\s*>", re.I)


def head_meta(text: str) -> dict[str, str]:
    """A page's meta fields (``META_FIELDS``), parsing only what comes before ``</head>``."""
    end = _HEAD_END.search(text)
    head = _XML_DECLARATION.sub("", text[:end.end()] if end else text, count=1)
    try:
        root = etree.fromstring(head, _PARSER) if head.strip() else None
    except (etree.ParserError, ValueError):
        return {}
    return _meta(root) if root is not None else {}


def read_html(text: str) -> ParsedDocument:
    """Parse an HTML page already decoded to text."""
    doc = ParsedDocument(format="html")
    if not text.strip():
        return doc
    text = text_of_page = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        return doc
    if root is None:
        return doc
    doc.meta = _meta(root)
    title = root.find(".//title")
    doc.title = doc.meta.get("title") or (cell_text(title) if title is not None else None)
    container = find_container(root, text)
    body = container if container is not None else (root.find("body") if root.find("body") is not None else root)
    tables = [t for t in body.iter("table") if t.find(".//table") is None]
    doc.tables = [g for g in (table_grid(t) for t in tables) if g]
    if may_have_attachments(text):
        doc.attachments = element_attachments(None, body)  # within the container
    if not doc.attachments and sum(len(row) for grid in doc.tables for row in grid) < STATS_CELLS:
        doc.attachments = scan_images(root)  # its tables are pictures: the crawl reads them (OCR)
    text = None
    if container is None:  # an unknown layout: trafilatura tells the article from the page's chrome
        text, found = main_text(text_of_page, {**doc.meta, "title": doc.title or ""})
        doc.meta = {**found, **doc.meta}
        doc.title = doc.title or found.get("title")
    doc.text = text or _block_text(body)
    return doc
