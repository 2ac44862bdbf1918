"""Small text helpers shared by the importer's readers.

Vietnamese rules are matched on a *folded* form (no diacritics, lower case, đ → d) so that typos in
tone marks, missing diacritics and mixed case do not defeat them; the original text is kept for
output.
"""

from __future__ import annotations

import html
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"__|(?<!\w)\*+(?=\S)|(?<=\S)\*+(?!\w)|\*{2,}")
_MD_QUOTE = re.compile(r"^\s*>\s?")
# Tags left by a web page or a converter ("<b>KẾ HOẠCH</b>", "<span class='…'>(1)</span>"): a "<"
# directly followed by a tag name and closed on the same line, so "< 5%" and "<=" stay.
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,5});")
# The cell borders of a table copied as Markdown or plain text ("ỦY BAN NHÂN DÂN | CỘNG HÒA … |").
_TABLE_PIPE = re.compile(r"(?:^|(?<=\s))\|(?=\s|$)")
# The page counter a document-sharing site puts before each page: "(1)" alone on a line.
_PAGE_COUNTER = re.compile(r"^\(\d{1,3}\)$")


def nfc(text: str) -> str:
    """Compose combining marks (NFD input, Word's decomposed text) into single code points."""
    return unicodedata.normalize("NFC", text)


class _FoldTable(dict):
    """``str.translate`` table of ``fold``, filled one character at a time as characters are met
    (a document uses a few hundred distinct ones; computing each once makes ``fold`` a C loop)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[:1] or ch
            folded = base.lower() if len(base.lower()) == 1 else ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ASCII skeleton of ``text``: the form every keyword rule is written against.

    The result has the same length as the input (one character per character), so positions
    found in the folded text are positions in the original.
    """
    return text.translate(_FOLD)


def collapse(text: str) -> str:
    """One space between words, no leading or trailing space."""
    return _SPACES.sub(" ", text).strip()


def clean_line(line: str) -> tuple[str, bool]:
    """Strip Markdown and HTML remnants and odd spacing from one line.

    Returns the cleaned text and whether the line was marked as a Markdown heading (``#``), a hint
    that it is a section heading.
    """
    line = line.translate(_ZERO_WIDTH).replace("\t", " ")
    if "<" in line:
        line = _HTML_TAG.sub(" ", line)
    if "&" in line:
        line = _HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
    if "|" in line:
        line = _TABLE_PIPE.sub(" ", line)
    line = _MD_QUOTE.sub("", line)
    is_heading = bool(_MD_HEADING.match(line))
    if is_heading:
        line = _MD_HEADING.sub("", line)
    line = _MD_EMPHASIS.sub("", line)
    line = collapse(line)
    if _PAGE_COUNTER.match(line):
        return "", False
    return line, is_heading


def is_upper_text(text: str) -> bool:
    """True when the letters of ``text`` are (almost) all capitals: a heading or a title line."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 0.85 * len(letters)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
