"""Sorting names the way Vietnamese readers expect.

Two rules that plain string order breaks: numbers inside names are compared as numbers ("Trường
THCS số 2" before "Trường THCS số 17"), and letters follow the Vietnamese alphabet, in which ă and
â come after a, đ after d, ê after e, ô and ơ after o, ư after u, and a tone mark matters only
between words that are otherwise the same (TCVN 5712 lists the letters; the tone order used is
ngang, huyền, hỏi, ngã, sắc, nặng, the order of Vietnamese dictionaries).
"""

from __future__ import annotations

import re
import unicodedata

# Base letters with their modifiers (breve, circumflex, horn, stroke), in alphabetical order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_PARTS = re.compile(r"(\d+)")


def _letters(word: str) -> tuple[tuple, tuple]:
    """(letter ranks, tone marks) of a piece of text without digits."""
    ranks, tones = [], []
    for char in word.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[:1], decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _MODIFIERS:
                letter = unicodedata.normalize("NFC", letter + mark)
            elif mark in _TONES:
                tone = _TONES[mark]
        if letter == "đ" or char == "đ":
            letter = "đ"
        ranks.append(_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(tone)
    return tuple(ranks), tuple(tones)


def natural_key(text: str | None) -> tuple:
    """A sort key for ``text``: numbers by value, letters in Vietnamese order, tones last."""
    parts = _PARTS.split(unicodedata.normalize("NFC", text or "").strip())
    primary, tones = [], []
    for index, part in enumerate(parts):
        if index % 2:
            primary.append((1, int(part)))
        elif part:
            ranks, marks = _letters(part)
            primary.append((0, ranks))
            tones.append(marks)
    return (tuple(primary), tuple(tones))
