"""SKOS integrity checks of the taxonomy (qSKOS/skosify style), as SPARQL, plus SHACL; and browsing helpers.

Each :class:`TaxonomyCheck` is one SPARQL ``SELECT`` whose rows are the offending nodes (the first projected
variable, ``?focus``, is the node to report); an empty answer means the rule holds. The queries use only SPARQL 1.1,
so rdflib and pyoxigraph give the same answers (``tests/test_turtle_sources.py`` runs both). :func:`check_taxonomy`
runs them, and the concept and scheme SHACL shapes, over the taxonomy's Turtle and reports each problem at the
file and line where the node is described.

>>> [f for f in check_taxonomy() if f.severity >= Severity.WARNING]  # the shipped taxonomy is clean
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, Severity, TopicgraphError
from ..shacl import Shapes, TurtleLines
from ..vocab import RDF, RDF_TYPE, SH, SKOS, SKOS_IN_SCHEME, TAX, TGSH
from ..sources import display_path

__all__ = ["TaxonomyCheck", "CHECKS", "PREFIXES", "check_taxonomy", "run_checks", "load_store",
           "concept_links", "concept_tree", "find_concept"]

#: Prepended to every query.
PREFIXES = f"""PREFIX skos: <{SKOS}>
PREFIX rdf: <{RDF}>
"""

_MAPPINGS = "skos:exactMatch skos:closeMatch skos:relatedMatch skos:broadMatch skos:narrowMatch"


@dataclass(frozen=True)
class TaxonomyCheck:
    """One SKOS integrity rule: a query selecting ``?focus`` (and more) for every violation.

    ``message`` and ``fix`` are ``str.format`` templates over the row's variables (IRIs shortened to ``tax:``
    names). ``predicate`` names the property to point at in the Turtle (an IRI, or ``?var`` to take it from the row).
    """

    rule: str
    title: str
    severity: Severity
    query: str
    message: str
    fix: str
    predicate: str | None = None


CHECKS: tuple[TaxonomyCheck, ...] = (
    TaxonomyCheck(
        "skos.stray-subject", "every subject is a concept or a scheme", Severity.WARNING,
        """SELECT DISTINCT ?focus WHERE {
          ?focus ?p ?o .
          FILTER NOT EXISTS { ?focus a skos:Concept }
          FILTER NOT EXISTS { ?focus a skos:ConceptScheme }
        }""",
        "{focus} is described but is neither a skos:Concept nor a skos:ConceptScheme",
        "check the IRI for a typo, or type it `a skos:Concept`"),
    TaxonomyCheck(
        "skos.dangling-concept", "no dangling concept reference", Severity.ERROR,
        f"""SELECT ?focus ?p ?o WHERE {{
          VALUES ?p {{ skos:broader skos:narrower skos:related skos:hasTopConcept {_MAPPINGS} }}
          ?focus ?p ?o .
          FILTER NOT EXISTS {{ ?o a skos:Concept }}
        }}""",
        "{focus} {p} {o}, which is not a concept of the taxonomy",
        "fix the IRI, or describe {o} as a skos:Concept", "?p"),
    TaxonomyCheck(
        "skos.dangling-scheme", "no dangling scheme reference", Severity.ERROR,
        """SELECT ?focus ?p ?o WHERE {
          VALUES ?p { skos:inScheme skos:topConceptOf }
          ?focus ?p ?o .
          FILTER NOT EXISTS { ?o a skos:ConceptScheme }
        }""",
        "{focus} {p} {o}, which is not a concept scheme of the taxonomy",
        "fix the IRI, or describe {o} as a skos:ConceptScheme", "?p"),
    TaxonomyCheck(
        "skos.one-scheme", "exactly one scheme per concept", Severity.ERROR,
        """SELECT DISTINCT ?focus WHERE {
          ?focus a skos:Concept .
          { FILTER NOT EXISTS { ?focus skos:inScheme ?any } }
          UNION
          { ?focus skos:inScheme ?s1, ?s2 . FILTER(!sameTerm(?s1, ?s2)) }
        }""",
        "{focus} is not in exactly one concept scheme",
        "give it one `skos:inScheme tax:{{vendor}}`, its vendor's scheme", SKOS_IN_SCHEME),
    TaxonomyCheck(
        "skos.pref-label-per-language", "one prefLabel per language", Severity.ERROR,
        """SELECT ?focus ?a ?b WHERE {
          ?focus skos:prefLabel ?a, ?b .
          FILTER(!sameTerm(?a, ?b) && LANG(?a) = LANG(?b) && STR(?a) < STR(?b))
        }""",
        "{focus} has two prefLabels in one language: {a} and {b}",
        "keep one as skos:prefLabel and make the other a skos:altLabel", SKOS + "prefLabel"),
    TaxonomyCheck(
        "skos.undocumented", "an English prefLabel and definition on every concept and scheme", Severity.WARNING,
        """SELECT ?focus WHERE {
          { ?focus a skos:Concept } UNION { ?focus a skos:ConceptScheme }
          FILTER (
            NOT EXISTS { ?focus skos:prefLabel ?l . FILTER(LANG(?l) = "en") } ||
            NOT EXISTS { ?focus skos:definition ?d . FILTER(LANG(?d) = "en") }
          )
        }""",
        "{focus} lacks an English skos:prefLabel or skos:definition",
        "add `skos:prefLabel \"...\"@en` and a one-sentence `skos:definition \"...\"@en`"),
    TaxonomyCheck(
        "skos.pref-alt-clash", "no label both pref and alt (case-insensitive)", Severity.ERROR,
        """SELECT ?focus ?pref ?alt WHERE {
          ?focus skos:prefLabel ?pref ; skos:altLabel ?alt .
          FILTER(LCASE(STR(?pref)) = LCASE(STR(?alt)))
        }""",
        "{focus} has {alt} both as prefLabel and as altLabel",
        "delete the altLabel {alt}", SKOS + "altLabel"),
    TaxonomyCheck(
        "skos.alt-label-repeated", "no repeated altLabel (case-insensitive)", Severity.WARNING,
        """SELECT ?focus ?a ?b WHERE {
          ?focus skos:altLabel ?a, ?b .
          FILTER(!sameTerm(?a, ?b) && LCASE(STR(?a)) = LCASE(STR(?b)) && STR(?a) <= STR(?b))
        }""",
        "{focus} repeats the altLabel {a} as {b}",
        "keep one of them", SKOS + "altLabel"),
    TaxonomyCheck(
        "skos.scheme-label-unique", "one scheme per vendor label", Severity.ERROR,
        """SELECT ?focus ?other ?label WHERE {
          ?focus a skos:ConceptScheme ; skos:prefLabel ?label .
          ?other a skos:ConceptScheme ; skos:prefLabel ?label2 .
          FILTER(!sameTerm(?focus, ?other) && STR(?other) < STR(?focus)
                 && LCASE(STR(?label)) = LCASE(STR(?label2)))
        }""",
        "{focus} has the label {label}, which the scheme {other} has too, so a topic naming that vendor could "
        "belong to either", "relabel one of the schemes, or merge them into one", SKOS + "prefLabel"),
    TaxonomyCheck(
        "skos.pref-label-unique", "prefLabel unique within a scheme", Severity.ERROR,
        """SELECT ?focus ?other ?label WHERE {
          ?focus skos:inScheme ?scheme ; skos:prefLabel ?label .
          ?other skos:inScheme ?scheme ; skos:prefLabel ?label2 .
          FILTER(!sameTerm(?focus, ?other) && STR(?other) < STR(?focus)
                 && LCASE(STR(?label)) = LCASE(STR(?label2)))
        }""",
        "{focus} has the prefLabel {label}, which {other} of the same scheme has too",
        "rename one of them, or merge the two concepts", SKOS + "prefLabel"),
    TaxonomyCheck(
        "skos.label-unique", "any label (pref or alt) unique within a scheme", Severity.ERROR,
        """SELECT ?focus ?other ?label ?p1 WHERE {
          VALUES (?p1 ?p2) { (skos:altLabel skos:prefLabel) (skos:altLabel skos:altLabel) }
          ?focus skos:inScheme ?scheme ; ?p1 ?label .
          ?other skos:inScheme ?scheme ; ?p2 ?label2 .
          FILTER(!sameTerm(?focus, ?other) && LCASE(STR(?label)) = LCASE(STR(?label2)))
          FILTER(?p2 = skos:prefLabel || STR(?other) < STR(?focus))
        }""",
        "{focus} has the label {label}, which {other} of the same scheme has too, so topics naming it are ambiguous",
        "keep the label on one concept only", "?p1"),
    TaxonomyCheck(
        "skos.broader-cycle", "no broader cycle", Severity.ERROR,
        """SELECT DISTINCT ?focus WHERE { ?focus (skos:broader|^skos:narrower)+ ?focus }""",
        "{focus} is its own broader concept through a cycle of skos:broader/skos:narrower",
        "remove one link of the cycle", SKOS + "broader"),
    TaxonomyCheck(
        "skos.hierarchy-inverse", "broader and narrower stated both ways", Severity.WARNING,
        """SELECT ?focus ?other WHERE {
          { ?focus skos:broader ?other . FILTER NOT EXISTS { ?other skos:narrower ?focus } }
          UNION
          { ?other skos:narrower ?focus . FILTER NOT EXISTS { ?focus skos:broader ?other } }
        }""",
        "{focus} skos:broader {other} is not stated both ways",
        "state both `{focus} skos:broader {other}` and `{other} skos:narrower {focus}`", SKOS + "broader"),
    TaxonomyCheck(
        "skos.hierarchy-across-schemes", "hierarchy stays inside one scheme", Severity.ERROR,
        """SELECT ?focus ?p ?other WHERE {
          VALUES ?p { skos:broader skos:narrower skos:related }
          ?focus ?p ?other ; skos:inScheme ?scheme .
          FILTER NOT EXISTS { ?other skos:inScheme ?scheme }
        }""",
        "{focus} {p} {other}, a concept of another scheme",
        "link concepts of different vendors with a mapping (skos:closeMatch, ...) in mappings.ttl", "?p"),
    TaxonomyCheck(
        "skos.top-concepts", "top concepts consistent", Severity.WARNING,
        """SELECT DISTINCT ?focus ?scheme WHERE {
          { ?scheme skos:hasTopConcept ?focus . FILTER NOT EXISTS { ?focus skos:topConceptOf ?scheme } }
          UNION
          { ?focus skos:topConceptOf ?scheme . FILTER NOT EXISTS { ?scheme skos:hasTopConcept ?focus } }
          UNION
          { ?focus skos:topConceptOf ?scheme . FILTER NOT EXISTS { ?focus skos:inScheme ?scheme } }
          UNION
          { ?focus skos:topConceptOf ?scheme ; skos:broader ?up }
          UNION
          { ?focus a skos:Concept ; skos:inScheme ?scheme .
            FILTER NOT EXISTS { ?focus skos:broader ?up }
            FILTER NOT EXISTS { ?focus skos:topConceptOf ?scheme } }
        }""",
        "{focus} is inconsistently a top concept of {scheme} (topConceptOf, hasTopConcept, inScheme and broader "
        "must agree)",
        "a concept without skos:broader is `skos:topConceptOf` its scheme and listed in its `skos:hasTopConcept`"),
    TaxonomyCheck(
        "skos.orphan", "no orphan concept", Severity.WARNING,
        """SELECT ?focus WHERE {
          ?focus a skos:Concept .
          FILTER NOT EXISTS { ?focus skos:broader|skos:narrower|skos:related|skos:topConceptOf ?x }
          FILTER NOT EXISTS { ?y skos:broader|skos:narrower|skos:related|skos:hasTopConcept ?focus }
        }""",
        "{focus} is an orphan: no broader, narrower or related concept, and not a top concept",
        "place it in the hierarchy with skos:broader, or make it a top concept of its scheme"),
    TaxonomyCheck(
        "skos.exact-match-in-scheme", "no exactMatch chain inside one scheme", Severity.ERROR,
        """SELECT DISTINCT ?focus ?other WHERE {
          ?focus (skos:exactMatch|^skos:exactMatch)+ ?other .
          ?focus skos:inScheme ?scheme . ?other skos:inScheme ?scheme .
          FILTER(!sameTerm(?focus, ?other))
        }""",
        "{focus} and {other} are in the same scheme but joined by skos:exactMatch (which is transitive)",
        "merge the two concepts, or use skos:closeMatch for one of the links", SKOS + "exactMatch"),
    TaxonomyCheck(
        "skos.mapping-in-scheme", "mappings only across schemes", Severity.ERROR,
        f"""SELECT ?focus ?p ?other WHERE {{
          VALUES ?p {{ {_MAPPINGS} }}
          ?focus ?p ?other .
          ?focus skos:inScheme ?scheme . ?other skos:inScheme ?scheme .
        }}""",
        "{focus} {p} {other}, a concept of the same scheme",
        "inside one scheme use skos:broader, skos:narrower or skos:related", "?p"),
    TaxonomyCheck(
        "skos.mapping-inverse", "mappings stated both ways", Severity.WARNING,
        """SELECT ?focus ?p ?other WHERE {
          VALUES (?p ?inverse) {
            (skos:exactMatch skos:exactMatch) (skos:closeMatch skos:closeMatch)
            (skos:relatedMatch skos:relatedMatch)
            (skos:broadMatch skos:narrowMatch) (skos:narrowMatch skos:broadMatch)
          }
          ?focus ?p ?other .
          FILTER NOT EXISTS { ?other ?inverse ?focus }
        }""",
        "{focus} {p} {other} is not stated from {other} back",
        "add the inverse mapping in mappings.ttl", "?p"),
    TaxonomyCheck(
        "skos.mapping-clash", "associative and hierarchical/equivalence links never on one pair", Severity.ERROR,
        """SELECT DISTINCT ?focus ?other ?p WHERE {
          { ?focus skos:relatedMatch ?other .
            ?focus skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:broader|skos:narrower ?other
            BIND(skos:relatedMatch AS ?p) }
          UNION
          { ?focus skos:relatedMatch ?other . ?focus (skos:exactMatch|^skos:exactMatch)+ ?other
            BIND(skos:relatedMatch AS ?p) }
          UNION
          { ?focus skos:exactMatch ?other . ?focus skos:broadMatch|skos:narrowMatch ?other BIND(skos:exactMatch AS ?p) }
          UNION
          { ?focus skos:related ?other . ?focus (skos:broader|skos:narrower)+ ?other BIND(skos:related AS ?p) }
        }""",
        "{focus} {p} {other}, and the two are also linked as equivalent or hierarchical",
        "keep only the stronger link", "?p"),
)


# --------------------------------------------------------------------------------------------------- locating
@dataclass
class _Source:
    path: Path
    display: str
    lines: TurtleLines
    triples: set = field(default_factory=set)  # (subject, predicate) pairs stated in this file
    objects: dict = field(default_factory=dict)  # object IRI -> first (subject, predicate) naming it




def load_store(files: Sequence[Path]):
    """The taxonomy's Turtle in one in-memory pyoxigraph store (default graph); TopicgraphError when unreadable."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for path in files:
        try:
            store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        except (SyntaxError, OSError) as exc:
            raise TopicgraphError(f"{path}: cannot read the taxonomy: {exc}") from None
    return store


class _Locator:
    def __init__(self, files: Sequence[Path]) -> None:
        import pyoxigraph

        self.sources: list[_Source] = []
        for path in files:
            text = path.read_text(encoding="utf-8")
            src = _Source(path, display_path(path), TurtleLines(text))
            for t in pyoxigraph.parse(input=text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE,
                                      base_iri=path.resolve().as_uri()):
                src.triples.add((t.subject.value, t.predicate.value))
                src.objects.setdefault(t.object.value, (t.subject.value, t.predicate.value))
            self.sources.append(src)
        self.prefixes: dict[str, str] = {"skos": SKOS}
        for src in self.sources:
            for p, base in src.lines.prefixes.items():
                self.prefixes.setdefault(p, base)

    def locate(self, node: str, prop: str | None) -> tuple[str, int | None]:
        """The file and line stating ``node prop ...``; else where ``node`` is typed; else its first mention."""
        if prop is not None:
            for src in self.sources:
                if (node, prop) in src.triples:
                    return src.display, src.lines.line(node, prop)
        for src in self.sources:
            if (node, RDF_TYPE) in src.triples:
                return src.display, src.lines.line(node)
        for src in self.sources:
            if any(s == node for s, _ in src.triples):
                return src.display, src.lines.line(node)
        for src in self.sources:  # described nowhere: point at where it is named
            if node in src.objects:
                return src.display, src.lines.line(*src.objects[node])
        return (self.sources[0].display if self.sources else "taxonomy"), None

    def short(self, iri: str) -> str:
        best = None
        for prefix, base in {**self.prefixes, "tgsh": TGSH, "sh": SH}.items():
            if iri.startswith(base) and re.fullmatch(r"[\w.~%-]+", iri[len(base):]):
                cand = f"{prefix}:{iri[len(base):]}"
                if best is None or len(cand) < len(best):
                    best = cand
        return best or f"<{iri}>"


def _text(term, short) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return short(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return f'"{term.value}"' + (f"@{term.language}" if term.language else "")
    return str(term)


def run_checks(store, *, checks: Iterable[TaxonomyCheck] = CHECKS) -> list[tuple[TaxonomyCheck, dict]]:
    """Run the checks over a pyoxigraph store: ``(check, row)`` for every violation, rows as ``{variable: term}``."""
    return list(_rows(store, checks))


def check_taxonomy(folder: str | Path | None = None, *, shapes: str | Path | None = None, shacl: bool = True,
                   checks: Iterable[TaxonomyCheck] = CHECKS) -> list[Finding]:
    """Every integrity problem of the taxonomy in ``folder`` (default: the shipped one), located in its Turtle.

    Runs :data:`CHECKS` and, unless ``shacl=False``, the SHACL shapes of ``shapes`` (default: the shipped
    ``ontology/shapes/``) over the merged taxonomy. Raises :class:`TopicgraphError` when a file cannot be read.
    """
    from . import taxonomy_files

    files = taxonomy_files(folder)
    store = load_store(files)
    locator = _Locator(files)
    findings: list[Finding] = []
    for check, row in run_checks(store, checks=checks):
        focus = row.get("focus")
        values = {k: _text(v, locator.short) for k, v in row.items()}
        prop = check.predicate
        if prop and prop.startswith("?"):
            term = row.get(prop[1:])
            prop = term.value if term is not None else None
        file, line = locator.locate(focus.value if focus is not None else "", prop)
        findings.append(Finding(file, check.message.format(**values), severity=check.severity, line=line,
                                field=locator.short(prop) if prop else None, rule=check.rule,
                                fix=check.fix.format(**values), node=focus.value if focus is not None else None))
    if shacl:
        findings.extend(_shacl_findings(files, locator, shapes))
    findings.sort(key=lambda f: (f.file, f.line or 0, f.rule, f.message))
    return findings


def _rows(store, checks):
    for check in checks:
        for solution in store.query(PREFIXES + check.query):
            yield check, {name: solution[name] for name in _variables(check.query) if solution[name] is not None}


def _variables(query: str) -> list[str]:
    head = query[: query.upper().index("WHERE")]
    return list(dict.fromkeys(re.findall(r"\?(\w+)", head)))


def _shacl_findings(files: Sequence[Path], locator: _Locator, shapes) -> list[Finding]:
    import rdflib

    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    shapes_graph = Shapes.load(shapes)
    out = []
    for r in shapes_graph.validate(graph):
        prop = r.path or shapes_graph.implied_path(r.shape)
        file, line = locator.locate(r.focus, prop)
        out.append(r.finding(file, line=line, field=locator.short(prop) if prop else None, short=locator.short))
    return out


# --------------------------------------------------------------------------------------------------- browsing
_LINKS = ("broader", "narrower", "related", "exactMatch", "closeMatch", "relatedMatch", "broadMatch", "narrowMatch",
          "topConceptOf")


def concept_links(store, iri: str) -> dict[str, list[str]]:
    """Every SKOS link of a concept, by property local name (``broader``, ``closeMatch``, ...), IRIs sorted."""
    import pyoxigraph

    node = pyoxigraph.NamedNode(iri)
    out: dict[str, list[str]] = {}
    for name in _LINKS:
        values = sorted(q.object.value for q in store.quads_for_pattern(node, pyoxigraph.NamedNode(SKOS + name), None)
                        if isinstance(q.object, pyoxigraph.NamedNode))
        if values:
            out[name] = values
    return out


def concept_tree(taxonomy, scheme: str) -> list[tuple[int, str]]:
    """The concepts of ``scheme`` depth first as ``(depth, IRI)``, top concepts first, children sorted by label.

    A concept in a ``skos:broader`` cycle is listed once, where the walk first meets it.
    """
    members = {iri: c for iri, c in taxonomy.concepts.items() if c.scheme == scheme}
    children: dict[str, list[str]] = {}
    roots = []
    for iri, c in members.items():
        parents = [b for b in c.broader if b in members]
        if not parents:
            roots.append(iri)
        for b in parents:
            children.setdefault(b, []).append(iri)

    def by_label(i: str) -> tuple[str, str]:
        return members[i].label.casefold(), i

    out: list[tuple[int, str]] = []
    seen: set[str] = set()

    def walk(iri: str, depth: int) -> None:
        if iri in seen:
            return
        seen.add(iri)
        out.append((depth, iri))
        for child in sorted(children.get(iri, []), key=by_label):
            walk(child, depth + 1)

    for root in sorted(roots, key=by_label):
        walk(root, 0)
    for iri in sorted(set(members) - seen, key=by_label):  # only cycles are left
        walk(iri, 0)
    return out


def find_concept(taxonomy, text: str) -> str | None:
    """The concept named by an IRI, a ``tax:`` name, or ``Vendor: Label`` (prefLabel or altLabel); else None.

    >>> from topicgraph.taxonomy import load_taxonomy
    >>> find_concept(load_taxonomy(), "Gartner: CX")
    'https://w3id.org/topicgraph/taxonomy/gartner/customer-experience'
    """
    text = text.strip()
    if text.startswith("tax:"):
        text = TAX + text[4:]
    if text in taxonomy.concepts:
        return text
    vendor, sep, label = text.partition(":")
    if sep:
        iri, known = taxonomy.resolve(vendor.strip(), label.strip())
        if known:
            return iri
    return None
