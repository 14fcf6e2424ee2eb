"""Portals to crawl, from sources.yaml: adding a portal of a known family is one entry.

    sources:
      - name: linjiang-zfxxgknb           # unique, recorded with every document
        agency: 临江市人民政府
        region: 湖南省/临江市
        family: trs_wcm                   # the spider (CMS family) that reads it
        start_urls: [http://www.example.gov.cn/zfxxgk/zfxxgknb/index.html]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_FAMILY = "portal"  # discovery, when an entry names no family


class SourcesError(ValueError):
    """sources.yaml is missing or malformed; the message says where."""


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    family: str = DEFAULT_FAMILY
    agency: str | None = None
    region: str | None = None
    settings: dict = field(default_factory=dict)


def load_sources(path: str | Path) -> list[Source]:
    path = Path(path)
    if not path.exists():
        raise SourcesError(f"{path}: no such sources file")
    try:  # libyaml's loader reads a national list of thousands of portals ten times faster
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except yaml.YAMLError as e:  # one line: where, and what the parser expected
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SourcesError(f"{path}: not valid YAML{where}: {what}") from e
    if not isinstance(data, dict):
        raise SourcesError(f"{path}: expected a mapping with 'sources'")
    entries = data.get("sources") or []
    if not isinstance(entries, list):
        raise SourcesError(f"{path}: 'sources' must be a list")
    sources, names = [], set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("start_urls"):
            raise SourcesError(f"{path}: entry {i} needs a name and start_urls")
        if entry["name"] in names:
            raise SourcesError(f"{path}: source {entry['name']!r} is listed twice")
        names.add(entry["name"])
        urls = entry["start_urls"]
        sources.append(Source(
            name=entry["name"], start_urls=tuple([urls] if isinstance(urls, str) else urls),
            family=entry.get("family") or DEFAULT_FAMILY, agency=entry.get("agency"),
            region=entry.get("region"), settings=dict(entry.get("settings") or {}),
        ))
    return sources
