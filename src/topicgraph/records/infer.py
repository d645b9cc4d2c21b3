"""Infer a mapping profile from a corpus's front matter, with a drift report: which field plays which role, and why.

:func:`survey` reads the front matter of (a deterministic sample of) a corpus's files with the project's strict
YAML loader and counts, per field, its presence, types and value shapes. :func:`infer_profile` turns the survey into
a :class:`Inference`: the roles' paths (by synonym, by value shape and by presence), the roles switched off, a
default vendor for topics written without one, and the drift found (case variants, aliases, mixed date formats,
enum-like fields), each choice with the counts behind it. :meth:`Inference.toml` is a profile ``load_profile``
reads (docs/profiles.md).

>>> s = Survey.of([{"headline": "A", "published": "2021-02-03", "link": "https://x.example/a",
...                 "categories": ["ai", "AI"]}], site="my-blog")
>>> inf = infer_profile(s)
>>> inf.fields["title"], inf.fields["date"], inf.fields["link_href"], inf.fields["link_original"]
(('headline',), ('published',), ('link',), ())
>>> inf.default_vendor
'My Blog'
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RecordError
from .profile import ROLES
from .reader import read_limited
from .dates import RFC2822
from .text import parse_human_date
from .yaml_strict import YamlProblem, load_front_matter_yaml

__all__ = ["Survey", "FieldStats", "Inference", "survey", "infer_profile", "value_shape", "PREDICATES",
           "DEFAULT_SAMPLE"]

#: Files read at most; a larger corpus is sampled evenly (every k-th file in path order), so the answer is stable.
DEFAULT_SAMPLE = 2000

#: what each role becomes in RDF (docs/profiles.md's table); a field no role uses goes to tg:frontMatter
PREDICATES = {
    "id": "schema:identifier", "title": "schema:headline", "description": "schema:description",
    "authors": "schema:author", "date": "schema:datePublished", "last_mod": "schema:dateModified",
    "link_brand": "schema:publisher", "link_href": "schema:url", "link_original": "schema:url",
    "topics": "schema:about", "tags": "schema:keywords", "categories": "schema:articleSection",
    "slug": "tg:slug", "aliases": "tg:alias", "md_name": "tg:mdName", "type": "tg:recordType",
    "source": "tg:curationSource", "featured_image": "schema:image", "community": "tg:community",
    "mast_head": "tg:community", "breadcrumbs": "schema:breadcrumb",
}
FRONT_MATTER = "tg:frontMatter"

#: names tried per role, best first (compared without case, `_` or `-`)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "uid", "guid", "uuid", "slug", "permalink"),
    "title": ("title", "headline", "name"),
    "description": ("description", "summary", "excerpt", "abstract", "subtitle"),
    "authors": ("authors", "author", "byline", "creator", "creators"),
    "date": ("date", "published", "pubDate", "publishDate", "datePublished", "created", "publishedAt"),
    "last_mod": ("lastMod", "updated", "modified", "dateModified", "lastUpdated", "updatedAt"),
    "link_brand": ("link.brand", "linkBrand", "brand", "publisher", "publication", "site"),
    "link_href": ("link.href", "link", "url", "href", "source_url", "sourceUrl", "canonical", "externalUrl"),
    "link_original": ("link.original",),
    "topics": ("communityTopics", "topics", "categories", "tags"),
    "tags": ("tags", "keywords"),
    "source": ("source", "source.name", "via"),
}
#: the kind of value each role reads: one text, a list of texts (one text is a list of one), or a date
_KIND = {"authors": "texts", "topics": "texts", "tags": "texts", "categories": "texts", "aliases": "texts",
         "breadcrumbs": "texts", "date": "date", "last_mod": "date", "featured_image": "any"}
_GENERIC_FOLDERS = {"content", "posts", "_posts", "post", "src", "site", "docs", "articles", "pages", "records", "."}

_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.I)
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,62}\.)+)[a-z]{2,63}\.?", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_PREFIXED = re.compile(r"^[^:]{1,60}:\s*\S")
#: an e-mail or RSS date ("Wed, 04 Jan 2023 09:30:00 -0500"), which the reader reads as a date-time
RFC2822_SHAPE = "date-time (RFC 2822)"
#: a list written as one string: "AI, FDA, Telehealth"
_COMMA_LIST = re.compile(r"[^,]{1,60}(?:, *[^,]{1,60})+")
#: separators other sites put between vendor and label, tried when most topics have no ':'
SEPARATORS = (" / ", "/", " > ", ">", " | ", "|", " - ")


def value_shape(value: object) -> str:
    """The shape of one front-matter value, as the drift report names it.

    >>> [value_shape(v) for v in ("https://a.example/x", "a.example", "2021-02-03", "Feb 3, 2021",
    ...                           "2021-02-03T09:39:46Z", "AI", ["ai", "x"], {"href": "https://a.example"})]
    ['url', 'domain', 'date (YYYY-MM-DD)', 'date (Month D, YYYY)', 'date-time (ISO 8601)', 'short text', 'list of short texts', 'mapping with href']
    >>> value_shape("Wed, 04 Jan 2023 09:30:00 -0500")
    'date-time (RFC 2822)'

    """
    if value is None or value == "":
        return "empty"
    if isinstance(value, dict):
        return "mapping with href" if "href" in value else f"mapping ({', '.join(sorted(map(str, value))[:4])})"
    if isinstance(value, list):
        if not value:
            return "empty list"
        kinds = {value_shape(v) for v in value}
        if kinds <= {"short text", "domain"}:
            return "list of short texts"
        if kinds <= {"url"}:
            return "list of urls"
        return "list of texts" if all(isinstance(v, str) for v in value) else "list of mixed values"
    text = str(value).strip()
    if _URL.fullmatch(text):
        return "url"
    if _ISO_DATE.fullmatch(text):
        return "date (YYYY-MM-DD)"
    if _ISO_MOMENT.fullmatch(text):
        return "date-time (ISO 8601)"
    if _DOMAIN.fullmatch(text):
        return "domain"
    if len(text) <= 60 and parse_human_date(text):
        return "date (Month D, YYYY)" if text[:1].isalpha() else "date (D Month YYYY)"
    if RFC2822.fullmatch(text):
        return RFC2822_SHAPE
    if text.startswith("/"):
        return "path"
    return "short text" if len(text) <= 60 and "\n" not in text else "text"


def _is_date(shape: str) -> bool:
    return shape.startswith(("date ", "date-time"))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _name_key(name: str) -> str:
    return name.replace("_", "").replace("-", "").casefold()


@dataclass
class FieldStats:
    """What one field (a top-level key, or ``parent.key`` one level down) holds across the sample."""

    path: str
    count: int = 0
    types: Counter = field(default_factory=Counter)
    shapes: Counter = field(default_factory=Counter)
    values: Counter = field(default_factory=Counter)  # each text, list items one by one
    records: Counter = field(default_factory=Counter)  # whole values as text, to tell unique fields

    def add(self, value: object) -> None:
        self.count += 1
        self.types[_type(value)] += 1
        self.shapes[value_shape(value)] += 1
        if isinstance(value, list):
            self.values.update(" ".join(v.split()) for v in value if isinstance(v, str) and v.strip())
        elif isinstance(value, str) and value.strip():
            self.values[" ".join(value.split())] += 1
        if not isinstance(value, dict):
            self.records[repr(value)] += 1

    def share(self, test) -> float:
        """The part of the present values whose shape passes ``test``."""
        return sum(n for s, n in self.shapes.items() if test(s)) / self.count if self.count else 0.0


def _type(value: object) -> str:
    return ("mapping" if isinstance(value, dict) else "list" if isinstance(value, list)
            else "null" if value is None else "text" if isinstance(value, str) else type(value).__name__)


@dataclass
class Survey:
    """Counts per field over the records read; ``unreadable`` lists files whose front matter did not parse."""

    site: str
    records: int = 0
    files: int = 0
    sampled: int = 0
    fields: dict[str, FieldStats] = field(default_factory=dict)
    together: Counter = field(default_factory=Counter)  # (a, b) -> records holding both top-level keys
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    plain: int = 0

    @classmethod
    def of(cls, records, *, site: str = "site") -> "Survey":
        s = cls(site=site)
        for data in records:
            s.add(data)
        s.files = s.sampled = s.records
        return s

    def add(self, data: dict) -> None:
        self.records += 1
        keys = sorted(data)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                self.together[a, b] += 1
        for key, value in data.items():
            self._stat(str(key)).add(value)
            if isinstance(value, dict):
                for sub, v in value.items():
                    self._stat(f"{key}.{sub}").add(v)

    def _stat(self, path: str) -> FieldStats:
        return self.fields.setdefault(path, FieldStats(path))

    def get(self, path: str) -> FieldStats | None:
        return self.fields.get(path)

    def both(self, a: str, b: str) -> int:
        return self.together[min(a, b), max(a, b)]


def _front_matter(text: str) -> str | None:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff\n ")  # line ends as the reader reads them
    if not text.startswith("---"):
        return None
    first = text.find("\n")
    end = _CLOSING.search(text, first + 1) if first > 0 else None
    return text[first + 1:end.start()] if end else None


def survey(files, *, sample: int = DEFAULT_SAMPLE, site: str = "site") -> Survey:
    """Read the front matter of at most ``sample`` of ``files`` (evenly spread, in path order); ``site`` names the
    corpus (:func:`site_name` of the folders they were found in). Finding the files is the caller's
    (:func:`topicgraph.sources.discover`): records and sources are layers apart."""
    files = sorted((Path(f) for f in files), key=lambda p: p.as_posix())
    step = max(1, math.ceil(len(files) / sample)) if sample > 0 else 1
    chosen = files[::step][:sample] if sample > 0 else files
    out = Survey(site=site, files=len(files), sampled=len(chosen))
    for path in chosen:
        try:
            text = read_limited(path, str(path)).decode("utf-8", errors="replace")
        except RecordError as exc:
            out.unreadable.append((path.as_posix(), exc.findings[0].message if exc.findings else "unreadable"))
            continue
        fm = _front_matter(text)
        if fm is None:
            out.plain += 1
            continue
        try:
            loaded = load_front_matter_yaml(fm, line_offset=1)
        except YamlProblem as p:
            out.unreadable.append((path.as_posix(), f"line {p.line}: {p.message}"))
            continue
        out.add(loaded.data)
    return out


def site_name(sources) -> str:
    """The corpus's folder name, or its parent's when the folder has a generic name (``content``, ``_posts``).

    >>> site_name(["docs/examples/hugo-blog/content"])
    'hugo-blog'
    """
    for src in sources:
        p = Path(src).resolve()
        if p.is_file():
            p = p.parent
        while p.name.casefold() in _GENERIC_FOLDERS and p.parent != p:
            p = p.parent
        return p.name or "site"
    return "site"


def _title_case(name: str) -> str:
    words = re.split(r"[\s_\-.]+", name.strip())
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words if w)


# ------------------------------------------------------------------------------------------------------ inference

@dataclass
class Inference:
    """A profile inferred from a survey, with the reasons and the drift found."""

    survey: Survey
    name: str
    fields: dict[str, tuple[str, ...]]
    default_vendor: str | None = None
    separator: str = ":"
    reasons: list[str] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    case_variants: dict[str, list[list[tuple[str, int]]]] = field(default_factory=dict)
    mixed_dates: dict[str, dict[str, int]] = field(default_factory=dict)
    enums: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    misfits: list[str] = field(default_factory=list)
    #: list roles whose field holds the list as one text, and the separator to split it at
    lists: dict[str, str] = field(default_factory=dict)

    def changed(self) -> dict[str, tuple[str, ...]]:
        """The roles whose paths differ from the default profile's."""
        return {r: p for r, p in self.fields.items() if p != ROLES[r]}

    def rdf(self, path: str) -> str:
        """What a field becomes in RDF under this profile."""
        for role, paths in self.fields.items():
            if path in paths:
                return PREDICATES[role]
        parent = path.split(".")[0]
        if parent != path and any(parent == p.split(".")[0] and "." in p for ps in self.fields.values() for p in ps):
            return FRONT_MATTER  # the mapping's other keys are kept
        return FRONT_MATTER

    def toml(self) -> str:
        """The profile as TOML, each choice explained in a comment."""
        s = self.survey
        lines = [f"# Inferred by `topicgraph profile infer` from {s.records} record(s) of {s.files} file(s).",
                 "# Roles not listed keep the default paths (docs/profiles.md).", f"name = {_q(self.name)}", "",
                 "[fields]"]
        for role, paths in self.changed().items():
            why = next((r for r in self.reasons if r.startswith(f"{role}:")), None)
            if why:
                lines.append(f"# {why}")
            lines.append(f"{role} = [{', '.join(_q(p) for p in paths)}]")
        if self.default_vendor or self.separator != ":":
            lines += ["", "[topics]"]
            if self.separator != ":":
                why = next((r for r in self.reasons if r.startswith("separator:")), None)
                lines += [f"# {why}"] if why else []
                lines.append(f"separator = {_q(self.separator)}")
        if self.default_vendor:
            why = next((r for r in self.reasons if r.startswith("default_vendor:")), None)
            if why:
                lines.append(f"# {why}")
            lines.append(f"default_vendor = {_q(self.default_vendor)}")
        if self.lists:
            lines += ["", "[lists]"]
            for role, sep in sorted(self.lists.items()):
                why = next((r for r in self.reasons if r.startswith(f"lists: {role} ")), None)
                lines += [f"# {why}"] if why else []
                lines.append(f"{role} = {_q(sep)}")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        s = self.survey
        return {
            "site": s.site, "files": s.files, "sampled": s.sampled, "records": s.records, "plain": s.plain,
            "unreadable": [{"file": f, "problem": p} for f, p in s.unreadable],
            "profile": {"name": self.name, "fields": {r: list(p) for r, p in self.changed().items()},
                        "default_vendor": self.default_vendor, "separator": self.separator,
                        "lists": dict(sorted(self.lists.items()))},
            "reasons": self.reasons, "misfits": self.misfits,
            "fields": [{"path": f.path, "count": f.count, "percent": round(100 * f.count / s.records, 1) if s.records
                        else 0.0, "types": dict(f.types.most_common()), "shapes": dict(f.shapes.most_common()),
                        "rdf": self.rdf(f.path), "enum": dict(self.enums.get(f.path, []))}
                       for f in sorted(s.fields.values(), key=lambda f: (-f.count, f.path))],
            "aliases": [list(a) for a in self.aliases],
            "case_variants": {p: [dict(g) for g in groups] for p, groups in self.case_variants.items()},
            "mixed_dates": self.mixed_dates,
        }


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fits(stats: FieldStats, role: str) -> float:
    """The part of a field's present values that the role reads without an error."""
    kind = _KIND.get(role, "text")
    if kind == "any":
        return 1.0
    if kind == "date":
        return stats.share(_is_date)
    if kind == "texts":
        return stats.share(lambda s: s.startswith("list of") and s != "list of mixed values" or s in _TEXTUAL)
    if role == "link_href" or role == "link_original":
        return stats.share(lambda s: s == "url")
    if role == "link_brand":
        return stats.share(lambda s: s == "domain")
    return stats.share(lambda s: s in _TEXTUAL or s == "url" or _is_date(s))


_TEXTUAL = {"short text", "text", "domain", "path", "url", "date (YYYY-MM-DD)", "date-time (ISO 8601)",
            "date (Month D, YYYY)", "date (D Month YYYY)"}


def _find_aliases(s: Survey) -> list[tuple[str, str]]:
    """Top-level fields never together whose names differ only in case, `_` or `-`, or share a role's synonyms,
    and whose values have the same main shape (``lastmod``/``lastMod``)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in s.fields:
        if "." not in path:
            groups[_name_key(path)].append(path)
    for names in SYNONYMS.values():
        keys = [_name_key(n) for n in names if "." not in n]
        present = [p for k in keys for p in groups.get(k, [])]
        if len(present) > 1:
            groups["|".join(keys)] = present
    pairs = []
    for names in groups.values():
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                fa, fb = s.fields[a], s.fields[b]
                if s.both(a, b) == 0 and fa.shapes.most_common(1)[0][0] == fb.shapes.most_common(1)[0][0]:
                    pair = tuple(sorted((a, b), key=lambda p: -s.fields[p].count))
                    if pair not in pairs:
                        pairs.append(pair)
    return pairs


def _nested(s: Survey, role: str, candidates: list[str], taken: set[str]) -> list[str]:
    """Fields one level down whose own name is one of the role's (``meta.author`` for authors), commonest first:
    tried after the role's usual names."""
    names = {_name_key(n) for n in SYNONYMS.get(role, ()) if "." not in n}
    if not names or role == "topics":  # topics stay where a site puts them on purpose, never guessed one level down
        return []
    found = [p for p in s.fields if "." in p and p not in candidates and p not in taken
             and _name_key(p.rsplit(".", 1)[1]) in names]
    return sorted(found, key=lambda p: (-s.fields[p].count, p))


def _comma_lists(inf: Inference) -> None:
    """A list role read from a field that holds the list as one string ("AI, FDA, Telehealth"): topics, tags and
    categories are split at the comma (``[lists]``); authors are not, as "Lee, Ann" is one name, so say so."""
    s = inf.survey
    for role in ("topics", "authors", "tags", "categories"):
        for path in inf.fields.get(role, ()):
            stats = s.get(path)
            if stats is None or not stats.count:
                continue
            strings = stats.types.get("text", 0)
            commas = sum(n for v, n in stats.records.items() if v[:1] in "'\"" and _COMMA_LIST.fullmatch(v[1:-1]))
            if strings and commas >= 0.5 * strings and role != "authors":
                inf.lists[role] = ","
                inf.reasons.append(f"lists: {role} is read from {path}, which holds the list as one comma-separated "
                                   f"text in {commas}/{stats.count} records: split at ','")
            elif strings and commas >= 0.5 * strings:
                inf.misfits.append(
                    f"{role}: {path} holds a comma-separated list as one text in {commas}/{stats.count} records; "
                    f"each whole text becomes one {role[:-1] if role.endswith('s') else role} (write {path} as a "
                    f"YAML list, `{path}: [a, b]`, to get one per item)")


def infer_profile(s: Survey, *, name: str | None = None) -> Inference:
    """Choose each role's paths from the survey; every choice is explained in :attr:`Inference.reasons`."""
    inf = Inference(s, name or s.site, dict(ROLES))
    inf.aliases = _find_aliases(s)
    alias_of = defaultdict(list)
    for a, b in inf.aliases:
        alias_of[a].append(b)
        alias_of[b].append(a)
    n = max(s.records, 1)
    taken: set[str] = set()

    def present(path: str) -> FieldStats | None:
        stats = s.get(path)
        return stats if stats and stats.count else None

    def pct(stats: FieldStats) -> str:
        return f"{stats.count}/{s.records} records ({100 * stats.count / n:.0f}%)"

    for role in ROLES:
        default = ROLES[role]
        candidates = [c for c in SYNONYMS.get(role, default) if c not in taken or c in default]
        candidates += [d for d in default if d not in candidates]
        candidates += _nested(s, role, candidates, taken)
        best, unfit = None, []
        for path in candidates:
            stats = present(path)
            if stats is None:
                continue
            fit = _fits(stats, role)
            if role == "id" and len(stats.records) < stats.count:
                continue  # an id must tell records apart
            if role == "topics" and path != "communityTopics" and stats.count < 0.5 * n:
                continue
            if fit >= 0.999:
                best = path
                break
            unfit.append(f"{path} is present in {pct(stats)} but {100 * (1 - fit):.0f}% of its values do not fit "
                         f"({', '.join(sh for sh, _ in stats.shapes.most_common(3))})")
        if best is None:
            inf.misfits += [f"{role}: {u}" for u in unfit if u.split()[0] in default]
            parents = {d.split(".")[0] for d in default}
            if any(present(d) for d in default) or any(present(p) for p in parents):
                inf.fields[role] = ()
                inf.reasons.append(f"{role}: off, no field has values that fit it" + (f" ({unfit[0]})" if unfit
                                   else f" ({', '.join(sorted(parents))} is not a mapping)" if role.startswith(
                                       "link_") else ""))
            continue
        paths = (best,) + tuple(a for a in alias_of.get(best, []) if a not in taken)
        paths = tuple(sorted(paths, key=lambda p: -s.fields[p].count))  # the commonest spelling first
        best = paths[0]
        taken.update(paths)
        inf.fields[role] = paths
        if paths != default:
            stats = s.fields[best]
            shape = stats.shapes.most_common(1)[0][0]
            extra = f", with its alias {', '.join(paths[1:])} (never in the same record)" if len(paths) > 1 else ""
            instead = f"; passed over: {unfit[0]}" if unfit else ""
            names = {_name_key(x) for x in SYNONYMS.get(role, ()) + default}
            by_name = _name_key(best) in names or _name_key(best.rsplit(".", 1)[-1]) in names
            inf.reasons.append(f"{role}: {best} ({'by name' if by_name else 'by value shape'}, "
                               f"in {pct(stats)}, {shape}){extra}{instead}")
    _topics(inf)
    _comma_lists(inf)
    _drift(inf)
    return inf


def _topics(inf: Inference) -> None:
    s, paths = inf.survey, inf.fields["topics"]
    values = Counter()
    for p in paths:
        if p in s.fields:
            values.update(s.fields[p].values)
    total = sum(values.values())
    if not total:
        return
    prefixed = sum(n for v, n in values.items() if _PREFIXED.match(v) and not _URL.match(v))
    if prefixed / total < 0.5:  # another site's separator between vendor and label: "Medigy / AI", "Medigy > AI"
        for sep in SEPARATORS:
            split = [(v.split(sep, 1)[0].strip(), n) for v, n in values.items()
                     if sep in v and not _URL.match(v) and v.split(sep, 1)[1].strip()]
            short = [(vendor, n) for vendor, n in split if vendor and len(vendor) <= 40 and len(vendor.split()) <= 3]
            count = sum(n for _, n in short)
            # a vendor names several topics, or reads as a name: a separator inside labels ("24/7 care") is not one
            named = all(v[0].isupper() and not any(ch.isdigit() for ch in v) for v, _ in short)
            if count / total >= 0.5 and (len({v for v, _ in short}) < len(short) or named):
                inf.separator, prefixed = sep, count
                inf.reasons.append(f"separator: {sep!r}, between vendor and label in {count} of {total} topic(s)")
                break
    if prefixed / total >= 0.5:
        inf.reasons.append(f"default_vendor: none, {prefixed} of {total} topic(s) name their vendor "
                           f"('Vendor{inf.separator} Label')")
        return
    site = s.get("site")
    source = s.get("source.name")
    for stats, where in ((site, "the `site` field"), (source, "the `source.name` field")):
        if stats and stats.count >= 0.5 * s.records and stats.values:
            value, count = stats.values.most_common(1)[0]
            vendor = _title_case(value)
            inf.default_vendor = vendor
            inf.reasons.append(f"default_vendor: {vendor!r}, from {where} ({value!r} in {count} record(s)): "
                               f"{total - prefixed} of {total} topic(s) have no vendor prefix")
            return
    inf.default_vendor = _title_case(s.site)
    inf.reasons.append(f"default_vendor: {inf.default_vendor!r}, from the folder name {s.site!r}: "
                       f"{total - prefixed} of {total} topic(s) have no vendor prefix")


def _drift(inf: Inference) -> None:
    s = inf.survey
    for path, stats in sorted(s.fields.items()):
        groups: dict[str, Counter] = defaultdict(Counter)
        for value, count in stats.values.items():
            if len(value) <= 80:
                groups[_fold(value)][value] += count
        variants = [sorted(g.items(), key=lambda kv: (-kv[1], kv[0])) for g in groups.values() if len(g) > 1]
        if variants:
            inf.case_variants[path] = sorted(variants, key=lambda g: (-sum(c for _, c in g), g[0][0]))
        dates = {sh: c for sh, c in stats.shapes.items() if _is_date(sh)}
        if len(dates) > 1:
            inf.mixed_dates[path] = dict(sorted(dates.items(), key=lambda kv: -kv[1]))
        distinct = len(stats.values)
        if (stats.count >= 10 and 1 <= distinct <= min(20, max(2, math.isqrt(stats.count)))
                and stats.types.get("text", 0) == stats.count):
            inf.enums[path] = stats.values.most_common()
