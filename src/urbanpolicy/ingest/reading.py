"""Reading files: bytes in, decoded text out, with the encoding that was used.

Government sites serve UTF-8, GB18030/GBK, Big5 and UTF-16; byte-order marks and
CRLF line ends are common, and scrapers leave UTF-16 without its byte-order mark,
UTF-32, stray bytes and control bytes behind.  The order of the checks:

1. a byte-order mark (UTF-32 first: its little-endian mark starts with UTF-16's);
2. UTF-32 without a mark (a zero byte in every fourth position);
3. UTF-16 without a mark: a strongly one-sided NUL pattern (ASCII-rich text), else
   both byte alignments are scored by how many characters are Chinese, punctuation
   or ASCII, line by line, so a stray byte costs one line's alignment, not the file;
4. strict UTF-8;
5. binary (NUL or control bytes above a share no text has);
6. Japanese or Korean legacy bytes, reported (``undecodable``), never decoded as Chinese;
7. GB18030 vs Big5 (see ``_decode_legacy``).

Control bytes (C0, except tab, line and form feed) are removed from any decoded text
and counted in ``controls`` so the loader reports them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# The encodings Chinese government documents come in, in the order we try them
# when the bytes alone do not decide.
CANDIDATE_ENCODINGS = ("utf_8", "gb18030", "big5", "utf_16", "utf_32")


@dataclass(frozen=True)
class DecodedFile:
    """The text of one file and how it was obtained.

    ``problem`` is a short kind ("empty", "binary", "undecodable") and ``detail`` says
    why; for "empty", "binary" and a foreign (Japanese, Korean) encoding ``text`` is
    empty, for "undecodable" it holds what could be read.  ``controls`` counts the
    control bytes removed.
    """

    text: str
    encoding: str
    problem: str | None = None
    detail: str = ""
    controls: int = 0


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_GOOD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\n\r\t"
                   "\u00a0-\u00ff\u2460-\u24ff\u25a0-\u25ff]")


def _good_share(text: str) -> float:
    """Share of characters a Chinese document is made of (Han, CJK and ASCII punctuation)."""
    return len(_GOOD.findall(text)) / len(text) if text else 0.0


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


def _looks_like_utf32(data: bytes) -> str | None:
    """Return "utf_32_le"/"utf_32_be" when every code unit has a zero high byte (the BMP)."""
    sample = data[: 4096 - 4096 % 4]
    if len(sample) < 8 or len(data) % 4:
        return None
    quarter = len(sample) // 4
    if sample[3::4].count(0) == quarter and sample[2::4].count(0) >= 0.9 * quarter:
        return "utf_32_le"
    if sample[0::4].count(0) == quarter and sample[1::4].count(0) >= 0.9 * quarter:
        return "utf_32_be"
    return None


def _decode_utf16(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode UTF-16 line by line, re-aligning a line that holds a stray byte; return (text, lines repaired).

    A line whose length is odd (or that decodes badly) lost its alignment at one byte:
    the split point that makes most characters good on both sides is found from
    prefix sums of the two alignments' scores, and that byte is dropped.
    """
    newline = b"\n\x00" if encoding == "utf_16_le" else b"\x00\n"
    pieces = []
    start = 0
    for m in re.finditer(re.escape(newline), data):
        pieces.append(data[start:m.start()])
        start = m.end()
    pieces.append(data[start:])
    decoded = [_utf16_line(piece, encoding) for piece in pieces]
    return "\n".join(text for text, _ in decoded), sum(n for _, n in decoded)


def _utf16_line(chunk: bytes, encoding: str) -> tuple[str, int]:
    whole = chunk.decode(encoding, errors="replace") if len(chunk) % 2 == 0 else None
    if whole is not None and "\ufffd" not in whole and _good_share(whole) >= 0.9:
        return whole, 0
    units = len(chunk) // 2
    a0 = [bool(_GOOD.match(chunk[2 * i:2 * i + 2].decode(encoding, errors="replace"))) for i in range(units)]
    a1 = [bool(_GOOD.match(chunk[2 * i + 1:2 * i + 3].decode(encoding, errors="replace")))
          for i in range((len(chunk) - 1) // 2)]
    best, best_score, left = 0, -1, 0
    right_total = sum(a1)
    right = right_total
    for k in range(len(a1) + 1):  # units 0..k-1 at alignment 0, then from byte 2k+1 at alignment 1
        score = left + right
        if score > best_score:
            best, best_score = k, score
        if k < len(a1):
            left += a0[k] if k < len(a0) else 0
            right -= a1[k]
    fixed = chunk[: 2 * best] + chunk[2 * best + 1:]
    return fixed.decode(encoding, errors="replace"), 1


def _foreign(data: bytes) -> str | None:
    """"Japanese (Shift_JIS)", "Japanese (EUC-JP)" or "Korean (EUC-KR)" when the bytes are that, else None.

    Japanese text is a fifth or more kana; Korean is Hangul syllables (EUC-KR lead
    bytes B0-C8) with a space every few syllables, which Chinese never has.
    """
    sample = data[:8192]
    for encoding, label in (("shift_jis", "Japanese (Shift_JIS)"), ("euc_jp", "Japanese (EUC-JP)")):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c > "\u3000"]
        kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
        if letters and kana >= 0.2 * len(letters):
            return label
    try:
        korean = sample.decode("euc_kr")
    except UnicodeDecodeError:
        return None
    hangul = sum(1 for c in korean if "\uac00" <= c <= "\ud7a3")
    wide = sum(1 for c in korean if c > "\u3000")
    spaces = korean.count(" ")
    if wide >= 8 and hangul >= 0.95 * wide and spaces * 6 >= hangul:
        return "Korean (EUC-KR)"
    return None


def _is_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (images, PDFs, archives).

    A few NUL or control bytes in text happen (a scraper's junk); more than 1% NULs or
    5% control bytes do not.
    """
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return sample.count(0) > 0.01 * len(sample) or controls > 0.05 * len(sample)


def decode_bytes(data: bytes) -> DecodedFile:
    """Decode a document's bytes; never raises.

    Returns a DecodedFile whose ``text`` has LF line ends and no control characters.

    >>> decode_bytes("城镇化".encode("gb18030")).text
    '城镇化'
    >>> decode_bytes("城镇化".encode("utf_16_le")).encoding
    'utf_16_le'
    >>> decoded = decode_bytes("城鎮化".encode("big5"))
    >>> decoded.text, decoded.encoding
    ('城鎮化', 'big5')
    """
    decoded = _decode(data)
    if not decoded.text:
        return decoded
    text, controls = _CONTROLS.subn("", decoded.text)
    return DecodedFile(_lf(text), decoded.encoding, decoded.problem, decoded.detail, controls + decoded.controls)


def _decode(data: bytes) -> DecodedFile:
    if not data.strip(b" \t\r\n\x0c\x00"):
        return DecodedFile("", "", "empty", "file is empty or whitespace only")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf_32"), (codecs.BOM_UTF32_BE, "utf_32"),
                     (codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"),
                     (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            try:
                return DecodedFile(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                if enc == "utf_16":
                    plain = "utf_16_le" if bom == codecs.BOM_UTF16_LE else "utf_16_be"
                    text, repaired = _decode_utf16(data[2:], plain)
                    return DecodedFile(text, enc, "undecodable",
                                       f"UTF-16 with {repaired} line(s) holding a stray byte, dropped")
                return DecodedFile(data.decode(enc, errors="replace"), enc, "undecodable",
                                   f"invalid {enc} bytes at {exc.start}; replaced")
    for guess in (_looks_like_utf32, _looks_like_utf16):  # BOM-less wide encodings, by their NUL pattern
        wide = guess(data)
        if wide:
            try:
                return DecodedFile(data.decode(wide), wide)
            except UnicodeDecodeError:
                pass
    try:
        return DecodedFile(data.decode("utf_8"), "utf_8")
    except UnicodeDecodeError:
        pass
    found = _utf16_without_mark(data)
    if found is not None:
        return found
    if _is_binary(data):
        return DecodedFile("", "", "binary", "file contains binary data (NUL or control bytes)")
    foreign = _foreign(data)
    if foreign:
        return DecodedFile("", "", "undecodable",
                           f"the bytes are {foreign}, not a Chinese encoding; not read as Chinese")
    return _decode_legacy(data)


def _utf16_without_mark(data: bytes) -> DecodedFile | None:
    """UTF-16 with no mark and little ASCII: the alignment whose characters read as Chinese."""
    sample = data[:4096]
    for enc in ("utf_16_le", "utf_16_be"):
        head = sample[: len(sample) - len(sample) % 2].decode(enc, errors="replace")
        if _good_share(head) < 0.6 or _ascii_pairs(head):
            continue
        if len(data) % 2 == 0:
            try:
                text = data.decode(enc)
                if _good_share(text[:4096]) >= 0.9:
                    return DecodedFile(text, enc)
            except UnicodeDecodeError:
                pass
        text, repaired = _decode_utf16(data, enc)
        if _good_share(text[:20_000]) >= 0.9:
            return DecodedFile(text, enc, "undecodable" if repaired else None,
                               f"UTF-16 with {repaired} line(s) holding a stray byte, dropped" if repaired else "")
    return None


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


def _ascii_pairs(text: str) -> bool:
    """True when most characters are two printable ASCII bytes read as one UTF-16 unit.

    ASCII read as UTF-16 lands in the Han block ("ab" -> U+6261), but both bytes of every
    such character are printable ASCII, which holds for about one real character in three.
    """
    wide = [ord(c) for c in text if ord(c) >= 0x2000]
    if not wide:
        return False
    pairs = sum(1 for u in wide if 0x20 <= u >> 8 <= 0x7E and 0x20 <= u & 0xFF <= 0x7E)
    return pairs > 0.7 * len(wide)


def _decode_legacy(data: bytes) -> DecodedFile:
    """GB18030 vs Big5: both decode many byte strings.

    When both decode strictly (typical of short files: a long file in one almost always
    holds a sequence the other rejects), the one whose characters are more often among its
    own most frequent ones wins; charset-normalizer, which judges by language statistics,
    decides the rest (it guesses wrong on a few characters: 城镇化 in GB18030 came out as
    Big5 傑淜趙).
    """
    data, controls = _CONTROL_BYTES.subn(b"", data)  # never part of a GB18030 or Big5 character
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
            return DecodedFile(strict[enc], enc, controls=controls)
    best = charset_normalizer.from_bytes(
        data, cp_isolation=["gb18030", "big5"], explain=False
    ).best()
    if best is not None:
        return DecodedFile(str(best), best.encoding, controls=controls)
    for enc in ("gb18030", "big5"):
        try:
            return DecodedFile(data.decode(enc), enc, controls=controls)
        except UnicodeDecodeError:
            continue
    # Keep whatever is readable; the replacement characters are reported as mojibake later.
    return DecodedFile(data.decode("gb18030", errors="replace"), "gb18030",
                       "undecodable", "bytes invalid in every candidate encoding; replaced", controls)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
