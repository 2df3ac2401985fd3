"""Dates and numbers in each section's conventions, through Babel (never setlocale)."""

from __future__ import annotations

import datetime

from babel.dates import format_date
from babel.numbers import format_decimal


def localized_date(value: datetime.date, locale: str, fmt: str = "long") -> str:
    """Format a date for ``locale`` ("long", "full", "medium" or a CLDR pattern).

    >>> localized_date(datetime.date(2016, 11, 29), "ar_MA")
    '29 نونبر 2016'
    >>> localized_date(datetime.date(2016, 11, 29), "fr")
    '29 novembre 2016'
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    return format_date(value, format=fmt, locale=locale)


def localized_number(value: float, locale: str) -> str:
    """Format a number with the locale's digits and grouping.

    >>> localized_number(1234567, "fr")
    '1\\u202f234\\u202f567'
    """
    return format_decimal(value, locale=locale)


def iso_date(value: datetime.date) -> str:
    """Return the ISO 8601 form used in ``<time datetime>`` attributes."""
    return value.isoformat()
