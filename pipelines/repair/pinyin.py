"""Pinyin annotations that script-conversion widgets insert after characters: 事務(wù)局.

An annotation is removed only when its syllable is a reading of the character before it
(pypinyin, tone-marked or plain), so legitimate brackets stay: （一）, (a), 咖啡(café).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ANNOTATION = re.compile(
    r"([\u3400-\u9fff\uf900-\ufaff])[(（]\s*([A-Za-z\u00c0-\u024f\u0300-\u036f]{1,8})\s*[)）]"
)
# A page this heavily annotated is a widget's mirror or a hijacked copy, not the original.
MIRROR_THRESHOLD = 20


def _plain(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("v", "u")


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """Every reading of ``char``, tone-marked and plain."""
    from pypinyin import Style, pinyin  # loaded by the first annotation seen, not at start-up

    marked = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    found = {r.lower() for group in marked for r in group}
    return frozenset(found | {_plain(r) for r in found})


def is_reading(char: str, syllable: str) -> bool:
    syllable = unicodedata.normalize("NFC", syllable.lower())
    known = readings(char)
    return syllable in known or _plain(syllable) in known


def may_hold_annotations(text: str) -> bool:
    """Whether anything in ``text`` is shaped like an annotation (its syllable not yet checked)."""
    return _ANNOTATION.search(text) is not None


def strip_annotations(text: str) -> tuple[str, int]:
    """(text without annotations, how many were removed)."""
    removed = 0

    def replace(match: re.Match) -> str:
        nonlocal removed
        if is_reading(match.group(1), match.group(2)):
            removed += 1
            return match.group(1)
        return match.group(0)

    return _ANNOTATION.sub(replace, text), removed
