"""Administrative place, level and division code of a reporting body, from its name (and its portal).

The gazetteer (``pipelines.gazetteer``) reads the divisions a name begins with: "西宁市湟中区民族宗教
事务局" -> 青海省 · 西宁市 · 湟中区, level county, code 630106; "青州市自然资源和规划局" -> 山东省 ·
潍坊市 · 青州市 (a county-level city), level county. Same-named divisions are told apart by
the names before them and by the source's region; a name still ambiguous keeps no code and no
guessed province. Names the gazetteer does not hold (a township, a body named by an unlisted
place) are read by their unit suffixes, the province from the source's region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines import gazetteer

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)
_SHORT = {p: re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", p) for p in PROVINCES}
_CITY = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟|市))")
_COUNTY = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治县|自治旗|县|区|旗|市))")
_TOWN = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|苏木))")
_CENTRAL = re.compile(r"^(国务院|国家|中华人民共和国|中国)")
# Names that end in a unit suffix but are bodies, not places.
_NOT_PLACES = ("开发区", "新区管委会", "工业园区", "自治区人民政府")


@dataclass(frozen=True, slots=True)
class Place:
    level: str | None  # central | province | city | county | township
    province: str | None
    city: str | None
    county: str | None
    township: str | None
    division_code: str | None = None  # 6 digits (GB/T 2260), of the smallest division the gazetteer holds
    ambiguous: tuple[str, ...] = ()  # codes a name fits when the gazetteer cannot tell which


def _province_of(text: str) -> tuple[str | None, str]:
    for full in PROVINCES:
        if text.startswith(full):
            return full, text[len(full):]
    return None, text


def place_of(agency: str | None, region: str | None = None) -> Place:
    if not agency:
        return Place(None, None, None, None, None)
    name = re.sub(r"\s", "", agency)
    if _CENTRAL.match(name):
        return Place("central", None, None, None, None)
    try:
        found = gazetteer.resolve(name, region or "")
    except gazetteer.GazetteerMissing:
        found = None
    if found is not None and found.division is not None:
        rest = name[found.consumed:]
        town = m.group(1) if (m := _TOWN.match(rest)) else None
        province = found.province.name if found.province else None
        city = found.city.name if found.city else (province if province in _MUNICIPALITIES else None)
        county = found.county.name if found.county else None
        return Place("township" if town else found.division.level, province, city, county, town,
                     found.division.code[:6])
    ambiguous = tuple(d.code[:6] for d in found.candidates) if found is not None else ()
    place = _parsed(name, region)
    return Place(place.level, place.province, place.city, place.county, place.township, None, ambiguous)


_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def _parsed(name: str, region: str | None) -> Place:
    """The place a name's unit suffixes say, the province from the region when not in the name."""
    province, rest = _province_of(name)
    if province is None and region:
        province = next((p for p in PROVINCES if region.startswith((p, _SHORT[p]))), None)
    city = county = town = None
    level = "province" if province and rest != name else None
    if province in ("北京市", "天津市", "上海市", "重庆市"):
        city = province
    elif m := _CITY.match(rest):
        city, rest, level = m.group(1), rest[m.end():], "city"
    if m := _COUNTY.match(rest):
        if not any(word in rest[: m.end() + 4] for word in _NOT_PLACES):
            county, rest, level = m.group(1), rest[m.end():], "county"
    if m := _TOWN.match(rest):
        town, level = m.group(1), "township"
    return Place(level, province, city, county, town)
