"""A hostile portal: legitimate reports beside every kind of broken and dangerous input.

``build_hostile_portal()`` returns a Portal whose ``broken`` maps each hostile path to the
outcome a correct crawl records for it (``None`` for a link that must never be requested).
"""

from __future__ import annotations

import io
import random
import zipfile

from .pages import article_page, listing_page
from .render_pdf import render_pdf
from .render_tables import render_docx
from .reports import prose, synthetic_report
from .site import Portal, Resource, _report_body

BASE = "/hostile/xxgk/nb/"
SITE, COLUMN = "新化县人民政府", "政府信息公开年报"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def zip_bomb_docx(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A DOCX whose document.xml inflates to ``inflated`` bytes."""
    legit = zipfile.ZipFile(io.BytesIO(render_docx(synthetic_report("新化县", 2021, "2021", 1), {})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in legit.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, legit.read(item))
        with bomb.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b"<w:p/>" * (1 << 16)
            handle.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(inflated // len(chunk)):
                handle.write(chunk)
            handle.write(b"</w:body></w:document>")
    return out.getvalue()


def billion_laughs_docx() -> bytes:
    legit = zipfile.ZipFile(io.BytesIO(render_docx(synthetic_report("新化县", 2021, "2021", 2), {})))
    # lol1 is ten lols, lol2 ten lol1s, … lol9 a billion: what an unguarded parser expands.
    def previous(i: int) -> str:
        return "&lol;" if i == 1 else f"&lol{i - 1};"

    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{previous(i) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        for item in legit.infolist():
            docx.writestr(item, xml if item.filename == "word/document.xml" else legit.read(item))
    return out.getvalue()


LOOPING_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
               b"3 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >> endobj\n"
               b"trailer << /Root 1 0 R >>\n%%EOF\n")


def _page(portal: Portal, path: str, title: str, body: str) -> None:
    html = article_page(SITE, COLUMN, title, "2022-02-01", SITE, body)
    portal.resources[path] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")


def build_hostile_portal() -> Portal:
    portal = Portal(regions={"hostile": "湖南省/娄底市"}, families={"hostile": "trs_wcm"})
    items: list[tuple[str, str, str]] = []

    def listed(path: str, title: str, outcome: str | None) -> None:
        items.append((path, title, "2022-02-01"))
        portal.broken[path] = outcome

    # Legitimate reports: an HTML page and one whose report is its DOCX.
    for n, year in enumerate((2020, 2021)):
        report = synthetic_report(SITE, year, "2021" if year >= 2021 else "2019", 700 + n)
        path = f"{BASE}legit_{year}.html"
        if n == 0:
            _page(portal, path, report["title"], _report_body(report))
            portal.expected.append(dict(report, url=path, form="html", site="hostile"))
        else:
            portal.resources[f"{BASE}legit_{year}.docx"] = Resource(render_docx(report, prose(report)), DOCX_TYPE)
            _page(portal, path, report["title"], f'<p>全文见附件：<a href="legit_{year}.docx">下载</a></p>')
            portal.expected.append(dict(report, url=f"{BASE}legit_{year}.docx", form="docx", site="hostile"))
        items.append((path, report["title"], "2022-02-01"))
    pdf = render_pdf(synthetic_report(SITE, 2019, "2019", 710), {})
    attachments = {
        "bomb.docx": (zip_bomb_docx(), DOCX_TYPE, "refused"),
        "laughs.docx": (billion_laughs_docx(), DOCX_TYPE, None),  # read safely; no table in it
        "truncated.pdf": (pdf[: len(pdf) // 3], "application/pdf", None),
        "looping.pdf": (LOOPING_PDF + b" " * 2048, "application/pdf", None),
    }
    for n, (name, (body, ctype, outcome)) in enumerate(attachments.items()):
        portal.resources[BASE + name] = Resource(body, ctype)
        title = f"新化县第{n}局2022年政府信息公开工作年度报告"
        _page(portal, f"{BASE}att_{n}.html", title, f'<p><a href="{name}">附件</a></p>')
        items.append((f"{BASE}att_{n}.html", title, "2022-02-01"))
        portal.broken[BASE + name] = outcome
    # A 2 GB Content-Length, a 50 MB page, a redirect loop.
    portal.resources[BASE + "huge.pdf"] = Resource(b"%PDF-1.4 tiny", "application/pdf",
                                                   headers={"Content-Length": str(2 * 1024 ** 3)})
    _page(portal, f"{BASE}huge_page.html", "新化县大文件局2022年政府信息公开工作年度报告", '<p><a href="huge.pdf">附件</a></p>')
    items.append((f"{BASE}huge_page.html", "新化县大文件局2022年政府信息公开工作年度报告", "2022-02-01"))
    portal.broken[BASE + "huge.pdf"] = "too_large"
    big = "<p>" + "政府信息公开" * (50 * 1024 * 1024 // 18) + "</p>"
    portal.resources[BASE + "fifty_mb.html"] = Resource(f"<html><body>{big}</body></html>".encode(),
                                                        "text/html; charset=utf-8")
    listed(BASE + "fifty_mb.html", "新化县巨页局2022年政府信息公开工作年度报告", "too_large")
    portal.redirects[BASE + "loop_a.html"] = BASE + "loop_b.html"
    portal.redirects[BASE + "loop_b.html"] = BASE + "loop_a.html"
    listed(BASE + "loop_a.html", "新化县循环局2022年政府信息公开工作年度报告", "fetch_failed")
    # Links that must never be followed: other internal hosts, cloud metadata, local files.
    for n, url in enumerate(("http://127.0.0.1:9/secret.html", "http://169.254.169.254/latest/meta-data/",
                             "file:///etc/passwd", "http://10.0.0.8/internal.html")):
        items.append((url, f"新化县外链{n}局2022年政府信息公开工作年度报告", "2022-02-01"))
        portal.broken[url] = "blocked"
    _page(portal, f"{BASE}traversal.html", "新化县路径局2022年政府信息公开工作年度报告",
          '<p><a href="../../../../../../etc/passwd.docx">a</a> <a href="..%2F..%2F..%2Fboot.ini.pdf">b</a>'
          ' <a href="file:///etc/shadow.pdf">c</a> <a href="http://169.254.169.254/report.pdf">d</a></p>')
    items.append((f"{BASE}traversal.html", "新化县路径局2022年政府信息公开工作年度报告", "2022-02-01"))
    # Invalid bytes labelled as every encoding.
    rng = random.Random(8)
    for label in ("utf-8", "gbk", "big5", "gb18030", ""):
        body = bytes(rng.randrange(256) for _ in range(20_000))
        ctype = f"text/html; charset={label}" if label else "text/html"
        path = f"{BASE}bytes_{label or 'none'}.html"
        portal.resources[path] = Resource(b"<html><body>" + body + b"</body></html>", ctype)
        listed(path, f"新化县乱码{label or '无'}局2022年政府信息公开工作年度报告", "unrecognised_layout")
    # Endless pagination: every index_N.html exists and claims 100000 pages.
    pages = 100_000

    def listing(method, query, body, rest):
        n = int(rest[1:].split(".")[0]) if rest.startswith("_") else 0
        chunk = items[n * 6:(n + 1) * 6] if n * 6 < len(items) else items[:2]
        html = listing_page(SITE, COLUMN, chunk, n, pages)
        return Resource(html.encode("utf-8"), "text/html; charset=utf-8")

    portal.prefix_handlers[BASE + "index"] = listing
    portal.start_paths["hostile"] = BASE + "index.html"
    return portal
