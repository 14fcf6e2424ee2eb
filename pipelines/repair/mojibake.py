"""Mojibake already in decoded text: undo a wrong decode when that measurably helps.

Three damages are tried, each only where its traces are present:

- UTF-8 read as cp1252/latin-1 (``æ€¡åŒ–``): ``ftfy.fix_encoding`` (never ``fix_text``,
  whose width folding breaks Chinese punctuation);
- GBK or Big5 read as latin-1/cp1252 (``»³»¯ÊÐ``): re-encode, then decode from the bytes;
- UTF-8 read as GBK (``鏀垮簻``): re-encode as GB18030, decode as UTF-8; bytes the wrong
  decode dropped cannot come back, so the result is marked lossy.

A candidate replaces the text only when its score (common CJK characters, no replacement
characters, no Latin-1 debris) beats the original's by a margin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .decode import SAMPLE, beyond_ascii, cjk_in, cjk_only, common_at_least, decode, rare_count

_LATIN1_DEBRIS = re.compile(r"[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                            r"\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_HIGH_LATIN = re.compile(r"[\u00a1-\u00ff][\u0080-\u00ff]")  # a lead byte read as Latin-1, then any high byte
LOSSY_MARKERS = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")
MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class Repaired:
    text: str
    repair: str | None  # what was undone, None when nothing was
    lossy: bool


def score(text: str) -> float:
    """Higher is more like real Chinese text. Per character, in [-2, 1]."""
    sample = text[:SAMPLE]
    if not sample:
        return 0.0
    cjk = cjk_only(sample)
    rare = rare_count(cjk)
    common = len(cjk) - rare
    debris = len(_LATIN1_DEBRIS.findall(sample))
    bad = sum(sample.count(m) for m in LOSSY_MARKERS if m[0] in sample)
    return (common - 0.5 * rare - debris - 2 * bad) / len(sample)


def is_lossy(text: str) -> bool:
    # Python finds one character in a page of CJK text ~35 times faster than a string of three:
    # the marker is looked for only where its first character is (102 -> 4 us a 46 KB page)
    return any(marker[0] in text and marker in text for marker in LOSSY_MARKERS)


def _utf8_as_gbk(text: str) -> str | None:
    """Each run between replacement characters re-encoded on its own: what was lost stays lost."""
    parts = []
    for part in text.split("\ufffd"):
        try:
            parts.append(part.encode("gb18030").decode("utf-8", errors="replace"))
        except UnicodeEncodeError:
            return None
    return "\ufffd".join(parts)


def _legacy_as_latin(text: str) -> list[tuple[str, str]]:
    out = []
    for codec in ("latin-1", "cp1252"):
        try:
            raw = text.encode(codec)
        except UnicodeEncodeError:
            continue
        decoded = decode(raw)
        if decoded.encoding not in ("latin-1", "cp1252", "ascii"):
            out.append((decoded.text, f"{decoded.encoding} read as {codec}"))
    return out


def _utf8_as_latin(text: str) -> str | None:
    """Text that is UTF-8 read as cp1252 or latin-1 throughout: its bytes again, decoded; None
    when the text does not re-encode, or its bytes are not UTF-8 (then ftfy looks run by run)."""
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return None


def fix_mojibake(text: str) -> Repaired:
    """Cheap tests first: a page whose every byte re-encodes to valid UTF-8, or to a legacy
    encoding's text that beats the original, is repaired without ftfy's run-by-run search,
    which is kept for text damaged only in part."""
    if not text:
        return Repaired(text, None, False)
    candidates: list[tuple[str, str]] = []
    base: float | None = None
    sample = text[:SAMPLE]
    beyond = beyond_ascii(sample)  # two adjacent high characters stay adjacent without the ASCII ones
    if _HIGH_LATIN.search(beyond) and _HIGH_LATIN.search(sample):
        base = score(text)
        whole = _utf8_as_latin(text)
        if whole is not None and whole != text and score(whole) > base + MARGIN:
            return Repaired(whole, "utf-8 read as latin-1/cp1252", is_lossy(whole))
        candidates.extend(_legacy_as_latin(text))
        if not any(score(c[0]) > base + MARGIN for c in candidates):
            import ftfy  # ~0.1 s to import: loaded by the first text damaged only in part

            fixed = ftfy.fix_encoding(text)
            if fixed != text:
                candidates.insert(0, (fixed, "utf-8 read as latin-1/cp1252"))
    cjk = cjk_in(beyond)  # beyond ASCII already
    if len(cjk) >= 20 and not common_at_least(cjk, -(-len(cjk) // 2)):  # over half of it rare
        fixed = _utf8_as_gbk(text)
        if fixed:
            candidates.append((fixed, "utf-8 read as gbk"))
    if not candidates:
        return Repaired(text, None, is_lossy(text))
    best = max(candidates, key=lambda c: score(c[0]))
    if score(best[0]) > (score(text) if base is None else base) + MARGIN:
        return Repaired(best[0], best[1], is_lossy(best[0]))
    return Repaired(text, None, is_lossy(text))
