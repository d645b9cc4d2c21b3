"""Reading input files into typed records: front matter, plain scraped articles, mapping profiles."""

from __future__ import annotations

from .model import DateValue, Image, Link, Record, Topic
from .profile import DEFAULT_PROFILE, Profile, load_profile
from .reader import MAX_BYTES, NotARecord, parse_date, parse_record, read_limited, read_record

__all__ = ["Record", "Link", "Image", "Topic", "DateValue", "Profile", "DEFAULT_PROFILE", "load_profile",
           "read_record", "read_limited", "parse_record", "parse_date", "NotARecord", "MAX_BYTES"]
