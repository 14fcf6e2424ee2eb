"""Administrative place and level of a reporting body, from its name (and its portal).

"西宁市湟中区民族宗教事务局" -> city 西宁市, county 湟中区, level county. The province is
read from the name when it starts with one, else from the source's configured region;
no gazetteer is guessed from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
