"""Repairs of the text itself, before it is cut into paragraphs: what copying a plan out of a web
page, a PDF or an old Word file does to it.

* **Lost line breaks.** A page whose lines were glued back together without a space
  ("…Độc lập – Tự do – Hạnh phúcSố:…../ KHPH", "…như sau:I. MỤC TIÊU:- Củng cố…") gets its breaks
  back where a word runs into the next line's first word or a numbering marker.
* **Glued words.** "tiếnhành", "GIỮANGÀNH": a token that is not a Vietnamese syllable but is, in
  exactly one way, two or three of them is split.
* **Broken fonts.** A letter the font could not map is dropped or replaced by a look-alike:
  "Trờng" (ư lost), "CƠNG" (ô drawn as ơ), "cịn" (ò as ị), "Đợc lập" (ộ as ợ), "VỀØ" (a VNI tone
  byte left over). A token is repaired when it is not a syllable and exactly one repair makes it
  one; a repair that would turn a real syllable into another ("đồn" → "đoàn") is made only when the
  same damage is seen elsewhere in the document. What stays doubtful is listed in ``warnings``.

Syllables come from the Vietnamese Hunspell list (``hunspell-vi``), which the spelling lint reads
too; without it these repairs are skipped. Vietnamese is written one syllable per word, which is
what makes a plain syllable list enough.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

from phoihop.core.i18n import _

from .tables import is_row

_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
_VNI_BYTES = "øùûõïàáåãäèéúüëìíæóòîØÙÛÕÏÀÁÅÃÄÈÉÚÜËÌÍÆÓÒÎ"
_TOKEN = re.compile(rf"[{_LOWER}{_UPPER}{_VNI_BYTES}]+")
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")

# Look-alikes a broken font substitutes, and what each stood for.
_CONFUSIONS = {
    "ơ": ("ô",),
    "ợ": ("ộ",),
    "ờ": ("ồ",),
    "ớ": ("ố",),
    "ở": ("ổ",),
    "ị": ("ò",),
    "ồ": ("oà",),
    "ố": ("oá",),
}
# Bytes of the VNI font that stay behind after a partial conversion ("VỀØ", "ĐỘÏC").
_VNI_LEFTOVERS = set("øùûõïàáåãäèéúüëìíæóòîØÙÛÕÏÀÁÅÃÄÈÉÚÜËÌÍÆÓÒÎ")
# The letter lost when a TCVN3 "ư" (byte 0xAD, a soft hyphen elsewhere) is copied out.
_LOST = "ư"

# Places where a lost line break shows: a word running into a capitalised word ("phúcSố"), a run
# of capitals into a capitalised word ("HỢPCông"), a year into a capital ("2015KẾ"), and
# punctuation running into a list or heading marker (":- ", ":I. ", ":1. ").
_GLUE_BREAKS = re.compile(
    rf"(?<=[{_LOWER}])(?=[{_UPPER}][{_LOWER}])"
    rf"|(?<=[{_UPPER}]{{2}})(?=[{_UPPER}][{_LOWER}]{{2}})"
    rf"|(?<=\d{{4}})(?=[{_UPPER}])"
    rf"|(?<=[{_LOWER}\d][.;])(?=[{_UPPER}][{_LOWER}])"
    rf"|(?<=[.:;)])\s*(?=[-–•+]\s*[{_UPPER}])"
    rf"|(?<=[.:;)])\s*(?=(?:[IVX]{{1,4}}|\d{{1,2}})(?:\.|/\s)\s*[{_UPPER}])"
)
# "năm2012": a year run into the word before it
_GLUED_YEAR = re.compile(rf"(?<=[{_LOWER}]{{2}})(?=(?:19|20)\d{{2}}\b)")
_LONG_LINE = 400
_MIN_DAMAGE = 3


@cache
def syllables() -> frozenset[str]:
    """Every Vietnamese syllable the installed Hunspell list knows, lower case, in both tone
    placements ("hoà" and "hòa"); empty when ``hunspell-vi`` is not installed."""
    from phoihop.core.lint import HUNSPELL_DIRS, tone_alternative  # noqa: PLC0415 - heavy module

    for folder in HUNSPELL_DIRS:
        path = Path(folder) / "vi_VN.dic"
        if not path.exists():
            continue
        words: set[str] = set()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
            word = unicodedata.normalize("NFC", line.split("/", 1)[0].strip().lower())
            if not word or " " in word:
                continue
            words.add(word)
            other = tone_alternative(word)
            if other:
                words.add(other)
        return frozenset(words)
    return frozenset()


def is_syllable(word: str) -> bool:
    return word.lower() in syllables()


def _match_case(model: str, text: str) -> str:
    return text.upper() if model.isupper() and len(model) > 1 else text


def split_glued(token: str) -> list[str] | None:
    """The syllables a glued token is made of ("tiếnhành" → ["tiến", "hành"]), when there is
    exactly one way to cut it into two or three of them; else None."""
    if len(token) < 4 or token.isascii() or is_syllable(token) or not syllables():
        return None
    # the fewest pieces win: two syllables if some cut gives two, else three
    ways = [
        [token[:i], token[i:]]
        for i in range(2, len(token) - 1)
        if is_syllable(token[:i]) and is_syllable(token[i:])
    ]
    if not ways:
        ways = [
            [token[:i], token[i:j], token[j:]]
            for i in range(2, len(token) - 3)
            for j in range(i + 2, len(token) - 1)
            if is_syllable(token[:i]) and is_syllable(token[i:j]) and is_syllable(token[j:])
        ]
    if len(ways) != 1:
        return None
    parts = ways[0]
    # "THÀNHCỘNG" or "tiếnhành" are glued; "Nguyễnvăn"-like case changes inside a part are not
    if any(p[1:] != p[1:].lower() and p[1:] != p[1:].upper() for p in parts):
        return None
    return parts


def fold_vowels(text: str) -> str:
    """Base letters of ``text`` keeping the vowel shapes (ă â ê ô ơ ư) but no tone marks."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch not in "\u0306\u0302\u031b":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _candidates(token: str) -> list[tuple[str, str]]:
    """(repaired token, kind of damage) for every single repair of ``token``."""
    out = []
    lower = token.lower()
    for i, ch in enumerate(lower):
        for replacement in _CONFUSIONS.get(ch, ()):
            fixed = token[:i] + _match_case(token, replacement) + token[i + 1 :]
            if token[i].isupper() and not token.isupper():
                fixed = token[:i] + replacement[:1].upper() + replacement[1:] + token[i + 1 :]
            out.append((fixed, f"{ch}>{replacement}"))
        if token[i] in _VNI_LEFTOVERS and i > 0:
            out.append((token[:i] + token[i + 1 :], "vni"))
    if any(c in "ơờớởỡợ" for c in lower):
        for i in range(1, len(token) + 1):
            out.append((token[:i] + _match_case(token, _LOST) + token[i:], "lost-u"))
    return out


def _readings(token: str) -> dict[str, str]:
    """Every syllable a single repair of ``token`` gives, with the kind of damage undone."""
    found: dict[str, str] = {}
    for fixed, kind in _candidates(token):
        if is_syllable(fixed):
            found.setdefault(fixed, kind)
    return found


def repair_shapes(text: str) -> tuple[str, list[str]]:
    """The text with lost line breaks, glued words and font damage repaired, and the warnings
    that say what was changed or could not be."""
    if not syllables():
        return text, []
    warnings: list[str] = []
    text, rebroken = _restore_line_breaks(text)
    if rebroken:
        warnings.append(
            _(
                "Văn bản bị mất xuống dòng (các dòng dính liền nhau); đã tách lại %(count)d chỗ, hãy kiểm tra."
            )
            % {"count": rebroken}
        )
    tokens = set(_TOKEN.findall(text))
    repairs: dict[str, str] = {}
    ambiguous: dict[str, dict[str, str]] = {}
    glued: dict[str, str] = {}
    coverage: Counter[str] = Counter()
    plain_u = _keeps_plain_u(tokens)
    for token in tokens:
        if is_syllable(token) or _is_abbreviation(token):
            continue
        if not any(c in _VOWELS for c in fold_vowels(token)):
            continue
        readings = _readings(token)
        if plain_u:
            readings = {f: k for f, k in readings.items() if k != "lost-u"}
        coverage.update(set(readings.values()))
        if len(readings) == 1:
            repairs[token] = next(iter(readings))
        elif readings:
            ambiguous[token] = readings
        else:
            parts = split_glued(token)
            if parts:
                glued[token] = " ".join(parts)
    # The damage that explains most tokens is the document's (a font loses one letter
    # everywhere): it settles the tokens two repairs would fit, and a lost "ư" is believed only
    # when it is that damage.
    ranked = coverage.most_common(2)
    dominant = None
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        dominant = ranked[0][0]
    if dominant != "lost-u":
        repairs = {t: f for t, f in repairs.items() if len(f) == len(t) or _LOST not in f.lower()}
    doubtful = []
    for token, readings in ambiguous.items():
        chosen = [fixed for fixed, kind in readings.items() if kind == dominant]
        if len(chosen) == 1:
            repairs[token] = chosen[0]
        else:
            doubtful.append(token)
    if len(repairs) >= _MIN_DAMAGE:
        for token in tokens:
            if token in repairs or not is_syllable(token):
                continue
            for fixed, kind in _candidates(token):
                if kind != "lost-u" and is_syllable(fixed) and _is_common(fixed):
                    repairs[token] = fixed
                    break
    mapping = {**glued, **repairs}
    if mapping:
        text = _TOKEN.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
        examples = ", ".join(f"{a} → {b}" for a, b in sorted(mapping.items())[:6])
        warnings.append(
            _("Đã sửa %(count)d từ bị lỗi phông chữ hoặc dính liền (ví dụ: %(examples)s).")
            % {"count": len(mapping), "examples": examples}
        )
    if doubtful:
        warnings.append(
            _("Có từ có thể bị lỗi phông chữ nhưng không chắc cách sửa: %(words)s.")
            % {"words": ", ".join(sorted(doubtful)[:10])}
        )
    return text, warnings


def _keeps_plain_u(tokens: set[str]) -> bool:
    """Whether the text still has words with a toneless "ư" ("như", "trường", "được"): then its
    font did not lose that letter (TCVN3 loses only the toneless one, byte 0xAD)."""
    return any("ư" in t and is_syllable(t) for t in tokens)


# Words common in coordination plans: only these are believed when the damage would turn one
# real syllable into another ("Đồn" → "Đoàn", "tồn" → "toàn").
_COMMON = frozenset(
    "đoàn toàn hoàn công không tôi còn cộng đồng độc lập phòng lòng chương trường như nước".split()
)


def _is_common(word: str) -> bool:
    return word.lower() in _COMMON


def _is_abbreviation(token: str) -> bool:
    """BCH, CĐCS, THCS, PGDĐT: capitals without tone marks and with at most one vowel letter, or
    mixed like "CĐcs"."""
    if any(c in _VNI_LEFTOVERS for c in token[1:]):
        return False
    if token.isupper():
        toned = any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", token))
        vowels = sum(1 for c in fold_vowels(token) if c in _VOWELS)
        return not toned and vowels <= 1 and len(token) <= 6
    return any(c.isupper() for c in token[1:]) and not token[1:].isupper()


def _restore_line_breaks(text: str) -> tuple[str, int]:
    """Put back the line breaks of lines glued without a space, in lines too long to be one
    paragraph of a typed document."""
    count = 0
    out = []
    for line in text.split("\n"):
        if len(line) < _LONG_LINE or is_row(line.strip()):
            out.append(line)
            continue
        points = len(_GLUE_BREAKS.findall(line))
        if points < 5:
            out.append(line)
            continue
        pieces = []
        for word in re.split(r"(\s+)", line):
            pieces.append(_break_caps_run(word))
        line = "".join(pieces)
        new, n = _GLUE_BREAKS.subn("\n", line)
        new = _GLUED_YEAR.sub(" ", new)
        count += n + line.count("\n")
        out.append(new)
    return "\n".join(out), count


def _break_caps_run(word: str) -> str:
    """ "THÀNHCỘNG" → "THÀNH\\nCỘNG": two capitalised words run together across a column break."""
    if not word.isupper() or len(word) < 6:
        return word
    parts = split_glued(word)
    return "\n".join(parts) if parts else word
