"""A crawl's plan cut into shares, one a crawl process (``crawler.forks``).

A plan is what ``xxgk crawl`` runs: (family, spider arguments) of each crawler. Its sources are
grouped by site (the registrable domain of their start URLs, ``site_domain``): sources that share
a site share a group, so a site's politeness (Scrapy's per-host slots, AutoThrottle's delays)
stays within one process, as in a single crawl. Sources of a family that needs a browser stay
together too: one Chromium, not one a process. Groups go to the share with the fewest start URLs
so far, the largest group first.

A group heavier than a share's fair part (all of a crawl's sources on one host: a city's
departments under its portal) is dealt out source by source across every share instead, when
``cut`` allows it; those shares are ``shared`` and each takes a part of the site's politeness
(``divide_politeness``), so that together they ask no more of it than one process would.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.middlewares.link_safety import site_domain
from crawler.preflight import BROWSER_FAMILIES

Plan = list[tuple[str, dict]]


def _units(plan: Plan) -> list[tuple[int, dict | None]]:
    """(index of its plan entry, the source) of each source; a whole entry is one unit (None)."""
    units: list[tuple[int, dict | None]] = []
    for index, (_, spargs) in enumerate(plan):
        if spargs.get("sources"):
            units.extend((index, entry) for entry in spargs["sources"])
        else:
            units.append((index, None))
    return units


def _urls(plan: Plan, unit: tuple[int, dict | None]) -> list[str]:
    index, entry = unit
    if entry is not None:
        return list(entry["start_urls"])
    spargs = plan[index][1]
    return list(spargs.get("start_urls") or ([spargs["start_url"]] if spargs.get("start_url") else []))


def _groups(plan: Plan, units: list[tuple[int, dict | None]]) -> list[list[int]]:
    """Units (indexes into ``units``) that must share a process: same site, or a browser family."""
    parent = list(range(len(units)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, unit in enumerate(units):
        family = plan[unit[0]][0]
        keys = [f"site:{site_domain(urlsplit(url).hostname or '')}" for url in _urls(plan, unit)]
        if family in BROWSER_FAMILIES or not keys:  # no start URL (a spider's own): kept whole
            keys.append(f"family:{family}")
        for key in keys:
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(units)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def split(plan: Plan, processes: int, cut: bool = False) -> list[tuple[Plan, bool]]:
    """The plan in at most ``processes`` shares, each with whether it shares a site with the
    others; the plan itself, whole, when it cannot be split (one site that may not be cut, one
    source, one process)."""
    units = _units(plan)
    weight = [max(1, len(_urls(plan, unit))) for unit in units]
    fair = sum(weight) / max(1, processes)
    groups, dealt = [], []
    for group in _groups(plan, units):
        if cut and len(group) > 1 and sum(weight[i] for i in group) > fair:  # a block a source, the browser's one
            browser = [i for i in group if plan[units[i][0]][0] in BROWSER_FAMILIES]
            dealt += [[i] for i in group if i not in browser] + ([browser] if browser else [])
        else:
            groups.append(group)
    count = min(processes, len(groups) + len(dealt))
    if count < 2:
        return [(plan, False)]
    loads = [0] * count
    taken: list[list[int]] = [[] for _ in loads]
    for block in sorted(dealt + groups, key=lambda b: (-sum(weight[i] for i in b), b[0])):
        share = loads.index(min(loads))
        taken[share].extend(block)
        loads[share] += sum(weight[i] for i in block)
    return [(_rebuild(plan, units, sorted(share)), bool(dealt)) for share in taken]


POLITENESS_PER_HOST = ("CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP")


def can_cut(settings, processes: int) -> bool:
    """A site may be cut across processes when each can keep at least one request to it in
    flight and the total stays what one process allows."""
    per_host = settings.getint("CONCURRENT_REQUESTS_PER_IP") or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    return per_host >= processes


def divide_politeness(settings, processes: int) -> None:
    """In a process holding part of a cut site: its share of the site's politeness (requests in
    flight, delay, AutoThrottle's first delay and target), for every host it crawls."""
    for name in POLITENESS_PER_HOST:
        value = settings.getint(name)
        if value:
            settings.set(name, max(1, value // processes), priority="cmdline")
    for name in ("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY"):
        settings.set(name, settings.getfloat(name) * processes, priority="cmdline")
    settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY",
                 settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY", 1.0) / processes, priority="cmdline")


def _rebuild(plan: Plan, units, chosen: list[int]) -> Plan:
    """The plan entries of these units, in the plan's order; a group's entry with its sources."""
    picked: dict[int, list[dict]] = {}
    for i in chosen:
        index, entry = units[i]
        picked.setdefault(index, [])
        if entry is not None:
            picked[index].append(entry)
    share: Plan = []
    for index in sorted(picked):
        family, spargs = plan[index]
        if picked[index]:
            spargs = {**spargs, "sources": picked[index]}
        share.append((family, spargs))
    return share
