"""Rows of the workbooks the project writes (roll-up, dashboard, the student list template).

Every exported string is written as text. openpyxl stores a string that begins with "=" as a
formula, so a school, party or activity named "=HYPERLINK(…)" became a live formula in the
office's roll-up (issue 13). Strings are therefore typed as text, and those that begin with a
character a spreadsheet reads as the start of a formula (=, +, -, @, tab, carriage return) also
carry Excel's quote prefix, so that editing the cell does not turn it into one either. Control
characters that the XML of a workbook cannot hold are dropped instead of failing the export.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet, value: str):
    """A cell of ``sheet`` holding ``value`` as text, never as a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def append_row(sheet, values) -> None:
    """``sheet.append(values)`` with every string written by ``text_cell``."""
    sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values])
