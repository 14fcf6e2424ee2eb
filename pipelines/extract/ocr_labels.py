"""OCR'd label cells set right: a label read with a wrong character or two (不子公开, 茜止公开,
不学握) becomes the statutory label it is closest to.

The statutory labels are the codebook's (the words the forms print). A cell is only changed when
one label is clearly the closest (``difflib``'s ratio, on the label without its enumerator) and
close enough that a misread explains the difference; otherwise it stays as read and the mapper's
own matching decides. Values are never touched: only cells with Chinese words are looked at.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from pipelines import codebook

from .labels import normalise_label

MIN_RATIO = 0.7  # share of characters in common: a misread of two characters in seven
MARGIN = 0.08  # the closest label must beat the next by this much
_EXTRA = ("三、本年度办理结果", "（一）予以公开", "申请人情况", "法人或其他组织", "信息内容", "行政诉讼",
          "未经复议直接起诉", "复议后起诉", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENUMERATOR_DOT = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Normalised label -> the label as the forms print it."""
    pieces = list(_EXTRA)
    for table in (codebook.ACTIVE_ROWS, codebook.ACTIVE_COLUMNS, codebook.APPLICATION_ROWS,
                  codebook.APPLICANT_COLUMNS, codebook.REVIEW_ROWS, codebook.REVIEW_COLUMNS):
        for entry in table.values():
            for piece in re.split(r"\s+/\s+|\s+·\s+|\s+", entry[0]):
                pieces.append(piece)
    return {normalise_label(p): p for p in pieces if len(normalise_label(p)) >= 2}


@lru_cache(maxsize=8192)
def snap(text: str) -> str:
    """The statutory label an OCR'd label stands for, or the text as read."""
    text = _ENUMERATOR_DOT.sub(r"\1.", text)  # "3其他": OCR drops the enumerator's small dot
    if len(_CJK.findall(text)) < 3:
        return text
    read = normalise_label(text)
    known = vocabulary()
    if read in known or any(read in label for label in known if len(read) >= 4):
        return text  # read right, or part of a label split over cells
    scored = sorted(((difflib.SequenceMatcher(None, read, label).ratio(), label) for label in known), reverse=True)
    (best, label), second = scored[0], scored[1][0] if len(scored) > 1 else 0.0
    if best >= MIN_RATIO and best - second >= MARGIN:
        return known[label]
    return text
