"""Dates in front matter: ISO dates and date-times, and the human forms scraped articles use, to typed values."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from .model import DateValue
from .text import parse_human_date

__all__ = ["parse_date", "RFC2822"]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_LONG_FRACTION = re.compile(r"\.(\d{7,9})")
_ZONE = re.compile(r"([+-])(\d{2}):?(\d{2})$")
#: an e-mail or RSS date-time ("Wed, 04 Jan 2023 09:30:00 -0500"), read by the standard library's e-mail parser
RFC2822 = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|[A-Z]{1,5})")


def parse_date(value: str) -> tuple[DateValue | None, str | None]:
    """Parse a date or date-time; return ``(value, None)`` or ``(None, why not)``.

    >>> parse_date("2021-02-03T09:39:46.808068Z")[0]
    DateValue(lexical='2021-02-03T09:39:46.808068Z', datatype='dateTime')
    >>> parse_date("2021-02-30")[1]
    'is not a real date (day is out of range for month)'
    >>> parse_date("Wed, 04 Jan 2023 09:30:00 -0500")[0]
    DateValue(lexical='2023-01-04T09:30:00-05:00', datatype='dateTime')
    """
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return DateValue(dt.date.fromisoformat(text).isoformat(), "date"), None
        except ValueError as exc:
            return None, f"is not a real date ({exc})"
    if _ISO_MOMENT.fullmatch(text):
        frac = _LONG_FRACTION.search(text)  # Python keeps microseconds only
        if frac:
            text = text.replace(frac.group(0), "." + frac.group(1)[:6])
        return _moment(text, lambda t: dt.datetime.fromisoformat(t.replace(" ", "T", 1)))
    if RFC2822.fullmatch(text):  # "-0000" and unknown zone names: no offset
        return _moment(text, email.utils.parsedate_to_datetime)
    human = parse_human_date(text)
    if human:
        try:
            return DateValue(dt.date(*human).isoformat(), "date"), None
        except ValueError as exc:
            return None, f"is not a real date ({exc})"
    return None, "is not a date"


def _moment(text: str, parse) -> tuple[DateValue | None, str | None]:
    """A date-time read by ``parse``, its UTC offset held to XML Schema's range, ``Z`` for UTC."""
    zone = _ZONE.search(text)
    if zone and (int(zone.group(2)) * 60 + int(zone.group(3)) > 14 * 60 or int(zone.group(3)) > 59):
        return None, (f"has the UTC offset {zone.group(0)}, out of range (XML Schema allows -14:00 to +14:00, "
                      "minutes below 60)")
    try:
        moment = parse(text)
    except (TypeError, ValueError) as exc:
        return None, f"is not a real date-time ({exc})"
    lexical = moment.isoformat()
    if lexical.endswith("+00:00"):
        lexical = lexical[:-6] + "Z"
    return DateValue(lexical, "dateTime"), None
