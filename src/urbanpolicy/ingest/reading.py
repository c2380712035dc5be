"""Reading files: bytes in, decoded text out, with the encoding that was used.

Government sites serve UTF-8, GB18030/GBK, Big5 and UTF-16; byte-order marks and
CRLF line ends are common.  Decoding is strict first (UTF-8 and BOM-marked
encodings are unambiguous); only when that fails do we ask charset-normalizer,
restricted to the encodings this genre actually uses, because an unrestricted
guess often picks a Cyrillic or Latin code page for short Chinese files.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

# The encodings Chinese government documents come in, in the order we try them
# when the bytes alone do not decide.
CANDIDATE_ENCODINGS = ("utf_8", "gb18030", "big5", "utf_16")


@dataclass(frozen=True)
class DecodedFile:
    """The text of one file and how it was obtained.

    ``problem`` is a short kind ("empty", "binary", "undecodable") when the file
    could not be turned into text; ``text`` is then empty.
    """

    text: str
    encoding: str
    problem: str | None = None
    detail: str = ""


def _looks_like_utf16(data: bytes) -> str | None:
    """Return "utf_16_le"/"utf_16_be" for BOM-less UTF-16 (NUL in every other byte of ASCII)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    # Chinese UTF-16 has few NULs, but its ASCII newlines/digits still give some; a
    # strongly one-sided NUL pattern never happens in GBK/UTF-8 text.
    if odd_nul > 0.2 * half and even_nul < 0.02 * half:
        return "utf_16_le"
    if even_nul > 0.2 * half and odd_nul < 0.02 * half:
        return "utf_16_be"
    return None


def _is_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (images, PDFs, archives)."""
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return sample.count(0) > 0 or controls > 0.05 * len(sample)


def decode_bytes(data: bytes) -> DecodedFile:
    """Decode a document's bytes; never raises.

    Returns a DecodedFile whose ``text`` has LF line ends.

    >>> decode_bytes("城镇化".encode("gb18030")).text
    '城镇化'
    >>> decoded = decode_bytes("城鎮化".encode("big5"))
    >>> decoded.text, decoded.encoding
    ('城鎮化', 'big5')
    """
    if not data.strip():
        return DecodedFile("", "", "empty", "file is empty or whitespace only")
    for bom, enc in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"),
                     (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            try:
                return DecodedFile(_lf(data.decode(enc)), enc)
            except UnicodeDecodeError:
                break
    utf16 = _looks_like_utf16(data)
    if utf16:
        try:
            return DecodedFile(_lf(data.decode(utf16)), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return DecodedFile(_lf(data.decode("utf_8")), "utf_8")
    except UnicodeDecodeError:
        pass
    if _is_binary(data):
        return DecodedFile("", "", "binary", "file contains binary data (NUL or control bytes)")
    return _decode_legacy(data)


# The frequency-ordered cores of the two code pages: GB2312 level 1 (the 3,755 most used
# simplified characters, lead bytes B0-D7) and Big5's "frequently used" block (5,401
# characters, lead bytes A4-C6).  Text in one encoding read as the other lands mostly outside.
_COMMON_LEAD = {"gb18030": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}


def _common_share(text: str, encoding: str) -> float:
    """Share of the Chinese characters of ``text`` in the frequent block of ``encoding``.

    >>> _common_share("城镇化", "gb18030"), round(_common_share("傑淜趙", "big5"), 2)
    (1.0, 0.67)
    """
    low, high = _COMMON_LEAD[encoding]
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not chars:
        return 0.0
    return sum(low <= c.encode(encoding)[0] <= high for c in chars) / len(chars)


def _decode_legacy(data: bytes) -> DecodedFile:
    """GB18030 vs Big5: both decode many byte strings.

    When both decode strictly (typical of short files: a long file in one almost always
    holds a sequence the other rejects), the one whose characters are more often among its
    own most frequent ones wins; charset-normalizer, which judges by language statistics,
    decides the rest (it guesses wrong on a few characters: 城镇化 in GB18030 came out as
    Big5 傑淜趙).
    """
    strict = {}
    for enc in ("gb18030", "big5"):
        try:
            strict[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if len(strict) == 2:
        shares = {enc: _common_share(text, enc) for enc, text in strict.items()}
        if shares["gb18030"] != shares["big5"]:
            enc = max(shares, key=shares.__getitem__)
            return DecodedFile(_lf(strict[enc]), enc)
    best = charset_normalizer.from_bytes(
        data, cp_isolation=["gb18030", "big5"], explain=False
    ).best()
    if best is not None:
        return DecodedFile(_lf(str(best)), best.encoding)
    for enc in ("gb18030", "big5"):
        try:
            return DecodedFile(_lf(data.decode(enc)), enc)
        except UnicodeDecodeError:
            continue
    # Keep whatever is readable; the replacement characters are reported as mojibake later.
    return DecodedFile(_lf(data.decode("gb18030", errors="replace")), "gb18030",
                       "undecodable", "bytes invalid in every candidate encoding; replaced")


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
