"""The data dictionary of a research export: every file's columns, their types
and what they hold. It is written into each delivery (``data_dictionary.csv``),
gives the Parquet files their schema and the CSV files their cell formats, so a
column has one type in both: ``string`` as text, ``int64`` as a whole number,
``double`` always with a decimal point (``12.0``), ``date`` as ``YYYY-MM-DD``;
an empty CSV cell is a missing value (null in Parquet). In English, the
language of the column names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

# file → [(column, type, description)]
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "participants": [
        ("pseudonym", "string", "The person's pseudonym: stable within this project, unlinkable to other projects."),
        ("age_band", "string", "Age at the first included enrolment, in bands (0-17, 18-29, …, 70-79, 80+)."),
        ("sex", "string", "Legal sex from the identity number: F or M."),
        ("region", "string", "The region (care provider) of the care unit; the unit itself is not given."),
    ],
    "enrolments": [
        ("pseudonym", "string", "The person (see participants)."),
        ("age_band", "string", "Age at the start of this enrolment, in bands."),
        ("sex", "string", "Legal sex: F or M."),
        ("region", "string", "The region of the care unit."),
        ("program", "string", "The program's title."),
        ("program_version", "int64", "The version of the program the person followed."),
        ("started_on", "date", "Start day, shifted by the person's date offset."),
        ("ended_on", "date", "End day (empty while running), shifted by the person's date offset."),
        ("status", "string", "active, maintenance, completed, discontinued, handed_over or offered."),
        ("modules_done", "int64", "Modules the person completed."),
        ("modules", "int64", "Modules in the program version."),
        ("messages_sent", "int64", "Messages the person (or someone acting for them) sent to the care team."),
        ("exercises_sent", "int64", "Exercises sent to the clinician."),
        ("diary_entries", "int64", "Diary entries and measurements registered."),
    ],
    "answers": [
        ("pseudonym", "string", "The person."),
        ("program", "string", "The program the questionnaire was answered in."),
        (
            "response",
            "int64",
            "A number for the questionnaire answered: 1, 2, 3 … in this delivery, in the order the people and their"
            " answers appear; the same questionnaire has the same number in answers and scores. Not comparable"
            " between deliveries.",
        ),
        ("instrument", "string", "The instrument's code (phq9, gad7, madrs-s, …)."),
        ("answered_on", "date", "The day it was answered, shifted by the person's date offset."),
        ("item", "string", "The question's link id in the instrument."),
        (
            "value",
            "string",
            "The answer as stored: an option's code (PHQ-9, GAD-7: 0-3), a number or a date; several chosen options"
            " separated by ';'. One row per answered question, so a questionnaire has as many rows here as it has"
            " answered questions and one row per score in scores. Free-text answers are never delivered.",
        ),
    ],
    "scores": [
        ("pseudonym", "string", "The person."),
        ("program", "string", "The program."),
        ("response", "int64", "The questionnaire answered (as in answers)."),
        ("instrument", "string", "The instrument's code."),
        ("answered_on", "date", "The day, shifted by the person's date offset."),
        ("score", "string", "The score's id in the instrument (total, subscales)."),
        ("value", "double", "The score."),
        ("band", "string", "The severity band's code, when the instrument has bands."),
    ],
}
TYPES = {"string": pa.string(), "int64": pa.int64(), "date": pa.date32(), "double": pa.float64()}


def columns(table: str) -> list[str]:
    return [name for name, _type, _text in TABLES[table]]


def schema(table: str) -> pa.Schema:
    return pa.schema([(name, TYPES[kind]) for name, kind, _text in TABLES[table]])


def cell(kind: str, value: Any) -> str | int:
    """A value as its column's type writes it in CSV (the Parquet schema's twin)."""
    if value is None or value == "":
        return ""
    if kind == "double":
        return repr(float(value))
    if kind == "int64":
        return int(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def typed(kind: str, value: Any) -> Any:
    """A value as its column's type holds it in Parquet."""
    if value is None or value == "":
        return None
    if kind == "double":
        return float(value)
    if kind == "int64":
        return int(value)
    if kind == "string":
        return cell(kind, value)
    return value


def rows() -> list[tuple[str, str, str, str]]:
    return [
        (f"{table}.csv / {table}.parquet", name, kind, text)
        for table, spec in TABLES.items()
        for name, kind, text in spec
    ]
