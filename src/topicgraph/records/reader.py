"""Read one file into a typed :class:`Record`, or say exactly why it cannot be read."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path, PurePath

from frontmatter.default_handlers import YAMLHandler

from ..errors import Finding, RecordError, Severity
from .dates import parse_date
from .fields import CONTROL, INVISIBLE, FieldReader
from .limits import Limits, count_findings, term_findings
from .model import DateValue, Record
from .profile import DEFAULT_PROFILE, Profile
from .text import extract_plain
from .yaml_fast import load_front_matter
from .yaml_strict import YamlProblem, load_front_matter_yaml

__all__ = ["read_record", "read_limited", "parse_record", "parse_date", "MAX_BYTES", "NotARecord"]

#: Records larger than this are refused (``--max-bytes``): a curated record is a few kilobytes.
MAX_BYTES = 10 * 1024 * 1024


class NotARecord(Exception):
    """The file is something else (RDF, JSON, a picture): skipped, with the reason, not an error in a record."""


class _StrictHandler(YAMLHandler):
    """python-frontmatter's YAML handler, with our strict loader (safe, duplicate keys and aliases refused)."""

    def load(self, fm: str, **kwargs: object):  # type: ignore[override]
        return load_front_matter_yaml(fm, line_offset=int(kwargs.get("line_offset", 0)))


_HANDLER = _StrictHandler()
_CLOSING = re.compile(r"^-{3,}[ \t]*$", re.M)  # the line that closes front matter, as python-frontmatter splits
#: the extensions a file without front matter may have to be read as a plain scraped article; anything else
#: (source code, configuration, data) without front matter is not a record
PLAIN_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".html", ".htm"})
_RDF_START = re.compile(r"^\s*(?:@prefix|@base|PREFIX\s|BASE\s|<\?xml|<rdf:RDF|<https?://[^>\s]*>\s+<)", re.I)


def _err(path: str, message: str, *, line: int | None = None, field: str | None = None, fix: str = "",
         rule: str = "record", severity: Severity = Severity.ERROR) -> Finding:
    return Finding(path, message, severity=severity, line=line, field=field, rule=rule, fix=fix)


def read_record(path: str | Path, *, profile: Profile = DEFAULT_PROFILE, max_bytes: int = MAX_BYTES,
                display: str | None = None) -> Record:
    """Read and parse the file at ``path``; raise :class:`RecordError` (with findings) or :class:`NotARecord`."""
    name = display or PurePath(path).as_posix()
    return parse_record(read_limited(path, name, max_bytes=max_bytes), name, profile=profile)


def read_limited(path: str | Path, name: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the file at ``path``; :class:`RecordError` when it is larger than ``max_bytes``
    (``record.size``, nothing read) or cannot be read (``record.io``). ``name`` is how the findings refer to it.
    The one size and read check of a record file: the build and ``validate`` both read through it."""
    try:
        with open(path, "rb") as fh:  # one open, its size from the open file: no path parsing per record
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise RecordError([_err(name, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes for "
                                              "one record", rule="record.size",
                                        fix="split it, or raise the limit with --max-bytes")])
            return fh.read()
    except OSError as exc:
        raise RecordError([_err(name, f"cannot read the file: {exc.strerror or exc}", rule="record.io",
                                fix="check that the file exists and is readable")]) from None


def _decode(data: bytes, name: str) -> tuple[str, list[Finding]]:
    notes: list[Finding] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise RecordError([_err(name, "file is UTF-32 encoded", rule="record.encoding", line=1,
                                fix="re-save it as UTF-8")])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RecordError([_err(name, "file is UTF-16 encoded", rule="record.encoding", line=1,
                                fix="re-save it as UTF-8")])
    if b"\x00" in data:  # anywhere: a NUL past the first block must not reach schema:articleBody either
        raise NotARecord("binary file (contains NUL bytes)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
        notes.append(_err(name, "byte-order mark at the start of the file was ignored", line=1,
                          severity=Severity.INFO, rule="record.bom", fix="save as UTF-8 without BOM"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordError([_err(name, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                                line=line, rule="record.encoding",
                                fix="re-save the file as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def parse_record(data: bytes, name: str, *, profile: Profile = DEFAULT_PROFILE) -> Record:
    """Parse the bytes of one file (``name`` is how findings refer to it).

    >>> r = parse_record(b"---\\nid: 7\\ntitle: no\\ncommunityTopics: ['Medigy: AI']\\n---\\nBody", "x.md")
    >>> (r.id, r.title, r.topics[0].vendor, r.body)
    ('7', 'no', 'Medigy', 'Body')
    """
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise RecordError([_err(name, "file is empty" if not data else "file holds only white space",
                                rule="record.empty", fix="delete it, or write the record into it")])
    text, notes = _decode(data, name)
    if not text.strip():
        raise RecordError([_err(name, "file holds only white space", rule="record.empty",
                                fix="delete it, or write the record into it")])
    stripped = text.lstrip("\n ")
    offset = text[: len(text) - len(stripped)].count("\n")  # lines before the opening ---
    if _HANDLER.detect(stripped):
        record = _parse_front_matter(stripped, offset, name, sha, len(data), profile)
    else:
        _refuse_non_records(stripped, name)
        record = _parse_plain(text, name, sha, len(data), profile.limits)
    record.findings[:0] = notes
    return record


def _refuse_non_records(text: str, name: str) -> None:
    head = text[:2000]
    if head.startswith("+++"):
        end = head.find("\n")
        if end > 0 and head[:end].rstrip() == "+++":
            raise RecordError([_err(name, "front matter in TOML (between +++ lines) is not read: only YAML front "
                                          "matter is", line=1, rule="record.front-matter",
                                    fix="convert it to YAML between --- lines (key: value)")])
    if _RDF_START.match(head):
        raise NotARecord("RDF data, not a record")
    if head[:1] in "{[":
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise NotARecord("JSON data, not a record")
    suffix = PurePath(name).suffix.lower()
    if suffix not in PLAIN_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise NotARecord(f"{kind} without front matter; a plain article is a "
                         f"{', '.join(sorted(PLAIN_SUFFIXES))} file")


# ---------------------------------------------------------------------------------------------------- front matter

def _parse_front_matter(text: str, offset: int, name: str, sha: str, size: int, profile: Profile) -> Record:
    first_newline = text.find("\n")
    if first_newline < 0 or _CLOSING.search(text, first_newline) is None:
        raise RecordError([_err(name, "front matter opened with --- is never closed", line=offset + 1,
                                rule="record.front-matter",
                                fix="add a line `---` after the last front-matter field")])
    fm, content = _HANDLER.split(text)
    try:
        # python-frontmatter's split keeps the newline after the opening ---, so YAML line N is file line N
        loaded = load_front_matter(fm, line_offset=offset, limits=profile.limits)
    except YamlProblem as p:
        raise RecordError([_err(name, p.message, line=p.line, field=p.field, rule="record.yaml", fix=p.fix)]) from None
    items, items_line = loaded.longest
    # the list is under the last top-level key at or above its line
    items_field = max(((line, k) for k, line in loaded.lines.items() if items_line and line <= items_line),
                      default=(0, None))[1]
    if over := count_findings(name, {"keys": (loaded.keys, None, None), "items": (items, items_field, items_line)},
                              profile.limits):
        raise RecordError(over)  # nothing more is read of it: what a record holds stays within the caps
    return FieldReader(name, loaded.data, loaded.lines, profile, len(fm)).record(sha, size, content.strip())


# ---------------------------------------------------------------------------------------------------- plain articles

def _parse_plain(text: str, name: str, sha: str, size: int, limits: Limits) -> Record:
    rid = PurePath(name).stem
    if CONTROL.search(rid) or INVISIBLE.search(rid) or "\n" in rid or "\t" in rid:
        raise RecordError([_err(name, f"the file name {rid!r}, a plain article's id, holds control or invisible "
                                      "characters", field="id", rule="record.id.characters",
                                fix="rename the file with visible characters only")])
    art = extract_plain(text)
    findings = term_findings(name, {"the body (schema:articleBody)": (art.body, None, None)}, limits)
    if findings:
        raise RecordError(findings)
    missing = []
    date = None
    if art.date:
        try:
            date = DateValue(dt.date(*art.date).isoformat(), "date")
        except ValueError as exc:
            findings.append(_err(name, f"date line is not a real date ({exc})", line=art.date_line, field="date",
                                 rule="record.date.date", severity=Severity.WARNING, fix="correct the date line"))
    for fld, present, fix in (("title", art.title, "start the file with the article's title on its own line"),
                              ("author", art.authors, "add a byline such as `By Kyra Hagan` under the title"),
                              ("date", date, "add a date line such as `July 8, 2016` under the title")):
        if not present:
            missing.append(fld)
            findings.append(_err(name, f"plain article does not state its {fld}", field=fld, fix=fix,
                                 rule=f"record.plain.{fld}", severity=Severity.WARNING))
    if not art.body.strip():
        findings.append(_err(name, "plain article has no body text left after removing boilerplate",
                             rule="record.plain.body", severity=Severity.WARNING, fix="check the file's content"))
    lines = {k: v for k, v in (("title", art.title_line), ("authors", art.author_line), ("date", art.date_line))
             if v is not None}
    return Record(path=name, sha256=sha, size=size, format="plain", id=rid, title=art.title, body=art.body,
                  authors=art.authors, date=date, missing=missing, lines=lines, findings=findings)
