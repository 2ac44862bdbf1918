"""Legacy Vietnamese encodings: TCVN3 (ABC) and VNI, to and from Unicode.

Before Unicode, Vietnamese offices typed with ".VnTime" (TCVN3, TCVN 5712:1993 VN3) and "VNI-Times"
fonts; many school files still do. Read as Latin-1 (or copied out of Word, which keeps the font's
code points) their text looks like "KÕ ho¹ch" (TCVN3) or "Keá hoaïch" (VNI). This module detects both
and converts them, and encodes Unicode into them so tests can make realistic legacy fixtures.

TCVN3 has codes for the lower-case letters only (plus Ă Â Ê Ô Ơ Ư Đ): capitals with tone marks were
drawn by a separate upper-case font (".VnTimeH") from the same codes. Decoding therefore restores
capitals from context: a word whose other letters are capitals is a capitalised word.
"""

from __future__ import annotations

import re
import unicodedata

# Tone order used by both tables: none, huyền (grave), sắc (acute), hỏi (hook), ngã (tilde), nặng (dot)
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]

# TCVN3 (VN3): for each base vowel, the bytes for [none, grave, acute, hook, tilde, dot].
_TCVN3_VOWELS = {
    "a": [None, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9],
    "ă": [0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6],
    "â": [0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB],
    "e": [None, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1],
    "ê": [0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6],
    "i": [None, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE],
    "o": [None, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4],
    "ô": [0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9],
    "ơ": [0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE],
    "u": [None, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4],
    "ư": [0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9],
    "y": [None, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE],
}
_TCVN3_EXTRA = {
    "đ": 0xAE,
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
}

# VNI (VNI-Windows): base ASCII letter followed by mark characters (Latin-1 range).
_VNI_SHAPE = {"ă": ("a", "ê"), "â": ("a", "â"), "ê": ("e", "â"), "ô": ("o", "â")}
_VNI_TONES_PLAIN = ["", "ø", "ù", "û", "õ", "ï"]  # a e o u y, ơ ư
_VNI_TONES_HAT = ["", "à", "á", "å", "ã", "ä"]  # â ê ô
_VNI_TONES_BREVE = ["", "è", "é", "ú", "ü", "ë"]  # ă
_VNI_I = ["i", "ì", "í", "æ", "ó", "ò"]
_VNI_Y_DOT = "î"


def _compose(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for base, codes in _TCVN3_VOWELS.items():
        for tone, code in enumerate(codes):
            char = _compose(base, tone)
            encode[char] = chr(code) if code is not None else base
    for char, code in _TCVN3_EXTRA.items():
        encode[char] = chr(code)
    decode = {v: k for k, v in encode.items() if len(v) == 1 and ord(v) >= 0x80}
    # upper-case accented letters have no code: they share the lower-case one
    for base in _TCVN3_VOWELS:
        for tone in range(6):
            lower = _compose(base, tone)
            upper = lower.upper()
            if upper not in encode and len(upper) == 1:
                encode[upper] = encode[lower] if ord(encode[lower][0]) >= 0x80 else upper
    return encode, decode


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for base in "aeiouyăâêôơư":
        for tone in range(6):
            char = _compose(base, tone)
            if base == "i":
                seq = _VNI_I[tone]
            elif base == "y" and tone == 5:
                seq = _VNI_Y_DOT
            elif base in ("ă",):
                seq = "a" + (_VNI_TONES_BREVE[tone] or "ê")
            elif base in ("â", "ê", "ô"):
                seq = _VNI_SHAPE[base][0] + (_VNI_TONES_HAT[tone] or "â")
            elif base == "ơ":
                seq = "ô" + _VNI_TONES_PLAIN[tone]
            elif base == "ư":
                seq = "ö" + _VNI_TONES_PLAIN[tone]
            else:
                seq = base + _VNI_TONES_PLAIN[tone]
            encode[char] = seq
            upper = char.upper()
            if len(upper) == 1:
                encode[upper] = seq.upper()
    encode["đ"] = "ñ"
    encode["Đ"] = "Ñ"
    decode = {v: k for k, v in encode.items() if v != k}
    return encode, decode


_TCVN3_ENCODE, _TCVN3_DECODE = _build_tcvn3()
_VNI_ENCODE, _VNI_DECODE = _build_vni()
_VNI_KEYS = sorted(_VNI_DECODE, key=len, reverse=True)
_VNI_RX = re.compile("|".join(re.escape(k) for k in _VNI_KEYS))


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes (capitals with tone marks become their lower-case code)."""
    text = unicodedata.normalize("NFC", text)
    out = "".join(_TCVN3_ENCODE.get(ch, ch) for ch in text)
    return out.encode("latin-1", errors="replace")


def encode_vni(text: str) -> bytes:
    """Unicode → VNI-Windows bytes."""
    text = unicodedata.normalize("NFC", text)
    out = "".join(_VNI_ENCODE.get(ch, ch) for ch in text)
    return out.encode("cp1252", errors="replace")


def decode_tcvn3(data: bytes | str) -> str:
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    out = "".join(_TCVN3_DECODE.get(ch, ch) for ch in text)
    return _restore_capitals(out)


def decode_vni(data: bytes | str) -> str:
    text = data.decode("cp1252", errors="replace") if isinstance(data, bytes) else data
    return _VNI_RX.sub(lambda m: _VNI_DECODE[m.group(0)], text)


_WORD = re.compile(r"\w+")


def _restore_capitals(text: str) -> str:
    """Upper-case the TCVN3 letters of words (and lines) written in capitals."""

    def fix_line(line: str) -> str:
        words = _WORD.findall(line)
        caps = [w for w in words if _is_caps_word(w)]
        words = [w for w in words if not w.isdigit()]
        mostly_caps = len(words) >= 2 and len(caps) >= 0.5 * len(words)

        def fix(m: re.Match[str]) -> str:
            w = m.group(0)
            if _is_caps_word(w) or (mostly_caps and _ambiguous_caps(w)):
                return w.upper()
            return w

        return _WORD.sub(fix, line)

    return "\n".join(fix_line(line) for line in text.split("\n"))


def _is_caps_word(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    if any(c.islower() for c in ascii_letters):
        return False
    uppers = [c for c in word if c.isupper()]
    if len(uppers) >= 2:
        return True
    return bool(uppers) and not word[0].isupper()


def _ambiguous_caps(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    return not any(c.islower() for c in ascii_letters) and word[:1].isupper()


# Characters that only a misread legacy text contains.
_TCVN3_ONLY = set("µ¸¶·¹¨»¾¼½©ª«¬®×Þß÷þ¡¢£¤¥¦§\u00ad")
_VNI_PAIR = re.compile(r"[aeouyAEOUY][øùûõïàáåãäèéúüëØÙÛÕÏÀÁÅÃÄÈÉÚÜË]|[ñÑöÖ]")
_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯ]")


def detect_legacy(text: str) -> str | None:
    """ "tcvn3", "vni" or None for text that is already Unicode Vietnamese (or not Vietnamese)."""
    sample = text[:20000]
    native = len(_VIETNAMESE.findall(sample))
    tcvn = sum(1 for ch in sample if ch in _TCVN3_ONLY)
    vni = len(_VNI_PAIR.findall(sample))
    if tcvn > 5 and tcvn > native and tcvn >= vni * 0.5:
        return "tcvn3"
    if vni > 5 and vni > native and vni > tcvn:
        return "vni"
    return None


def repair_text(text: str) -> tuple[str, str | None]:
    """Convert text that is really TCVN3 or VNI (e.g. copied out of a .VnTime Word file)."""
    from phoihop.core.i18n import _

    kind = detect_legacy(text)
    if kind == "tcvn3":
        return unicodedata.normalize("NFC", decode_tcvn3(text)), _(
            "Văn bản dùng bảng mã TCVN3 (ABC); đã chuyển sang Unicode, hãy kiểm tra chữ hoa."
        )
    if kind == "vni":
        return unicodedata.normalize("NFC", decode_vni(text)), _(
            "Văn bản dùng bảng mã VNI; đã chuyển sang Unicode."
        )
    return text, None


def decode_legacy_bytes(data: bytes) -> tuple[str, str]:
    """Decode 8-bit bytes that are not UTF-8: TCVN3, VNI or Windows-1258."""
    latin = data.decode("latin-1")
    kind = detect_legacy(latin)
    if kind == "tcvn3":
        return unicodedata.normalize("NFC", decode_tcvn3(latin)), "TCVN3"
    if kind == "vni":
        return unicodedata.normalize("NFC", decode_vni(data)), "VNI"
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "Windows-1258"
