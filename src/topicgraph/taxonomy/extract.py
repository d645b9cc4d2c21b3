"""New vendors' concept schemes from a corpus: the topics whose vendor the taxonomy lacks, as SKOS Turtle; and the
one decision, shared by the build and `validate`, whether a vendor without a scheme is a new vendor (a warning)
or a slip for a known one (an error).

>>> from topicgraph.records import Topic
>>> found = extract_schemes([[Topic("Blog", "ai")], [Topic("Blog", "AI")], [Topic("Blog", "ai ")]], Taxonomy())
>>> c = found[0].concepts[0]
>>> c.pref_label, c.hidden_labels, c.records
('AI', ['ai'], 3)
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import Finding, RecordError, Severity
from ..iris import IriMinter, key, label_key
from ..records import DEFAULT_PROFILE, MAX_BYTES, NotARecord, Profile, Topic, read_record
from ..sources import discover_entries, display_path
from ..vocab import SKOS, TAX
from .index import Taxonomy
from .similar import WHOLE, similarity

__all__ = ["NEW_VENDOR_RULE", "VENDOR_TYPO_RULE", "is_new_vendor", "vendor_typo", "new_vendor_finding",
           "vendor_typo_finding", "NewConcept", "NewScheme", "extract_schemes",
           "corpus_topics", "schemes_turtle"]

NEW_VENDOR_RULE = "record.topics.new-vendor"
#: a vendor with no scheme whose name nearly spells a known vendor's
VENDOR_TYPO_RULE = "record.topics.unknown-vendor"


def vendor_typo(vendor: str, taxonomy: Taxonomy, profile: Profile = DEFAULT_PROFILE) -> str | None:
    """The vendor that ``vendor`` (which has no scheme) nearly spells, or None: one of the taxonomy's vendors, or
    the profile's ``default_vendor``. ``Gartnr`` is likelier a slip for ``Gartner`` than a new vendor (closeness as
    :func:`.similar.similarity` judges it); the default vendor itself is never a slip.

    >>> from topicgraph.taxonomy import load_taxonomy
    >>> tax = load_taxonomy()
    >>> vendor_typo("Gartnr", tax), vendor_typo("Symplr", tax), vendor_typo("Acme", tax), vendor_typo("Gartner", tax)
    ('Gartner', 'Symplur', None, None)
    >>> vendor_typo("Hospitl Blog", tax, Profile(default_vendor="Hospital Blog"))
    'Hospital Blog'
    """
    default = profile.default_vendor
    if default is not None and label_key(vendor) == label_key(default):
        return None
    return _typo(label_key(vendor), taxonomy, default)


@lru_cache(maxsize=4096)  # a corpus names the same few vendors in record after record
def _typo(vendor: str, taxonomy: Taxonomy, default: str | None) -> str | None:
    names = list(taxonomy.schemes.values()) + ([default] if default is not None else [])
    best = max(((similarity(vendor, name), name) for name in names if label_key(name) != vendor),
               default=(0.0, None))
    return best[1] if best[0] >= WHOLE else None


def is_new_vendor(vendor: str, scheme: str | None, profile: Profile, taxonomy: Taxonomy | None = None) -> bool:
    """The one decision the build and `validate` share about a topic's vendor that has no ``scheme`` in the
    taxonomy: True for a new vendor (a warning in both; the build maps it under a scheme of its own), False for a
    slip (:func:`vendor_typo`: an error in both; the build skips the record). The profile's ``default_vendor`` is
    always a new vendor: the site's own topics.

    >>> is_new_vendor("blog", None, Profile(default_vendor="Blog")), is_new_vendor("Acme", None, DEFAULT_PROFILE)
    (True, True)
    """
    return scheme is None and (taxonomy is None or vendor_typo(vendor, taxonomy, profile) is None)


def new_vendor_finding(path: str, topic: Topic, *, line: int | None = None, field: str | None = None) -> Finding:
    """The warning for a topic under a new vendor, the same from the build and from `validate`."""
    return Finding(path, f"topic {str(topic)!r} is under a new vendor: {topic.vendor!r} has no concept scheme in "
                   "the taxonomy", severity=Severity.WARNING, line=line, field=field, rule=NEW_VENDOR_RULE,
                   fix=f"make its scheme with `topicgraph taxonomy extract SOURCES --profile PROFILE -o "
                       f"{key(topic.vendor)}.ttl` and pass a --taxonomy folder holding it beside the shipped files",
                   node=IriMinter.concept(topic.vendor, topic.label))


def vendor_typo_finding(path: str, topic: Topic, known: str, taxonomy: Taxonomy, *, line: int | None = None,
                        field: str | None = None, guess: str = "") -> Finding:
    """The error for a topic whose vendor nearly spells the known vendor ``known``, the same from the build and from
    `validate` (``guess``: a did-you-mean for the whole topic, when the caller has one)."""
    vendors = ", ".join(sorted(taxonomy.schemes.values(), key=str.casefold))
    which = f"the vendors are {vendors}" if known in taxonomy.schemes.values() else "the profile's default_vendor"
    fix = (guess or f"did you mean {known!r}? ") + f"Write the vendor as {known!r} ({which}); " \
        f"if {topic.vendor!r} really is another vendor, make its scheme with `topicgraph taxonomy extract` and " \
        "pass it with --taxonomy"
    return Finding(path, f"topic {str(topic)!r} names the vendor {topic.vendor!r}, which has no concept scheme in "
                   f"the taxonomy and is close to {known!r}", severity=Severity.ERROR, line=line, field=field,
                   rule=VENDOR_TYPO_RULE, fix=fix)


@dataclass
class NewConcept:
    """One topic of a new vendor, its spellings folded: the label to prefer, the others, and how many records."""

    iri: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)  # spellings that fold to another label key
    hidden_labels: list[str] = field(default_factory=list)  # spellings differing from the prefLabel in case/spacing
    records: int = 0


@dataclass
class NewScheme:
    """A vendor of the corpus that the taxonomy lacks, with its concepts (sorted by IRI)."""

    iri: str
    label: str
    concepts: list[NewConcept]
    records: int = 0


def preferred(spellings: Counter) -> str:
    """The spelling to show: one with capitals when there is one (acronyms and names keep them), then the most
    used, ties broken by sort order.

    >>> preferred(Counter({"ai": 9, "AI": 2}))
    'AI'
    >>> preferred(Counter({"mhealth app": 5, "mHealth app": 1, "MHealth App": 1}))
    'MHealth App'
    """
    capital = [s for s in spellings if any(ch.isupper() for ch in s)]
    pool = capital or list(spellings)
    return min(pool, key=lambda s: (-spellings[s], s))


def extract_schemes(records: Iterable[Sequence[Topic]], taxonomy: Taxonomy) -> list[NewScheme]:
    """The schemes of the vendors in ``records`` (each given as its topics) that ``taxonomy`` lacks.

    Topics fold into one concept when the build would give them one IRI (case, spacing and ``_`` folded), so a
    build whose taxonomy holds these schemes resolves every one of them."""
    vendors: dict[str, Counter] = defaultdict(Counter)  # scheme IRI -> vendor spellings
    vendor_records: Counter = Counter()
    concept_records: Counter = Counter()
    spellings: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))  # scheme -> concept -> ..
    for topics in records:
        seen: set[tuple[str, str]] = set()
        schemes_seen: set[str] = set()
        for topic in topics:
            if taxonomy.scheme_for(topic.vendor) is not None:
                continue
            scheme, concept = IriMinter.scheme(topic.vendor), IriMinter.concept(topic.vendor, topic.label)
            label = " ".join(topic.label.split())
            if (concept, label) in seen:
                continue
            if (concept, "") not in seen:
                concept_records[concept] += 1
            seen.update([(concept, label), (concept, "")])
            spellings[scheme][concept][label] += 1
            if scheme not in schemes_seen:
                schemes_seen.add(scheme)
                vendors[scheme][" ".join(topic.vendor.split())] += 1
                vendor_records[scheme] += 1
    out = []
    for scheme in sorted(spellings):
        concepts = []
        for iri, counted in sorted(spellings[scheme].items()):
            pref = preferred(counted)
            others = sorted(s for s in counted if s != pref)
            concepts.append(NewConcept(iri, pref, [s for s in others if label_key(s) != label_key(pref)],
                                       [s for s in others if label_key(s) == label_key(pref)],
                                       concept_records[iri]))
        out.append(NewScheme(scheme, preferred(vendors[scheme]), concepts, vendor_records[scheme]))
    return out


def corpus_topics(sources: Iterable[str | Path], *, profile: Profile = DEFAULT_PROFILE,
                  max_bytes: int = MAX_BYTES) -> list[list[Topic]]:
    """The topics of each record under ``sources``, as the build reads them (a record with errors elsewhere still
    gives the topics that could be read)."""
    entries, _ = discover_entries(sources)
    out = []
    for path, skip in entries:
        if skip is not None:
            continue
        try:
            rec = read_record(path, profile=profile, max_bytes=max_bytes, display=display_path(path))
        except NotARecord:
            continue
        except RecordError as exc:
            rec = exc.record
            if rec is None:
                continue
        out.append(list(rec.topics))
    return out


def _lit(text: str) -> str:
    # a JSON string's escapes (\" \\ \n \t \uXXXX ...) are all Turtle escapes too
    return json.dumps(text, ensure_ascii=False) + "@en"


def _count(n: int) -> str:
    return f"used by {n} record{'' if n == 1 else 's'}"


def schemes_turtle(schemes: Sequence[NewScheme], *, source: str = "the corpus") -> str:
    """The schemes as Turtle, one flat scheme per vendor: every concept a top concept, its record count as
    ``skos:scopeNote``.

    >>> print(schemes_turtle([NewScheme(TAX + "blog", "Blog", [NewConcept(TAX + "blog/ai", "AI", [], ["ai"], 2)], 2)]))
    ... # doctest: +ELLIPSIS
    # Concept schemes extracted by `topicgraph taxonomy extract` from the corpus...
    <https://w3id.org/topicgraph/taxonomy/blog/ai>
        a skos:Concept ;
        skos:prefLabel "AI"@en ;
        skos:hiddenLabel "ai"@en ;
        skos:scopeNote "used by 2 records"@en ;
        skos:inScheme <https://w3id.org/topicgraph/taxonomy/blog> ;
        skos:topConceptOf <https://w3id.org/topicgraph/taxonomy/blog> .
    <BLANKLINE>
    """
    lines = [f"# Concept schemes extracted by `topicgraph taxonomy extract` from {source}: one per vendor the "
             "taxonomy lacks,",
             "# flat (no skos:broader yet) and without definitions; review the labels, then add definitions and "
             "a hierarchy.", "", f"@prefix skos: <{SKOS}> .", ""]
    for scheme in schemes:
        lines += [f"<{scheme.iri}>", "    a skos:ConceptScheme ;", f"    skos:prefLabel {_lit(scheme.label)} ;",
                  f"    skos:scopeNote {_lit(_count(scheme.records))} ;"]
        tops = " ,\n        ".join(f"<{c.iri}>" for c in scheme.concepts)
        lines += [f"    skos:hasTopConcept\n        {tops} .", ""]
        for c in scheme.concepts:
            lines += [f"<{c.iri}>", "    a skos:Concept ;", f"    skos:prefLabel {_lit(c.pref_label)} ;"]
            if c.alt_labels:
                lines.append(f"    skos:altLabel {' , '.join(_lit(s) for s in c.alt_labels)} ;")
            if c.hidden_labels:
                lines.append(f"    skos:hiddenLabel {' , '.join(_lit(s) for s in c.hidden_labels)} ;")
            lines += [f"    skos:scopeNote {_lit(_count(c.records))} ;", f"    skos:inScheme <{scheme.iri}> ;",
                      f"    skos:topConceptOf <{scheme.iri}> .", ""]
    return "\n".join(lines)
