"""Printed cell text -> value, per docs/report.md "Cell values".

``parse_cell`` never invents a number: a value is returned only when the digits are in the
text. The printed text is always kept beside it by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

BLANK, NUMBER, TEXT = "blank", "number", "text"

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．－＋，", "0123456789.-+,"
)
_SPACES = re.compile(r"[\s\u3000\xa0\u200b\u200c\u200d\ufeff]+")
_NOT_NUMBERS = {"/", "／", "-", "－", "—", "——", "–", "无", "不适用", "空", "×", "\\", "、"}
_NUMBER = re.compile(r"(?<![\d.])([+-]?\d+(?:,\d{3})*(?:\.\d+)?)")
_UNIT_FACTORS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "元": Decimal(1)}
_COLUMN_UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10_000)}
_DECREASE = ("减少", "减")
_INCREASE = ("增加", "新增", "增")


@dataclass(frozen=True, slots=True)
class CellValue:
    value: int | float | None
    kind: str  # blank | number | text
    note: str | None = None  # why the value differs from plain digits


def _as_number(number: Decimal) -> int | float:
    if number == number.to_integral_value():
        return int(number)
    return float(number)


@lru_cache(maxsize=65536)  # a report's cells repeat a few texts ("0", "", their labels) many times
def clean_cell_text(text: str | None) -> str:
    """Printed text with spaces of every width removed and full-width digits folded."""
    if not text:
        return ""
    return _SPACES.sub("", text.translate(_FULLWIDTH))


@lru_cache(maxsize=65536)
def parse_cell(text: str | None, unit: str | None = None) -> CellValue:
    """Parse one printed cell. ``unit`` is the column's unit (元 or 万元) when it has one."""
    compact = clean_cell_text(text)
    if not compact:
        return CellValue(None, BLANK)
    if compact in _NOT_NUMBERS or set(compact) <= set("/-—－／–"):
        return CellValue(None, TEXT, "not a number")
    numbers = _NUMBER.findall(compact)
    if not numbers:
        return CellValue(None, TEXT, "no digits")
    distinct = {n.replace(",", "") for n in numbers}
    if len(distinct) != 1:
        return CellValue(None, TEXT, "several numbers")
    try:
        number = Decimal(distinct.pop())
    except InvalidOperation:
        return CellValue(None, TEXT, "unreadable number")
    notes = []
    match = _NUMBER.search(compact)
    before, after = compact[: match.start()], compact[match.end() :]
    if number >= 0 and before.endswith(_DECREASE):
        number = -number
        notes.append("decrease")
    elif before.endswith(_INCREASE):
        notes.append("increase")
    printed_unit = next((u for u in ("亿元", "亿", "万元", "万", "元") if after.startswith(u)), None)
    if printed_unit:
        factor = _UNIT_FACTORS[printed_unit[0]]
        target = _COLUMN_UNIT_FACTOR.get(unit or "元", Decimal(1))
        if unit is not None or factor != 1:
            number = number * factor / target
        notes.append(f"unit {printed_unit}")
        after = after[len(printed_unit) :]
    if before.strip("+-") and not before.endswith(_DECREASE + _INCREASE) or after:
        notes.append("text around number")
    return CellValue(_as_number(number), NUMBER, "; ".join(notes) or None)
