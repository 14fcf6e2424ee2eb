"""The reports the fixture portal publishes, as docs/report.md dicts (the ground truth).

Three are the real reports of ``reports/`` (their expected values); the rest are seeded
variations: other agencies, years 2019-2024, both templates, consistent arithmetic.
"""

from __future__ import annotations

import json
import random
from importlib import resources

from pipelines import schema

SHARED = ("000_2edaf997620af2ce", "001_10716707aaeecff2", "003_f9ba7682c2e04dc8")

AGENCIES = (
    "宁远县人民政府办公室",
    "青州市自然资源和规划局",
    "临江市教育局",
    "东川区人民政府",
    "北塘街道办事处",
    "定南县财政局",
    "河西区卫生健康委员会",
    "南平镇人民政府",
)


def shared_report(stem: str) -> dict:
    path = resources.files("fixture_portal") / "reports" / f"{stem}.expected.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("title", f"{data['agency']}{data['year']}年政府信息公开工作年度报告")
    data["id"] = stem
    return data


def shared_text(stem: str) -> str:
    path = resources.files("fixture_portal") / "reports" / f"{stem}.txt"
    return path.read_text(encoding="utf-8")


def _small(rng: random.Random, blank_share: float) -> int | None:
    if rng.random() < blank_share:
        return None
    return rng.choice((0, 0, 0, 1, 2, 3, 5, 8, 13))


def synthetic_report(agency: str, year: int, template: str, seed: int, blank_share: float = 0.1) -> dict:
    """A report with plausible values whose identities all hold."""
    rng = random.Random(seed)
    tables = schema.empty_tables(template)
    active = tables["active_disclosure"]
    for cols in active.values():
        for col in cols:
            if col == "amount_yuan":
                cols[col] = rng.choice((0, 766202, 1022000000, 35600))
            elif col == "amount_10k_yuan":
                cols[col] = rng.choice((0, 4068.208, 12.5, 300))
            elif col == "change_this_year":
                cols[col] = rng.choice((0, 2, -3, 5))
            else:
                cols[col] = _small(rng, blank_share)
    apps = tables["applications"]
    handling = schema.HANDLING_ROWS[template]
    columns = schema.APPLICANT_COLUMNS[:-1]
    for col in columns:
        for row in handling:
            apps[row][col] = rng.choice((0, 0, 0, 0, 1, 2, 4)) if row != "granted" else rng.randint(0, 40)
        handled = sum(apps[row][col] for row in handling)
        apps["total_handled"][col] = handled
        apps["carried_forward"][col] = rng.choice((0, 0, 1, 2))
        carried_over = rng.randint(0, min(3, handled + apps["carried_forward"][col]))
        apps["carried_over"][col] = carried_over
        apps["new_received"][col] = handled + apps["carried_forward"][col] - carried_over
    for row in apps:
        apps[row]["total"] = sum(apps[row][c] for c in columns)
    for cols in tables["review_litigation"].values():
        for col in schema.REVIEW_COLUMNS[:-1]:
            cols[col] = rng.choice((0, 0, 1, 2))
        cols["total"] = sum(cols[c] for c in schema.REVIEW_COLUMNS[:-1])
    return {
        "id": f"syn-{seed}",
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "agency": agency,
        "year": year,
        "template": template,
        "tables": tables,
    }


def prose(report: dict) -> dict[str, str]:
    """Section prose for a rendered report (the tables are rendered apart)."""
    agency, year = report["agency"], report["year"]
    return {
        "overview": f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，持续深化政务公开工作。",
        "problems": f"{year}年{agency}政府信息公开工作还存在公开内容不够丰富、解读形式单一等问题。"
        "下一步将加强培训，提升公开质量。",
        "other_matters": "本机关未收取信息处理费。无其他需要报告的事项。",
    }
