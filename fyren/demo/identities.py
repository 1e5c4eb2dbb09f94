"""Identities for the demo: organisation numbers, HSA-ids and personnummer with
valid check digits, and a fixed TOTP key per demo user (documented in the README)."""

import datetime as dt
from binascii import hexlify

from fyren.lib.luhn import luhn_check_digit

DEMO_PASSWORD = "fyren-demo-2026"  # noqa: S105 - documented demo credential


def org_number(first_nine: str) -> str:
    digits = first_nine + str(luhn_check_digit(first_nine))
    return f"{digits[:6]}-{digits[6:]}"


def hsa_id(org: str, suffix: str) -> str:
    return f"SE{org.replace('-', '')}-{suffix}"


def personnummer(birth: dt.date, serial: str, coordination: bool = False) -> str:
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial}"
    return f"{birth.year:04d}{nine[2:]}{luhn_check_digit(nine)}"


def demo_totp_key(username: str) -> str:
    """A fixed, documented TOTP key per demo user (20 bytes, hex)."""
    return hexlify(f"fyren-demo-{username}".ljust(20, "*")[:20].encode()).decode()
