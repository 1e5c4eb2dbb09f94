"""The national report as files: one CSV per table and one XLSX with a sheet per
table. A hidden (small) count is written as ``..``, as official statistics do."""

from __future__ import annotations

from fyren.lib import spreadsheets
from fyren.lib.suppression import HIDDEN

from .national import Table


def _value(cell):
    if cell.hidden:
        return HIDDEN
    if cell.value is None:
        return ""
    return cell.value


def table_rows(table: Table) -> list[list]:
    rows = [["region_code", "region", *[label for _key, label in table.columns]]]
    for row in table.rows:
        rows.append([row.code, row.name, *[_value(row.cells[key]) for key, _label in table.columns]])
    return rows


def table_csv(table: Table) -> str:
    return spreadsheets.csv_text([str(v) for v in row] for row in table_rows(table))


def workbook(tables: list[Table], *, title: str) -> bytes:
    return spreadsheets.xlsx_bytes(
        (f"{table.key} {table.title}", [[f"{table.key}. {table.title}"], [title], *table_rows(table)])
        for table in tables
    )
