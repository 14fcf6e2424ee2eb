"""Report metadata from the title, the meta tags and the prose: agency, year, date, sections."""

from __future__ import annotations

import re

from ..schema import SECTIONS

_YEAR = re.compile(r"(20[12]\d)\s*年")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"二[〇零][一二][〇零一二三四五六七八九]\s*年")
_REPORT_WORDS = re.compile(
    r"(?:关于)?\s*[（(]?\s*(?:20\d{2}|[二〇零一三四五六七八九]{4})\s*年?度?\s*[)）]?\s*"
    r"(?:度)?(?:的)?\s*(?:政府信息公开|政务公开|信息公开).*$"
)
_DATE = re.compile(r"(20\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_TITLE_NOISE = re.compile(r"[\s\u3000]+")
# Words a title may carry before 信息公开 that name no body ("2023年政府信息公开工作年度报告").
_NO_BODY = ("政府", "本机关", "本单位", "本局", "我局", "我委", "我单位", "部门", "本部门")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六][)）])\s*(.+)$")


def year_of(title: str | None) -> int | None:
    if not title:
        return None
    title = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), title)
    years = [int(y) for y in _YEAR.findall(title)]
    if not years:
        years = [int(y) for y in re.findall(r"(?<!\d)(20[12]\d)(?!\d)", title)]
    return years[0] if years else None


def agency_of(title: str | None, source: str | None = None) -> str | None:
    """The body that reports: the title's words before the year, or the meta source."""
    if title:
        compact = _TITLE_NOISE.sub("", title)
        compact = re.sub(r"^[【\[].*?[】\]]", "", compact)
        head = _REPORT_WORDS.sub("", compact)
        head = re.sub(r"(关于|的)$", "", head)
        if head and head != compact and len(head) >= 2:
            return head
        # "2020年XX局政府信息公开工作年度报告"
        m = re.match(r"^(?:20\d{2})年度?(.+?)(?:政府信息公开|政务公开|信息公开)", compact)
        if m and len(m.group(1)) >= 2 and m.group(1) not in _NO_BODY:
            return m.group(1)
    if source:
        return _TITLE_NOISE.sub("", source) or None
    return None


def date_of(*candidates: str | None) -> str | None:
    for text in candidates:
        if not text:
            continue
        m = _DATE.search(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


MAX_TITLE_CHARS = 60


def title_from_text(text: str) -> str | None:
    """The first lines up to the one naming the report (titles are often split in two)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:4]
    for i, line in enumerate(lines):
        if ("报告" in line or "年报" in line) and len(line) <= MAX_TITLE_CHARS:  # a longer line is prose
            head = "".join(lines[max(0, i - 1): i]) if i and len(lines[i - 1]) < 40 else ""
            return head + line if head and "报告" not in head else line
    return None


def split_sections(text: str) -> dict[str, str]:
    """The six statutory sections by their headings; prose only, tables are read apart."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m and line.lstrip()[0] in "一二三四五六":
            heading = re.sub(r"\s", "", m.group(1))
            key = next((k for k, words in SECTIONS if heading.startswith(words[:6])), None)
            if key is not None:
                current = key
                sections.setdefault(key, [])
                continue
        if current is not None:
            sections[current].append(line.strip())
    return {k: "\n".join(v).strip() for k, v in sections.items() if "\n".join(v).strip()}
