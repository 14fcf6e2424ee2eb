"""Bytes -> text, with the encoding chosen and the reason recorded.

Order: byte-order mark; declared charsets (HTTP header, then <meta>) normalised and kept
only when a strict decode succeeds and the text looks like text; strict UTF-8;
charset-normalizer limited to the encodings Chinese portals use, with GB18030 and Big5
told apart by how common the decoded characters are.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Labels portals print -> the codec that decodes everything they mean.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode": "utf-8",
}
CANDIDATES = ("utf_8", "gb18030", "big5hkscs", "utf_16")
LEGACY = ("gb18030", "big5hkscs")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w-]+)", re.I)
# The 500 most frequent simplified and traditional characters carry most running text.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    "們個會來時說國過還後發經點從當實現開與對問題產動長門體東種麼無區應義學見關間邊車條話線數將這進"
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    reason: str


def normalise_charset(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in CHARSET_ALIASES:
        return CHARSET_ALIASES[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """(where, label) of every charset the response declares, header first."""
    found = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            found.append(("http-header", m.group(1)))
    m = _META_CHARSET.search(body[:4096])
    if m:
        found.append(("meta", m.group(1).decode("ascii", "replace")))
    return found


_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
# Everything but CJK and private-use characters, which looks_like_text looks at.
_UNTELLING = re.compile(r"[^\u4e00-\u9fff\ue000-\uf8ff]+")
# A character class of the rest: one C scan counts them, half the time of str.translate's
# per-character lookups in a table of the common ones.
_RARE = re.compile("[^" + "".join(sorted(_COMMON)) + "]")
SAMPLE = 20_000  # characters judged; enough to tell text from mojibake


_ASCII = bytes(range(128))
_NOT_CONTROL = bytes(b for b in range(256) if not (b <= 8 or b == 0x0B or 0x0E <= b <= 0x1F or b == 0x7F))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _beyond_ascii_of(raw: bytes) -> str:
    """The characters of UTF-8 bytes outside ASCII, in order: the ASCII bytes dropped in one C
    pass leave whole characters, cheaper than any regex over the text (a page is mostly markup)."""
    return raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")


def beyond_ascii(text: str) -> str:
    """The characters of ``text`` outside ASCII, in order."""
    return _beyond_ascii_of(_utf8(text))


def cjk_in(text: str) -> str:
    """The CJK characters of ``text``, as it is (short, or already ``beyond_ascii``)."""
    return _NOT_CJK.sub("", text)


def cjk_only(text: str) -> str:
    return cjk_in(beyond_ascii(text) if len(text) > 1000 else text)


def rare_count(cjk: str) -> int:
    """How many of these CJK characters are not among the most common ones."""
    return len(_RARE.findall(cjk))


def common_at_least(cjk: str, need: int) -> bool:
    """Whether ``cjk`` holds at least ``need`` of the most common characters: counted on a prefix
    first, as running text settles it within its first few hundred characters."""
    head = cjk[:2 * need]
    if len(head) - rare_count(head) >= need:
        return True
    return len(head) < len(cjk) and len(cjk) - rare_count(cjk) >= need


def common_share(text: str) -> float:
    """Share of CJK characters that are among the most common ones (text vs mojibake)."""
    cjk = cjk_only(text[:SAMPLE])
    if not cjk:
        return 1.0
    return 1 - rare_count(cjk) / len(cjk)


def looks_like_text(text: str) -> bool:
    """No replacement, private-use or (beyond one in a thousand) control characters, and CJK, if
    any, at least a quarter of it common characters: judged on the first ``SAMPLE`` characters.
    The controls are counted on the sample's UTF-8 bytes, the rest looked for among its
    characters beyond ASCII only."""
    sample = text[:SAMPLE]
    if "\ufffd" in sample:
        return False
    raw = _utf8(sample)
    if len(raw.translate(None, _NOT_CONTROL)) > len(sample) / 1000 + 1:
        return False
    cjk = _UNTELLING.sub("", _beyond_ascii_of(raw))  # CJK and private-use characters only
    if _PRIVATE_USE.search(cjk):
        return False
    return len(cjk) < 20 or common_at_least(cjk, -(-len(cjk) // 4))  # a share of 0.25 at least


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``body``; never raises, never silently drops bytes without saying so."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            text = _strict(body, encoding)
            if text is not None:
                return Decoded(text, encoding.replace("-sig", ""), "byte-order mark")
    rejected = []
    for where, label in declared_charsets(body, content_type):
        encoding = normalise_charset(label)
        if encoding is None:
            rejected.append(f"{where} {label!r} unknown")
            continue
        text = _strict(body, encoding)
        if text is not None and looks_like_text(text):
            return Decoded(text, encoding, f"declared in {where} ({label})")
        rejected.append(f"{where} {label!r} does not decode cleanly")
    note = f" ({'; '.join(rejected)})" if rejected else ""
    text = _strict(body, "utf-8")
    if text is not None and looks_like_text(text):
        return Decoded(text, "utf-8", "strict utf-8" + note)
    # GB18030 decodes almost any bytes, Big5 among them: decide by common characters.
    legacy = [(common_share(t), enc, t) for enc in LEGACY if (t := _strict(body, enc)) is not None
              and looks_like_text(t)]
    if legacy:
        share, encoding, text = max(legacy)
        return Decoded(text, encoding, f"strict {encoding}, common share {share:.2f}" + note)
    best: tuple[float, str, str] | None = None
    for match in from_bytes(body, cp_isolation=list(CANDIDATES)):
        text = str(match)
        if not looks_like_text(text):
            continue
        score = common_share(text) - match.chaos
        if best is None or score > best[0]:
            best = (score, match.encoding, text)
    if best is not None:
        encoding = normalise_charset(best[1]) or best[1]
        return Decoded(best[2], encoding, f"detected ({best[1]}, score {best[0]:.2f})" + note)
    for encoding in ("gb18030", "utf-8"):
        text = body.decode(encoding, errors="replace")
        if text.count("\ufffd") < len(text) / 100 + 1:
            return Decoded(text, encoding, "lossy: replacement characters" + note)
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "lossy: undecodable" + note)
