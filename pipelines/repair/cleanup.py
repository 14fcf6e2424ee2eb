"""Clean-up that tables need: invisible characters and export artefacts out, punctuation kept."""

from __future__ import annotations

import re

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ARTEFACTS = re.compile(r"\[bookmark:[^\]\x1f]*\]")  # within one string of a document
_TRACES = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\xa0]|\[bookmark:")


def needs_cleaning(text: str) -> bool:
    """Whether ``clean_text`` would change anything in ``text``."""
    return _TRACES.search(text) is not None


def clean_text(text: str) -> str:
    if not text:
        return text
    text = _INVISIBLE.sub("", text)
    text = _ARTEFACTS.sub("", text)
    return text.replace("\xa0", " ")
