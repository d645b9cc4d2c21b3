"""A mapped record's graph as SHACL validates it: its own triples, the entities it names, and stand-ins for the
taxonomy nodes it names, parsed for the screen and shared between records."""

from __future__ import annotations

import functools
from collections import Counter

from ..mapping import count_mentions, entity_nquads
from ..mapping.mapper import file_statement, statement_lists
from ..shacl import Graph, Shared, parse_triple
from .context import Context

__all__ = ["record_graph", "own_triples"]

_ENTITIES = "urn:topicgraph:entities"


def record_graph(mapped, ctx: Context) -> Graph:
    """The graph a mapped record is validated as: the record's own triples, the entity descriptions it implies,
    and a stand-in description of each taxonomy node it names (a minimal valid one, which satisfies the record's
    ``sh:class`` checks without re-validating the taxonomy for every record).

    Entity descriptions and stand-ins are parsed once per process (corpora name the same authors, brands and
    topics again and again) and their parsed triples are shared between records' graphs (nothing changes a graph
    once made). The N-Triples text is only joined if pyshacl needs it (the screen settles nearly every record
    without it)."""
    own = getattr(mapped, "own", None)
    triples, named = own if own is not None else own_triples(mapped.nquads)
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
            frag = _entity_fragment(ent, spelling)
        else:  # spelled two ways in one record: the usual rule picks one spelling
            frag = _Fragment(entity_nquads({ent: counted}, _ENTITIES))
        shared.append(frag)
        named |= frag.named
    stubs = ctx.taxonomy_stubs
    for iri in sorted(named & stubs.keys()):
        shared.append(_stub_fragment(stubs[iri]))
        scheme = getattr(ctx.taxonomy.concepts.get(iri), "scheme", None)
        if scheme in stubs and scheme not in named:
            named.add(scheme)
            shared.append(_stub_fragment(stubs[scheme]))
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
                    known = set(have)  # membership in the list would be quadratic in the objects a record gives
                    have += [o for o in objs if o not in known]
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


@functools.lru_cache(maxsize=50_000)
def _predicate_object(po: str) -> tuple | None:
    """``(p, o)`` of the statement ``<s> po`` as :func:`~topicgraph.shacl.parse_triple` reads it after any plain
    IRI subject; None when it cannot. Most repeat from record to record (types, topics, authors, formats)."""
    parsed = parse_triple("<> " + po)
    return None if parsed is None else parsed[1:]


def own_triples(nquads: str) -> tuple[dict | None, set[str]]:
    """What ``_Fragment(nquads)`` gives as ``(triples, named)``, without keeping the lines: the record's own
    triples, parsed once and never shared, so not copied either. (Validation has the mapper hand them over
    parsed, :attr:`~topicgraph.mapping.MappedRecord.own`; this is for a record it could not, and the tests.)"""
    triples: dict = {}
    named: set[str] = set()
    for line in nquads.split("\n"):
        if not line:
            continue
        t = line.rsplit(" ", 2)[0]
        s, _, po = t.partition(" ")
        # a statement is what parse_triple reads when its subject is a plain IRI and its predicate and object are
        # (as parse_triple would read them after any such subject)
        plain = s[:1] == "<" and s[-1:] == ">" and "\\" not in s and len(po) < 200
        got = _predicate_object(po) if plain else parse_triple(t)
        if got is None:
            frag = _Fragment(nquads)  # the slow path, for its names
            return None, set(frag.named)
        if plain:
            p, o = got
        else:
            s, p, o = got
        file_statement(triples, named, s, p, o)
        if o.__class__ is str and o[0] == "<":
            named.add(o[1:-1])
    return statement_lists(triples), named


class _Fragment:
    """Some N-Quads or N-Triples lines: as N-Triples lines, parsed (None when the screen cannot read them), and
    the IRIs they name in subject or object position."""

    __slots__ = ("lines", "triples", "named")

    def __init__(self, text: str, quads: bool = True) -> None:
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


@functools.lru_cache(maxsize=100_000)
def _entity_fragment(entity: str, spelling: tuple) -> _Fragment:
    """The description of an entity spelled one way, parsed once per process."""
    return _Fragment(entity_nquads({entity: Counter({spelling: 1})}, _ENTITIES))


@functools.lru_cache(maxsize=100_000)
def _stub_fragment(stub: str) -> _Fragment:
    """A taxonomy node's stand-in description, parsed once per process."""
    return _Fragment(stub, quads=False)
