"""The fields of one front-matter record: each role pulled out of the YAML mapping, typed and checked, with findings."""

from __future__ import annotations

import re

from ..errors import Finding, RecordError, Severity
from ..iris import check_web_iri
from .dates import parse_date
from .limits import breadcrumb_text, count_findings, front_matter_json, term_findings
from .model import DateValue, Image, Link, Record, Topic
from .profile import Profile
from .text import html_to_text

__all__ = ["FieldReader", "LIMITS", "CONTROL", "INVISIBLE"]

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters other than tab and newlines
#: zero-width and bidirectional-override characters: invisible in an id, and able to make two ids look alike
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

#: the hint for a field written in another site's layout: a profile maps it as it is
_PROFILE_RUN = "run `topicgraph profile infer SRC -o site.toml` and pass `--profile site.toml`"
_PROFILE_FIX = f"; or, if the site writes it this way, {_PROFILE_RUN}"

#: Longest value accepted per role, in characters; longer is an error (a pasted page, not a title).
LIMITS = {"id": 200, "title": 1000, "description": 10000, "authors": 300, "topics": 300, "tags": 300,
          "categories": 300, "slug": 500, "aliases": 2000, "link_brand": 253, "link_href": 4000,
          "link_original": 4000}
_DEFAULT_LIMIT = 10000


class FieldReader:
    """Pulls each role out of the front-matter mapping, converting types and collecting findings."""

    def __init__(self, name: str, data: dict, lines: dict[str, int], profile: Profile, size: int = 0) -> None:
        self.name, self.data, self.lines, self.profile = name, data, lines, profile
        self.size = size  # characters of the front matter
        self.paths = profile.split_paths
        self.findings: list[Finding] = []
        self.used: set[tuple[str, ...]] = set()

    # -- lookups
    def _lookup(self, role: str) -> tuple[str | None, object]:
        for path, parts in self.paths.get(role, ()):
            node: object = self.data
            for part in parts:
                if not isinstance(node, dict) or part not in node:
                    break
                node = node[part]
            else:
                if node is None or node == "" or node == []:
                    self.used.add(parts)
                    continue
                if isinstance(node, dict) and len(parts) == 1 and role.startswith("link_"):
                    continue  # `link:` is a mapping here; the dotted paths will find its parts
                if not isinstance(node, dict):  # a mapping's unused keys stay in `extra`
                    self.used.add(parts)
                return path, node
            if node is not None and node is not self.data and not isinstance(node, dict) and node != "":
                self._not_a_mapping(parts)  # `link: https://...` where link.href is meant
        return None, None

    def _not_a_mapping(self, parts: tuple[str, ...]) -> None:
        """A dotted path's parent is there but is not a mapping: say so once, at the parent's key."""
        node: object = self.data
        for k, part in enumerate(parts):
            if not isinstance(node, dict):
                break
            node = node.get(part)
        key, sub = ".".join(parts[:k]), parts[k]
        if any(f.field == key and f.rule == "record.field.mapping" for f in self.findings):
            return
        kind = ("a list" if isinstance(node, list) else f"text {str(node)[:60]!r}" if isinstance(node, str)
                else type(node).__name__)
        subs = [p[k] for _, p in sorted(v for vs in self.paths.values() for v in vs)
                if len(p) > k and p[:k] == parts[:k]]
        subs = list(dict.fromkeys(subs)) or [sub]
        example = (f"href: {node}" if "href" in subs and isinstance(node, str) and node.startswith(("http:", "https:"))
                   else f"{subs[0]}: ...")
        self.error(key, f"{key} should be a mapping with {', '.join(subs)}, found {kind}",
                   f"if the site writes it this way, {_PROFILE_RUN}; or write `{key}:` on its own line and its "
                   f"fields indented under it, e.g. `  {example}`",
                   "record.field.mapping")

    def line(self, path: str | None) -> int | None:
        return self.lines.get(path.split(".")[0]) if path else None

    def error(self, path: str | None, message: str, fix: str, rule: str, severity=Severity.ERROR) -> None:
        self.findings.append(Finding(self.name, message, severity=severity, line=self.line(path), field=path,
                                     rule=rule, fix=fix))

    def text(self, role: str) -> tuple[str | None, str | None]:
        path, value = self._lookup(role)
        if value is None:
            return path, None
        if isinstance(value, str):
            if not value.isprintable() and CONTROL.search(value):  # isprintable: C speed for the usual case
                self.error(path, f"{path} contains control characters", "remove them", "record.text")
                return path, None
            # one line of text: runs of white space (newlines, tabs, no-break spaces) read as one space
            text = " ".join(value.split())
            if not self._fits(path, role, text):
                return path, None
            return path, text or None
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
        self.error(path, f"{path} should be text, found {kind}", f"write {path} as one line of text"
                   + (_PROFILE_FIX if isinstance(value, dict) else ""),
                   f"record.{role}.type")
        return path, None

    def texts(self, role: str, *, item: str) -> tuple[str | None, list[str]]:
        path, value = self._lookup(role)
        if value is None:
            return path, []
        if isinstance(value, str):
            sep = self.profile.lists.get(role)  # a list written as one text, split as the profile says
            values = [v for v in value.split(sep) if v.strip()] if sep else []
            values = values or [value]
            cap = self.profile.limits.items  # the cap a YAML list is held to, for a list split out of one text
            if len(values) > cap:
                self.findings += count_findings(self.name, {"items": (len(values), path, self.line(path))},
                                                self.profile.limits)
                values = values[:cap]
        else:
            values = value
        if not isinstance(values, list):
            self.error(path, f"{path} should be a list of {item}s, found a mapping",
                       f"write {path} as a YAML list (`- one` per line)", f"record.{role}.type")
            return path, []
        out = []
        for i, v in enumerate(values):
            if isinstance(v, str) and not v.isprintable() and CONTROL.search(v):
                self.error(path, f"{path}[{i}] contains control characters", "remove them", "record.text")
            elif isinstance(v, str) and v.strip():
                one_line = " ".join(v.split())
                if self._fits(f"{path}[{i}]", role, one_line):
                    out.append(one_line)
            elif isinstance(v, str) or v is None:
                self.error(path, f"{path}[{i}] is empty", f"delete the empty {item} or fill it in",
                           f"record.{role}.empty", severity=Severity.ERROR if role == "topics" else Severity.WARNING)
            else:
                kind = "a list" if isinstance(v, list) else "a mapping"
                self.error(path, f"{path}[{i}] should be a {item} (text), found {kind}",
                           f"write each {item} as plain text", f"record.{role}.type")
        return path, out

    def _fits(self, path: str | None, role: str, text: str) -> bool:
        limit = LIMITS.get(role, _DEFAULT_LIMIT)
        if len(text) <= limit:
            return True
        self.error(path, f"{path} is {len(text):,} characters long, over the limit of {limit:,}",
                   f"shorten it to at most {limit:,} characters", "record.length")
        return False

    def date(self, role: str) -> tuple[str | None, DateValue | None]:
        path, value = self._lookup(role)
        if value is None:
            return path, None
        if not isinstance(value, str):
            self.error(path, f"{path} should be a date, found {'a list' if isinstance(value, list) else 'a mapping'}",
                       "write it as 2021-02-03 or 2021-02-03T09:39:46Z", f"record.{role}.type")
            return path, None
        parsed, problem = parse_date(value)
        if problem:
            self.error(path, f"{path} {value!r} {problem}", "write it as 2021-02-03 or 2021-02-03T09:39:46Z",
                       f"record.{role}.date")
        return path, parsed

    # -- the record
    def record(self, sha: str, size: int, content: str) -> Record:
        p_id, rid = self.text("id")
        if rid is not None and not rid.isprintable() and INVISIBLE.search(rid):
            self.error(p_id, f"id {rid!r} holds invisible characters (zero-width or text-direction marks), which "
                             "make two ids look alike", "remove them: an id is visible text", "record.id.characters")
        if rid is None:
            for fallback in ("md_name", "slug"):
                _, rid = self.text(fallback)
                if rid:
                    self.error(p_id or "id", f"no id; using {fallback} {rid!r} instead", "give the record an `id`",
                               "record.id.missing", severity=Severity.WARNING)
                    break
        if rid is None:
            self.error("id", "the record has no id (nor mdName or slug to stand in for it)",
                       "add an `id:` line with the record's identifier", "record.id.missing")
            rid = ""
        p_title, title = self.text("title")
        if title is None and not any(f.field == p_title for f in self.findings):
            self.error(p_title or "title", "the record has no title", "add a `title:` line", "record.title.missing")
        _, description = self.text("description")
        limits = self.profile.limits
        p_authors, authors = self.texts("authors", item="name")
        _, date = self.date("date")
        _, last_mod = self.date("last_mod")
        link = self.link()
        p_topics, raw_topics = self.texts("topics", item="topic")
        over = count_findings(self.name, {"topics": (len(raw_topics), p_topics, self.line(p_topics)),
                                          "authors": (len(authors), p_authors, self.line(p_authors))}, limits)
        if over:
            self.findings += over
            raw_topics, authors = raw_topics[:limits.topics], authors[:limits.authors]
        topics = [t for i, raw in enumerate(raw_topics) if (t := self.topic(p_topics, i, raw)) is not None]
        _, tags = self.texts("tags", item="tag")
        _, categories = self.texts("categories", item="category")
        _, slug = self.text("slug")
        p_aliases, aliases = self.texts("aliases", item="alias")
        for i, alias in enumerate(aliases):
            if not self.address(f"{p_aliases}[{i}]", alias, "record.aliases.url", relative=True):
                aliases = [a for a in aliases if a != alias]
        _, md_name = self.text("md_name")
        image = self.image()
        _, community = self.text("community")
        _, mast_head = self.text("mast_head")
        _, rtype = self.text("type")
        _, source = self.text("source")
        p_crumbs, crumbs = self.texts("breadcrumbs", item="breadcrumb")
        body, extra = html_to_text(content), self.extra()
        terms = {"the body (schema:articleBody)": (body, None, None)}
        # a value from the front matter is at most a few times longer, JSON and escapes included, than the front
        # matter it was written in: below this size none can reach the cap, and none is measured
        if self.size * 64 > limits.term_bytes:
            terms["the front matter kept as JSON (tg:frontMatter)"] = (front_matter_json(extra), None, None)
            terms["the breadcrumb (schema:breadcrumb)"] = (breadcrumb_text(crumbs), p_crumbs, self.line(p_crumbs))
        self.findings += term_findings(self.name, terms, limits)
        lines = {}
        for role in _LINE_ROLES:
            for _, parts in self.paths.get(role, ()):
                if parts[0] in self.lines:
                    lines[role] = self.lines[parts[0]]
                    break
        if "link_brand" in lines:
            lines["link"] = lines["link_brand"]
        record = Record(
            path=self.name, sha256=sha, size=size, format="front-matter", id=rid, title=title,
            description=description, body=body, authors=authors, date=date, last_mod=last_mod,
            link=link, topics=topics, tags=tags, categories=categories, slug=slug, aliases=aliases, md_name=md_name,
            featured_image=image, community=community, mast_head=mast_head, type=rtype, source=source,
            breadcrumbs=crumbs, extra=extra, lines=lines, findings=self.findings,
        )
        if any(f.severity >= Severity.ERROR for f in self.findings):
            raise RecordError(self.findings, record)
        return record

    def topic(self, path: str | None, index: int, raw: str) -> Topic | None:
        sep = self.profile.separator
        vendor, found, label = raw.partition(sep)
        vendor, label = vendor.strip(), label.strip()
        where = f"{path}[{index}]"
        if not found:
            alike = next((c for c in _COLON_LOOKALIKES if c in raw), None)
            if alike is not None and sep == ":":
                v, _, lab = raw.partition(alike)
                self.findings.append(Finding(
                    self.name, f"topic {raw!r} has no vendor prefix: it separates them with {alike!r} "
                               f"(U+{ord(alike):04X}), not a colon", line=self.line(path), field=where,
                    rule="record.topics.vendor", fix=f"write it with an ASCII colon: '{v.strip()}: {lab.strip()}'"))
                return None
            if self.profile.default_vendor:
                return Topic(self.profile.default_vendor, _recase(raw.strip(), self.profile.label_case))
            self.findings.append(Finding(
                self.name, f"topic {raw!r} has no vendor prefix", line=self.line(path), field=where,
                rule="record.topics.vendor",
                fix=f"write it as 'Vendor{sep} {raw}' (e.g. 'Medigy{sep} {raw}'); or, for a site whose topics "
                    f"have no vendor, {_PROFILE_RUN} (it sets [topics] default_vendor)"))
            return None
        if not vendor or not label:
            self.findings.append(Finding(
                self.name, f"topic {raw!r} has an empty {'vendor' if not vendor else 'label'}", line=self.line(path),
                field=where, rule="record.topics.empty", fix=f"write it as 'Vendor{sep} Label'"))
            return None
        return Topic(vendor, label)

    def link(self) -> Link:
        _, brand = self.text("link_brand")
        p_href, href = self.text("link_href")
        p_orig, original = self.text("link_original")
        checked: dict[str, bool] = {}  # href and original are usually the same address: check it once
        for path, value in ((p_href, href), (p_orig, original)):
            if value is None:
                continue
            if value not in checked:
                checked[value] = self.address(path, value, "record.link.url")
            elif not checked[value]:
                self.address(path, value, "record.link.url")
        if brand is not None:
            domain = brand.lower()
            if not _DOMAIN.fullmatch(domain) and not _WORDY_DOMAIN.fullmatch(domain):
                self.error(self.profile.paths("link_brand")[0], f"link brand {brand!r} is not a domain name",
                           "write the brand's domain, e.g. healthtechmagazines.com", "record.link.brand")
        elif href and checked.get(href):
            from urllib.parse import urlsplit

            host = (urlsplit(href).hostname or "").removeprefix("www.")
            brand = host or None
        return Link(brand=brand, href=href, original=original)

    def address(self, path: str | None, value: str, rule: str, *, relative: bool = False) -> bool:
        """Check an address the record gives (a link, an image, an alias) by the rules of ``link.href``
        (:func:`~topicgraph.iris.check_web_iri`); False, with an error, when it breaks them. ``relative``: a path
        on the record's own site (an image file name, an alias) is fine too."""
        problem = check_web_iri(value, relative=relative)
        if problem is None:
            return True
        fix = ("give the full https:// address, or a path on the site" if relative
               else "give the article's full https:// address")
        self.error(path, f"{path} {value[:80]!r} {problem}", fix, rule)
        return False

    def image(self) -> Image | None:
        path, value = self._lookup("featured_image")
        if value is None:
            return None
        if isinstance(value, str):
            href = value.strip()
            return Image(href=href if self.address(path, href, "record.featured_image.url", relative=True) else None)
        if not isinstance(value, dict):
            self.error(path, f"{path} should be a mapping (href, alt, format, size)", "see docs/data-model.md",
                       "record.featured_image.type", severity=Severity.WARNING)
            return None
        def s(k):
            v = value.get(k)
            return " ".join(v.split()) if isinstance(v, str) and v.strip() else None
        width = height = None
        size = value.get("size")
        if isinstance(size, list) and len(size) == 2 and all(isinstance(x, str) and x.isdigit() for x in size):
            width, height = int(size[0]), int(size[1])
        elif size is not None:
            self.error(f"{path}.size", f"{path}.size should be [width, height] in pixels", "write e.g. [800, 445]",
                       "record.featured_image.size", severity=Severity.WARNING)
        for part in ("href", "alt", "format", "size"):
            self.used.add((path.split(".")[0], part) if path else ("featuredImage", part))
        href = s("href")
        if href is not None and not self.address(f"{path}.href", href, "record.featured_image.url", relative=True):
            href = None  # never written as schema:contentUrl
        return Image(href=href, alt=s("alt"), format=s("format"), width=width, height=height)

    def extra(self) -> dict:
        """Every part of the front matter that no role used, so nothing is lost."""
        used = self.used

        def prune(node: dict, prefix: tuple[str, ...]) -> dict:
            out = {}
            for k, v in node.items():
                key = str(k)
                here = prefix + (key,)
                if here in used:
                    continue
                if isinstance(v, dict):
                    v = prune(v, here)
                    if not v:  # a mapping with nothing left in it is not kept
                        continue
                out[key] = v
            return out
        return prune(self.data, ())


_LINE_ROLES = ("id", "title", "description", "authors", "date", "last_mod", "topics", "tags", "link_brand",
               "link_href", "link_original", "featured_image")
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,62}\.)*[a-z0-9\-]{1,63}\.?")
_WORDY_DOMAIN = re.compile(r"[\w\-.]+")


def _recase(label: str, case: str) -> str:
    if case == "lower":
        return label.lower()
    if case == "upper":
        return label.upper()
    if case == "title":
        return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in label.split())
    return label


#: characters that look like the colon between vendor and label (full-width, small, modifier letter, ratio...)
_COLON_LOOKALIKES = "\uff1a\ufe55\ufe13\ua789\u2236\u02d0\u0589\u05c3\u2805"
