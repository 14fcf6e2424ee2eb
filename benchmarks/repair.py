"""Repair throughput per stage, in MB/s of input, beside bare OpenCC and charset-normalizer.

    .venv/bin/python benchmarks/repair.py [--seconds 2]

Input: the real reports of fixture_portal/reports, concatenated (about 100 KB of Chinese).
"""

from __future__ import annotations

import argparse
import time
from importlib import resources

import charset_normalizer
import opencc

from fixture_portal.reports import SHARED
from pipelines.repair.cleanup import clean_text
from pipelines.repair.decode import decode
from pipelines.repair.mojibake import fix_mojibake
from pipelines.repair.pinyin import strip_annotations
from pipelines.repair.script import simplify_strings


def mb_per_s(function, argument, size: int, seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        function(argument)
        done += 1
    return done * size / (time.perf_counter() - start) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    folder = resources.files("fixture_portal") / "reports"
    text = "\n".join((folder / f"{stem}.txt").read_text(encoding="utf-8") for stem in SHARED) * 4
    traditional = opencc.OpenCC("s2t.json").convert(text)
    gbk = text.encode("gb18030")
    utf8 = text.encode("utf-8")
    converter = opencc.OpenCC("t2s.json")
    rows = [
        ("decode: GBK, no label", lambda b: decode(b), gbk),
        ("decode: UTF-8, labelled", lambda b: decode(b, "text/html; charset=utf-8"), utf8),
        ("bare charset-normalizer (GBK)", lambda b: charset_normalizer.from_bytes(b).best(), gbk),
        ("mojibake check (clean text)", fix_mojibake, text),
        ("pinyin annotations (traditional)", strip_annotations, traditional),
        ("t2s: traditional text", lambda t: simplify_strings([t]), traditional),
        ("t2s: simplified (detect only)", lambda t: simplify_strings([t]), text),
        ("bare OpenCC t2s", converter.convert, traditional),
        ("clean-up", clean_text, text),
    ]
    print(f"input: {len(utf8) / 1e3:.0f} KB UTF-8, {len(text)} characters\n")
    print(f"{'stage':<36}{'MB/s':>10}")
    for name, function, argument in rows:
        size = len(argument) if isinstance(argument, bytes) else len(argument.encode("utf-8"))
        print(f"{name:<36}{mb_per_s(function, argument, size, args.seconds):>10.1f}")


if __name__ == "__main__":
    main()
