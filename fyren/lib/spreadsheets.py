"""Every CSV and XLSX file Fyren writes goes through here, so that no cell can
run as a formula in the spreadsheet program that opens it.

Text that citizens and staff typed (a reason, a name, a diary entry, a row of an
imported file) reaches these files. A spreadsheet treats a cell that begins with
``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return
can hide such a start (OWASP, "CSV Injection"). Such text is written with a
leading apostrophe in CSV, and in XLSX as a text cell with the quote prefix
(the apostrophe Excel and LibreOffice show in the formula bar), so the reader
sees the text and the program runs nothing. Numbers stay numbers: ints,
floats and Decimals are written as they are, and text that is just a number
(``-3``, ``+46 …`` is not) is a number to every spreadsheet and runs nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_risky(text: str) -> bool:
    """True for text a spreadsheet could run as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """``value`` as it may stand in a CSV cell: risky text with a leading apostrophe."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


def restore_cell(text: str) -> str:
    """The text a person wrote, from a cell of a sheet Fyren gave them and they
    filled in: the apostrophe ``safe_cell`` added is taken off again."""
    if text.startswith("'") and is_risky(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose rows are made safe first; ``writerow`` returns what
    the file's ``write`` returned (a streamed response writes the line it gets)."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SafeWriter:
    return SafeWriter(file, **options)


def csv_text(rows: Iterable[Iterable[Any]], **options) -> str:
    """The rows as one CSV text."""
    out = io.StringIO()
    writer(out, **options).writerows(rows)
    return out.getvalue()


def sheet_append(sheet, row: Iterable[Any]) -> None:
    """Append ``row`` to an openpyxl worksheet: numbers as numbers (a Decimal as
    a float), text always as text — openpyxl itself would store text beginning
    with ``=`` as a formula — and risky text with the quote prefix."""
    values = [float(v) if isinstance(v, Decimal) else v for v in row]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if is_risky(value):
                cell.quotePrefix = True


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook with one worksheet per ``(title, rows)``, every row through
    ``sheet_append``: the one way Fyren makes an XLSX file."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(sheet_title(title))
        for row in rows:
            sheet_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", text).strip(" '") or "Sheet"
    return cleaned[:31].rstrip()
