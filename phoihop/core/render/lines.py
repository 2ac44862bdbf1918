"""The number-and-symbol line and the place-and-date line, written and checked as Decree 30 says.

Source: Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần II:
- mục 3 (số, ký hiệu): "Số" in thường, then a colon; numbers below 10 take a leading zero; a slash
  between number and symbol; the groups of the symbol joined by hyphens, without spaces.
- mục 4 (địa danh, thời gian): "<Địa danh>, ngày … tháng … năm …"; days below 10 and the months 1 and
  2 take a leading zero (ngày 05, tháng 01, tháng 02); other months are written without one.
"""

from __future__ import annotations

import datetime as dt
import re

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"

# "Số: 89/KH-THCSBTS" — the number may be blank before issuing ("Số:    /KH-THCSBTS").
NUMBER_LINE_RE = re.compile(
    r"^\s*S[ốô]\s*[:;.]?\s*(?P<number>\d*)\s*/\s*(?P<symbol>\S.*?)\s*$", re.I
)
# "Tiên Sơn, ngày 18 tháng 9 năm 2025".
PLACE_DATE_RE = re.compile(
    r"^\s*(?P<place>[^,\d]{2,60}?)\s*(?P<comma>,?)\s*ngày\s*(?P<day>\d{1,2}|\s*)\s*"
    r"tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})\s*$",
    re.I,
)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def format_day(day: int) -> str:
    """A day of the month as the date line writes it: a leading zero below 10."""
    return f"{day:02d}"


def format_month(month: int) -> str:
    """A month as the date line writes it: a leading zero for January and February only."""
    return f"{month:02d}" if month in (1, 2) else str(month)


def format_place_date(place: str | None, date: dt.date | str | None) -> str:
    """``"Tiên Sơn, ngày 05 tháng 01 năm 2026"``; blanks where the date is not known yet."""
    place = (place or "").strip() or "……"
    when = _as_date(date)
    if when is None:
        return f"{place}, ngày      tháng      năm 20…"
    return f"{place}, ngày {format_day(when.day)} tháng {format_month(when.month)} năm {when.year}"


def normalise_symbol(symbol: str) -> str:
    """``"KHLT – GDĐT - LĐLĐ"`` → ``"KHLT-GDĐT-LĐLĐ"``: hyphens, no spaces."""
    for dash in _DASHES:
        symbol = symbol.replace(dash, "-")
    return re.sub(r"\s*-\s*", "-", symbol.strip()).replace(" ", "")


def format_number(number: str | None) -> tuple[str, str]:
    """Split ``"6 /KH-THCSBTS"`` into ``("06", "KH-THCSBTS")`` (number blank when unknown)."""
    text = (number or "").strip()
    text = re.sub(r"^S[ốô]\s*[:;.]?\s*", "", text, flags=re.I)
    if "/" in text:
        num, symbol = text.split("/", 1)
    elif text.isdigit():
        num, symbol = text, ""
    else:
        num, symbol = "", text
    num = num.strip()
    if num.isdigit():
        # Two digits below 10, no leading zero from 10 on ("010" is written "10").
        num = f"{int(num):02d}"
    return num, normalise_symbol(symbol)


def format_number_line(number: str | None, *, doc_type_abbreviation: str = "") -> str:
    """``"Số: 89/KH-THCSBTS"``; a blank for the clerk when the document has no number yet."""
    num, symbol = format_number(number)
    if not symbol:
        symbol = doc_type_abbreviation
    if not num:
        return f"Số:        /{symbol}"
    return f"Số: {num}/{symbol}"


def number_line_problems(line: str) -> list[str]:
    """What in a written number line departs from the decree's form (codes, empty if none)."""
    problems: list[str] = []
    stripped = line.strip()
    match = NUMBER_LINE_RE.match(stripped)
    if not match:
        return ["unreadable"]
    if not re.match(r"^Số:", stripped):
        problems.append("label")  # "Số" then a colon, "Số" in lower case after the capital
    number = match["number"]
    if number and int(number) < 10 and not number.startswith("0"):
        problems.append("leading_zero")
    if number and number.startswith("0") and len(number) > 1 and int(number) >= 10:
        problems.append("extra_zero")
    # A draft leaves a blank before the slash for the number written at issuing: not a fault.
    if re.search(r"\s/|/\s", stripped) and not (number is None or number == ""):
        problems.append("space_around_slash")
    symbol = match["symbol"]
    if re.search(r"\s", symbol) or any(dash in symbol for dash in _DASHES):
        problems.append("symbol_spacing")
    return problems


def place_date_problems(line: str) -> list[str]:
    """What in a written place-and-date line departs from the decree's form (codes, empty if none)."""
    match = PLACE_DATE_RE.match(line)
    if not match:
        return ["unreadable"]
    problems: list[str] = []
    if not match["comma"]:
        problems.append("comma")
    day = match["day"].strip()
    if day:
        if int(day) < 10 and len(day) == 1:
            problems.append("day_leading_zero")
    month = match["month"]
    if int(month) in (1, 2) and len(month) == 1:
        problems.append("month_leading_zero")
    if int(month) >= 3 and month.startswith("0"):
        problems.append("month_extra_zero")
    place = match["place"].strip()
    if place[:1].islower():
        problems.append("place_capital")
    return problems


def expected_place_date(line: str) -> str | None:
    """The same place-and-date line rewritten in the decree's form, or ``None`` if unreadable."""
    match = PLACE_DATE_RE.match(line)
    if not match:
        return None
    place = match["place"].strip()
    place = place[:1].upper() + place[1:]
    day = match["day"].strip()
    month = int(match["month"])
    day_text = format_day(int(day)) if day else "     "
    return f"{place}, ngày {day_text} tháng {format_month(month)} năm {match['year']}"


def expected_number_line(line: str) -> str | None:
    """The same number line rewritten in the decree's form, or ``None`` if unreadable."""
    match = NUMBER_LINE_RE.match(line.strip())
    if not match:
        return None
    return format_number_line(f"{match['number']}/{match['symbol']}")
