"""Raw bytes as ``documents.body`` keeps them: a zstandard frame where that saves space, the bytes
as fetched otherwise; ``documents.body_codec`` says which (``zstd``, or empty for bytes as fetched).

Report pages repeat one style on every cell: they keep in a fifth to a fourteenth of their size.
PDFs and images, mostly compressed already, are kept as they came unless compressing saves a tenth.
``sha256`` and ``size`` are those of the bytes as fetched, whatever the column holds.
"""

from __future__ import annotations

import threading

import zstandard

ZSTD = "zstd"
LEVEL = 3  # zstandard's default: ~40 µs a 50 KB page; higher levels save a few % for 3x the time
_KEEP = 0.9  # a frame is kept only when at most this share of the bytes' size
_local = threading.local()  # a compressor holds state: one a thread


class UnknownCodec(ValueError):
    """A body stored by a newer build, in a form this one cannot read."""


def pack(body: bytes | None) -> tuple[bytes | None, str | None]:
    """(what ``documents.body`` keeps, its ``body_codec``) for the bytes as fetched."""
    if not body:
        return None, None
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=LEVEL)
    frame = compressor.compress(body)
    if len(frame) <= len(body) * _KEEP:
        return frame, ZSTD
    return body, None


def unpack(stored: bytes | None, codec: str | None) -> bytes:
    """The bytes as fetched, from what ``documents.body`` keeps and its ``body_codec``."""
    if not stored:
        return b""
    if codec is None:
        return bytes(stored)
    if codec == ZSTD:
        return zstandard.ZstdDecompressor().decompress(bytes(stored))
    raise UnknownCodec(f"documents.body_codec {codec!r} is not one this build reads (zstd or none)")
