"""Checking one file: a record (read, fields, topics, SHACL of its mapped graph) or an RDF file (parse, SHACL).

:func:`check_file` returns a JSON-ready *summary* of one file: its findings (see :func:`_strip`; without the file
name, so a cached
summary stays valid when only the display path is re-derived) and what the cross-record checks need (the record's
id, URLs and digest). Everything here depends only on the file's bytes, its path, and the :class:`Context`
(taxonomy, shapes, profile, base IRI), which is what the cache is keyed by.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, RecordError, Severity
from ..iris import IriMinter, key, label_key
from ..namespaces import DEFAULT_BASE_IRI
from ..records import DEFAULT_PROFILE, MAX_BYTES, NotARecord, Profile, parse_record
from .locate import RdfLines, RecordIndex, Where, item_lines
from .shacl import Shapes

__all__ = ["Context", "check_file", "check_files", "RDF_EXTENSIONS", "topic_findings", "did_you_mean"]

#: file extension -> (RdfLines kind, pyoxigraph format name)
RDF_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".ttl": ("ttl", "TURTLE"), ".nt": ("nt", "N_TRIPLES"), ".nq": ("nq", "N_QUADS"), ".trig": ("trig", "TRIG"),
    ".jsonld": ("jsonld", "JSON_LD"), ".rdf": ("xml", "RDF_XML"), ".owl": ("xml", "RDF_XML"),
}
_FORMAT_NAMES = {"TURTLE": "Turtle", "N_TRIPLES": "N-Triples", "N_QUADS": "N-Quads", "TRIG": "TriG",
                 "JSON_LD": "JSON-LD", "RDF_XML": "RDF/XML"}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ABOUT = "http://schema.org/about"


@dataclass
class Context:
    """What checking a file needs besides the file: loaded once per process and reused for every file."""

    taxonomy: object
    mapper: object
    shapes: Shapes
    profile: Profile = DEFAULT_PROFILE
    max_bytes: int = MAX_BYTES
    taxonomy_types: dict[str, str] = field(default_factory=dict)  # taxonomy node -> its class IRI
    taxonomy_stubs: dict[str, str] = field(default_factory=dict)  # taxonomy node -> minimal N-Triples description
    _taxonomy_nt: str | None = None
    _memo: dict = field(default_factory=dict)  # entity / stand-in -> its N-Triples lines, parsed

    @classmethod
    def create(cls, *, taxonomy: str | Path | None = None, shapes: str | Path | None = None,
               profile: Profile = DEFAULT_PROFILE, base_iri: str = DEFAULT_BASE_IRI,
               max_bytes: int = MAX_BYTES) -> "Context":
        from ..mapping import Mapper
        from ..taxonomy import load_taxonomy

        from ..mapping.nquads import literal

        tax = load_taxonomy(taxonomy, strict=False)  # an ambiguous vendor is a finding of the taxonomy check
        types = {iri: _SKOS + "Concept" for iri in tax.concepts}
        types.update({iri: _SKOS + "ConceptScheme" for iri in tax.schemes})
        # A record's graph names taxonomy nodes; a minimal valid description of each (type, English label, scheme)
        # satisfies the record's sh:class checks without re-validating the taxonomy for every record.
        stubs = {iri: f"<{iri}> <{_RDF_TYPE}> <{_SKOS}ConceptScheme> .\n<{iri}> <{_SKOS}prefLabel> "
                      f"{literal(label, lang='en')} .\n" for iri, label in tax.schemes.items()}
        for iri, info in tax.concepts.items():
            stubs[iri] = f"<{iri}> <{_RDF_TYPE}> <{_SKOS}Concept> .\n<{iri}> <{_SKOS}prefLabel> " \
                         f"{literal(info.label, lang='en')} .\n" + \
                         (f"<{iri}> <{_SKOS}inScheme> <{info.scheme}> .\n" if info.scheme else "")
        from .screen import typed_literal

        # the mapper hands over each record's statements parsed as well (MappedRecord.own): not read back here
        mapper = Mapper(IriMinter(base_iri), tax, triples=typed_literal)
        return cls(tax, mapper, Shapes.load(shapes), profile, max_bytes, types, stubs)

    def taxonomy_nt(self) -> str:
        """The taxonomy as N-Triples (mixed into RDF files, so that their topics' ``sh:class`` checks can pass)."""
        if self._taxonomy_nt is None:
            import pyoxigraph

            parts = []
            for path in self.taxonomy.files:
                for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE,
                                          base_iri=path.resolve().as_uri()):
                    parts.append(f"{t.subject} {t.predicate} {t.object} .\n")
            self._taxonomy_nt = "".join(parts)
        return self._taxonomy_nt


def _summary(kind: str, findings: list[Finding], **extra) -> dict:
    out = {"kind": kind, "findings": [_strip(f) for f in findings]}
    out.update(extra)
    return out


def _strip(f: Finding) -> list:
    """A finding without its file, as a list (decoded several times faster than an object from the cache):
    message, severity, line, field, rule, fix, node."""
    return [f.message, str(f.severity), f.line, f.field, f.rule, f.fix, f.node]


def check_file(path: Path, display: str, ctx: Context) -> dict:
    """Check one file; never raises for bad input (a pyshacl crash raises :class:`~.shacl.ShaclCrash`)."""
    return check_files([(path, display)], ctx)[0]


def check_files(items: list[tuple[Path, str]], ctx: Context, digests: list | None = None) -> list[dict]:
    """Check many files, as :func:`check_file` would one by one, with the records' SHACL done together.

    Each record's graph (with its stand-ins) is screened (:mod:`.screen`); the few that might not conform go to
    pyshacl in batches (:meth:`.shacl.Shapes.results_for`), and each result comes back to its own record.
    With ``digests`` (one entry per item), each entry that is None becomes the sha256 of the bytes checked, when
    the file could be read (so the caller need not read and hash it again).
    """
    out: list[dict | None] = [None] * len(items)
    pending: list[tuple[int, _Pending]] = []
    for n, (path, display) in enumerate(items):
        want = digests is not None and digests[n] is None
        got = _check_one(path, display, ctx, digests if want else None, n)
        if isinstance(got, _Pending):
            pending.append((n, got))
        else:
            out[n] = got
    if pending:
        results = ctx.shapes.results_for([p.nt for _, p in pending], ignore=ctx.taxonomy_types.keys())
        for (n, p), found in zip(pending, results):
            out[n] = p.finish(found, ctx)
    return out  # type: ignore[return-value]


def _check_one(path, display: str, ctx: Context, digests: list | None = None, n: int = 0):
    path = os.fspath(path)
    kind = RDF_EXTENSIONS.get(os.path.splitext(path)[1].lower())
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > ctx.max_bytes:
                return _summary("record", [Finding(display, f"file is {size:,} bytes, over the limit of "
                                                   f"{ctx.max_bytes:,} bytes for one record",
                                                   rule="record.size",
                                                   fix="split it, or raise the limit with --max-bytes")])
            data = fh.read()
    except OSError as exc:
        return _summary("record", [Finding(display, f"cannot read the file: {exc.strerror or exc}", rule="record.io",
                                           fix="check that the file exists and is readable")])
    if digests is not None:
        digests[n] = hashlib.sha256(data).hexdigest()
    if kind is not None:
        return check_rdf(data, display, kind, ctx)
    return _check_record(data, display, ctx)


# ----------------------------------------------------------------------------------------------------- records
def check_record(data: bytes, display: str, ctx: Context) -> dict:
    """Stages 1-3 for one record: can it be read, do its fields make sense, does its mapped RDF conform."""
    got = _check_record(data, display, ctx)
    if isinstance(got, _Pending):
        got = got.finish(ctx.shapes.results_for([got.nt], ignore=ctx.taxonomy_types.keys())[0], ctx)
    return got


@dataclass
class _Pending:
    """A record checked up to SHACL: its findings so far, and its graph waiting for its SHACL results."""

    rec: object
    index: RecordIndex
    findings: list[Finding]
    nt: object  # a screen.Graph

    def finish(self, results, ctx: Context) -> dict:
        findings = self.findings
        findings.extend(_dedupe(findings, _locate(results, self.rec, self.index, ctx)))
        return _record_summary(self.rec, self.index, findings)


def _check_record(data: bytes, display: str, ctx: Context):
    try:
        rec = parse_record(data, display, profile=ctx.profile)
    except NotARecord as exc:
        return _summary("other", [Finding(display, f"not a record ({exc}): not checked", severity=Severity.INFO,
                                          rule="record.not-a-record",
                                          fix="nothing to do if it is not meant to be a record")])
    except RecordError as exc:
        findings = _item_lines(exc.findings, _text(data))
        if exc.record is not None:  # its other fields were read: check its topics too, so one run says it all
            index = RecordIndex(exc.record, ctx.mapper, ctx.profile, lambda: _text(data))
            findings += topic_findings(exc.record, ctx.taxonomy, index)
        return _summary("record", findings)
    index = RecordIndex(rec, ctx.mapper, ctx.profile, lambda: _text(data))  # the text only if something is located
    findings = list(rec.findings) + topic_findings(rec, ctx.taxonomy, index)
    try:
        mapped = ctx.mapper.map(rec)
    except ValueError as exc:
        findings.append(Finding(display, f"cannot be mapped to RDF: {exc}", rule="record.mapping",
                                fix="remove the characters that make the IRI unsafe"))
        return _record_summary(rec, index, findings)
    return _Pending(rec, index, findings, _record_graph(mapped, ctx))


def _record_summary(rec, index: RecordIndex, findings: list[Finding]) -> dict:
    id_where = index.role("id")
    urls = []
    for role in ("link_original", "link_href"):
        value = getattr(rec.link, role.removeprefix("link_"))
        if value and value not in [u[0] for u in urls]:
            where = index.role(role)
            urls.append([value, where.line, where.field])
    return _summary("record", findings, id=rec.id, id_line=id_where.line, id_field=id_where.field,
                    sha256=rec.sha256, urls=urls[:1] if urls else [])


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _item_lines(findings: list[Finding], text: str) -> list[Finding]:
    """Point a finding about ``field[i]`` at the line of item i of a block list (the reader gives the key's line)."""
    import re
    from dataclasses import replace

    out = []
    for f in findings:
        m = re.fullmatch(r".+\[(\d+)\]", f.field or "")
        if m and f.line is not None:
            lines = item_lines(text, f.line, None)
            if int(m.group(1)) < len(lines):
                f = replace(f, line=lines[int(m.group(1))])
        out.append(f)
    return out


def did_you_mean(word: str, choices: dict[str, str], n: int = 3) -> list[str]:
    """The values of ``choices`` (normalised text -> what to suggest) whose keys are close to ``word``.

    >>> did_you_mean("Patent Acquisition", {"patient acquisition": "Medigy: Patient Acquisition", "ai": "Medigy: AI"})
    ['Medigy: Patient Acquisition']
    """
    close = difflib.get_close_matches(label_key(word), list(choices), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(choices[c] for c in close))[:n]


class _Vocabulary:
    """The taxonomy's labels arranged for did-you-mean, with answers remembered (corpora repeat their topics)."""

    def __init__(self, taxonomy) -> None:
        self.taxonomy = taxonomy
        self.vendors = {label_key(label): label for label in taxonomy.schemes.values()}
        self.everything: dict[str, str] = {}
        self.by_scheme: dict[str, dict[str, str]] = defaultdict(dict)
        for scheme, label in taxonomy.schemes.items():
            for lab, iri in taxonomy.labels_in(scheme).items():
                name = f"{label}: {taxonomy.concepts[iri].label}"
                self.by_scheme[scheme][lab] = name
                self.everything.setdefault(lab, name)
        self.memo: dict[tuple, list[str]] = {}
        self.topics: dict[tuple[str, str], tuple] = {}

    def topic(self, vendor: str, label: str) -> tuple:
        """``(scheme or None, concept IRI, known)`` of a topic (scheme_for and resolve, three label_key calls,
        remembered: a corpus names the same few hundred topics again and again)."""
        k = (vendor, label)
        got = self.topics.get(k)
        if got is None:
            if len(self.topics) > 100_000:
                self.topics.clear()
            got = self.topics[k] = (self.taxonomy.scheme_for(vendor),) + self.taxonomy.resolve(vendor, label)
        return got

    def guesses(self, scheme: str | None, vendor: str, label: str) -> list[str]:
        k = (scheme, label_key(vendor), label_key(label))
        if k not in self.memo:
            if scheme is None:
                found = []
                for v in did_you_mean(vendor, self.vendors, 2):
                    iri, known = self.taxonomy.resolve(v, label)
                    found.append(f"{v}: {self.taxonomy.concepts[iri].label}" if known else v)
                found += did_you_mean(label, self.everything)
            else:
                found = did_you_mean(label, self.by_scheme[scheme])
            self.memo[k] = found
        return self.memo[k]


_VOCABULARIES: dict[int, _Vocabulary] = {}


def _vocabulary(taxonomy) -> _Vocabulary:
    v = _VOCABULARIES.get(id(taxonomy))
    if v is None or v.taxonomy is not taxonomy:
        v = _VOCABULARIES[id(taxonomy)] = _Vocabulary(taxonomy)
    return v


def topic_findings(rec, taxonomy, index: RecordIndex | None = None) -> list[Finding]:
    """An unknown vendor (error) or a topic its vendor's scheme lacks (warning), each with a did-you-mean from the
    taxonomy's prefLabels and altLabels (of the same scheme; of every scheme when the vendor is unknown)."""
    out: list[Finding] = []
    vocab = _vocabulary(taxonomy)
    topics_field = None
    for i, topic in enumerate(rec.topics):
        scheme, concept, known = vocab.topic(topic.vendor, topic.label)
        if scheme is not None and known:
            continue
        where = index.topic(concept) if index else None
        if where is None:
            if topics_field is None:
                topics_field = index.field_name("topics") if index else "communityTopics"
            where = Where(f"{topics_field}[{i}]", rec.line_of("topics"))
        if scheme is None:
            fix = _mean(vocab.guesses(None, topic.vendor, topic.label)) + \
                f"The vendors are {', '.join(sorted(vocab.vendors.values()))}; a new vendor needs its own " \
                f"taxonomy/{key(topic.vendor)}.ttl"
            out.append(Finding(rec.path, f"topic {str(topic)!r} names the vendor {topic.vendor!r}, which has no "
                               "concept scheme in the taxonomy", severity=Severity.ERROR, line=where.line,
                               field=where.field, rule="record.topics.unknown-vendor", fix=fix))
            continue
        vendor = taxonomy.schemes[scheme]
        guesses = vocab.guesses(scheme, topic.vendor, topic.label)
        fix = _mean(guesses) + ("Otherwise add" if guesses else "Add") + \
            f" the concept to taxonomy/{key(vendor)}.ttl"
        out.append(Finding(rec.path, f"topic {str(topic)!r} is not in the {vendor} scheme of the taxonomy",
                           severity=Severity.WARNING, line=where.line, field=where.field,
                           rule="record.topics.unknown-topic", fix=fix, node=concept))
    return out


def _mean(guesses: list[str]) -> str:
    guesses = list(dict.fromkeys(guesses))
    if not guesses:
        return ""
    also = f" (also close: {', '.join(repr(g) for g in guesses[1:3])})" if len(guesses) > 1 else ""
    return f"did you mean {guesses[0]!r}?{also} "


def _record_graph_nt(mapped, ctx: Context) -> str:
    """The record's own triples, the entity descriptions it implies, and a stand-in description of each taxonomy
    node it names (a minimal valid one, which satisfies the record's ``sh:class`` checks without re-validating the
    taxonomy for every record), as N-Triples."""
    return _record_graph(mapped, ctx).text


def _record_graph(mapped, ctx: Context):
    """:func:`_record_graph_nt` as a :class:`~.screen.Graph`. Entity descriptions and stand-ins are parsed once
    per process (corpora name the same authors, brands and topics again and again) and their parsed triples are
    shared between records' graphs (nothing changes a graph once made). The N-Triples text is only joined if
    pyshacl needs it (the screen settles nearly every record without it)."""
    from ..mapping import count_mentions, entity_nquads
    from .screen import Graph

    memo = ctx._memo
    if len(memo) > 200_000:
        memo.clear()
    own = getattr(mapped, "own", None)
    triples, named = own if own is not None else _own_triples(mapped.nquads)
    shared: list[_Fragment] = []
    # each entity's one spelling in this record, as count_mentions would count it (a plain dictionary: Counters
    # cost a few microseconds a record); an entity spelled two ways needs the counts, and the usual rule
    spelled: dict[str, tuple] = {}
    for m in mapped.entities:
        spelling = (m.kind, m.label, m.extra)
        if spelled.setdefault(m.iri, spelling) != spelling:
            spelled = {}
            break
    mentions: dict = {}
    if not spelled and mapped.entities:
        count_mentions(mentions, mapped.entities)
    for ent in sorted(spelled or mentions):
        counted = mentions.get(ent)
        if counted is None or len(counted) == 1:
            spelling = spelled[ent] if counted is None else next(iter(counted))
            k = ("entity", ent, spelling)
            frag = memo.get(k)
            if frag is None:
                frag = memo[k] = _Fragment(entity_nquads({ent: Counter({spelling: 1}) if counted is None else counted},
                                                         "urn:topicgraph:entities"))
        else:  # spelled two ways in one record: the usual rule picks one spelling
            frag = _Fragment(entity_nquads({ent: counted}, "urn:topicgraph:entities"))
        shared.append(frag)
        named |= frag.named
    stubs = ctx.taxonomy_stubs
    for iri in sorted(named & stubs.keys()):
        shared.append(_stub(ctx, iri))
        scheme = getattr(ctx.taxonomy.concepts.get(iri), "scheme", None)
        if scheme in stubs and scheme not in named:
            named.add(scheme)
            shared.append(_stub(ctx, scheme))
    for frag in shared:
        if triples is None:
            break
        if frag.triples is None:
            triples = None
            break
        for subject, preds in frag.triples.items():
            mine = triples.get(subject)
            if mine is None:
                triples[subject] = preds  # shared, never changed
            else:
                merged = {p: list(objs) for p, objs in mine.items()}
                for p, objs in preds.items():
                    have = merged.setdefault(p, [])
                    have += [o for o in objs if o not in have]
                triples[subject] = merged
    nquads = mapped.nquads

    def text() -> str:
        return "".join(_nt_lines(nquads)) + "".join(line for frag in shared for line in frag.lines)

    return Graph(triples, build=text)


def _nt_lines(nquads: str) -> list[str]:
    """N-Quads lines as N-Triples lines (the graph name and the final dot dropped, `` .\n`` put back).

    Lines end at ``\n`` only: str.splitlines would also break at U+0085, U+2028 and U+2029, which a literal may
    hold as they are (a record's front matter kept as rdf:JSON), and cut its statement in two."""
    return [line.rsplit(" ", 2)[0] + " .\n" for line in nquads.split("\n") if line]


_PO: dict[str, tuple] = {}  # "<p> O" -> (p, o) as parse_triple gives them


def _own_triples(nquads: str) -> tuple[dict | None, set[str]]:
    """What ``_Fragment(nquads)`` gives as ``(triples, named)``, without keeping the lines: the record's own
    triples, parsed once and never shared, so not copied either. (Validation has the mapper hand them over
    parsed, :attr:`~topicgraph.mapping.MappedRecord.own`; this is for a record it could not, and the tests.)"""
    from ..mapping.mapper import file_statement
    from .screen import parse_triple

    triples: dict | None = {}
    named: set[str] = set()
    memo = _PO
    if len(memo) > 50_000:
        memo.clear()
    for line in nquads.split("\n"):
        if not line:
            continue
        t = line.rsplit(" ", 2)[0]
        s, _, po = t.partition(" ")
        # the predicate and object, parsed once per process: most repeat from record to record (types, topics,
        # authors, formats); a statement is what parse_triple reads when its subject is a plain IRI and its
        # predicate and object are (as parse_triple would read them after any such subject)
        got = memo.get(po) if len(po) < 200 else None
        if got is None or s[:1] != "<" or s[-1:] != ">" or "\\" in s:
            parsed = parse_triple(t)
            if parsed is None:
                frag = _Fragment(nquads)  # the slow path, for its names
                return None, set(frag.named)
            s, p, o = parsed
            if len(po) < 200:
                memo[po] = (p, o)
        else:
            p, o = got
        file_statement(triples, named, s, p, o)
        if o.__class__ is str and o[0] == "<":
            named.add(o[1:-1])
    return triples, named


class _Fragment:
    """Some N-Quads or N-Triples lines: as N-Triples lines, parsed (None when the screen cannot read them), and
    the IRIs they name in subject or object position."""

    __slots__ = ("lines", "triples", "named")

    def __init__(self, text: str, quads: bool = True) -> None:
        from .screen import Shared, parse_triple

        self.lines: list[str] = []
        triples: dict | None = {}
        named: set[str] = set()
        for line in text.split("\n"):
            if not line:
                continue
            t = line.rsplit(" ", 2)[0] if quads else line.removesuffix(" .")  # no graph name, no final dot
            self.lines.append(t + " .\n")
            parsed = parse_triple(t)
            if parsed is None:
                triples = None
                for term in t.split(" ")[::2]:
                    if term.startswith("<") and term.endswith(">"):
                        named.add(term[1:-1])
                continue
            s, p, o = parsed
            named.add(s[1:-1])
            if isinstance(o, str) and o[0] == "<":
                named.add(o[1:-1])
            if triples is not None:
                objs = triples.setdefault(s, Shared()).setdefault(p, [])  # Shared: never changed once made
                if o not in objs:
                    objs.append(o)
        self.triples, self.named = triples, frozenset(named)

    def copy_triples(self) -> dict | None:
        if self.triples is None:
            return None
        return {s: {p: list(objs) for p, objs in preds.items()} for s, preds in self.triples.items()}


def _stub(ctx: Context, iri: str) -> "_Fragment":
    k = ("stub", iri)
    if k not in ctx._memo:
        ctx._memo[k] = _Fragment(ctx.taxonomy_stubs[iri], quads=False)
    return ctx._memo[k]


def _record_shacl(mapped, rec, index: RecordIndex, ctx: Context) -> list[Finding]:
    """The SHACL findings of one mapped record, located at its fields."""
    graph = _record_graph(mapped, ctx)
    return _locate(ctx.shapes.results_for([graph], ignore=ctx.taxonomy_types.keys())[0], rec, index, ctx)


def _locate(results, rec, index: RecordIndex, ctx: Context) -> list[Finding]:
    out = []
    for r in results:
        if r.focus in ctx.taxonomy_types:
            continue  # the taxonomy's own nodes are checked once, in the taxonomy stage
        path = r.path or ctx.shapes.implied_path(r.shape)
        value = r.value[1:-1] if r.value and r.value.startswith("<") else None
        where = index.locate(r.focus, path, value)
        out.append(r.finding(rec.path, line=where.line, field=where.field, short=_short))
    return out


def _dedupe(earlier: list[Finding], new: list[Finding]) -> list[Finding]:
    """Drop SHACL findings that repeat a record finding on the same field at the same severity (a plain article
    without a title gets the reader's warning, not that and the shape's)."""
    seen = {(f.field, f.severity) for f in earlier}
    return [f for f in new if (f.field, f.severity) not in seen]


def _short(iri: str) -> str:
    from ..namespaces import PREFIXES

    prefixes = dict(PREFIXES, tgsh="https://w3id.org/topicgraph/shapes#", sh="http://www.w3.org/ns/shacl#")
    for prefix, base in prefixes.items():
        if iri.startswith(base) and iri[len(base):] and "/" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"


# ----------------------------------------------------------------------------------------------------- RDF files
def check_rdf(data: bytes, display: str, kind: tuple[str, str], ctx: Context) -> dict:
    """Parse an RDF file (every statement, any named graph) and validate it against the shapes.

    The taxonomy is added to the data graph for the ``sh:class`` checks of topics, and results about the taxonomy's
    own nodes are left to the taxonomy stage.
    """
    import pyoxigraph
    import rdflib

    lines_kind, fmt = kind
    try:
        quads = list(pyoxigraph.parse(input=data, format=getattr(pyoxigraph.RdfFormat, fmt),
                                      base_iri=Path(display).resolve().as_uri()))
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", None) or str(exc)
        name = _FORMAT_NAMES.get(fmt, fmt)
        fix = "correct the syntax at that line" if line else "correct the file so that it parses"
        if fmt == "JSON_LD":
            fix += "; remote @context documents are never fetched: put the context in the file"
        return _summary("rdf", [Finding(display, f"not valid {name}: {msg}", line=line, rule="rdf.syntax",
                                        fix=fix)])
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    described = {q.subject.value for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}
    graph = rdflib.Graph()
    graph.parse(data=nt + ctx.taxonomy_nt(), format="nt")
    text = data.decode("utf-8", errors="replace")
    lines = RdfLines(text, lines_kind)
    out = []
    for r in ctx.shapes.validate(graph):
        if r.focus in ctx.taxonomy_types and r.focus not in described:
            continue
        path = r.path or ctx.shapes.implied_path(r.shape)
        out.append(r.finding(display, line=lines.line(r.focus, path), field=_short(path) if path else None,
                             short=_short))
    digest = hashlib.sha256(data).hexdigest()
    return _summary("rdf", out, sha256=digest, triples=len(quads))
