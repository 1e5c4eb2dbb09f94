"""Somali date and number formats (Django has none). From the Unicode CLDR's
`so` locale (read through Babel): day before month, "." for decimals and ","
between thousands; the year in four digits and the 24-hour clock, as everywhere
in Fyren, so that a time is never read twelve hours wrong."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Sweden
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
