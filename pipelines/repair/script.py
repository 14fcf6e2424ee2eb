"""Traditional -> simplified script with OpenCC, applied only where the text is traditional."""

from __future__ import annotations

import operator
import re
from functools import lru_cache

import opencc


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


SAMPLE = 20_000  # characters looked at to decide


_CJK = re.compile(r"[\u4e00-\u9fff]")


def traditional_share(text: str, config: str = "t2s") -> float:
    """Share of CJK characters that OpenCC would change (on a sample of the text). OpenCC's
    simplifying configurations change only Chinese characters, so the characters that differ
    are counted without looking at each."""
    text = text[:SAMPLE] if len(text) > SAMPLE else text
    converted = _converter(config).convert(text)
    if converted == text:
        return 0.0
    cjk = len(_CJK.findall(text))
    changed = sum(map(operator.ne, text, converted))
    return min(changed / cjk, 1.0) if cjk else 0.0


def to_simplified(text: str, config: str = "t2s", threshold: float = 0.02) -> tuple[str, bool]:
    """(text, converted): converted only when enough characters are traditional.

    Simplified Chinese has a few characters OpenCC maps anyway (e.g. 於 in names); the
    threshold keeps clean simplified text byte for byte.
    """
    if not text or traditional_share(text, config) < threshold:
        return text, False
    return _converter(config).convert(text), True


def simplify_strings(texts: list[str], joined: str | None = None, config: str = "t2s") -> tuple[list[str], bool]:
    """Convert a document's strings together, deciding from all of them at once (``joined``: the
    strings already joined, by any separator, when the caller has them)."""
    joined = "\n".join(texts) if joined is None else joined
    if not joined or traditional_share(joined, config) < 0.02:
        return texts, False
    convert = _converter(config).convert
    return [convert(t) if t else t for t in texts], True
