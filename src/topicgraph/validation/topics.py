"""Topics against the taxonomy: a vendor that nearly spells a known one (an error) or a topic its scheme lacks (a
warning), each with a did-you-mean; any other vendor without a scheme is a new vendor (a warning), decided as the
build decides it (``taxonomy.extract.is_new_vendor``)."""

from __future__ import annotations

import functools
from collections import defaultdict

from ..errors import Finding, Severity
from ..iris import key, label_key
from ..records import DEFAULT_PROFILE, Profile
from ..taxonomy.extract import is_new_vendor, new_vendor_finding, vendor_typo, vendor_typo_finding
from ..taxonomy.similar import close_matches
from .locate import RecordIndex, Where

__all__ = ["topic_findings", "did_you_mean"]


def did_you_mean(word: str, choices: dict[str, str], n: int = 3) -> list[str]:
    """The values of ``choices`` (normalised text -> what to suggest) whose keys a person would take for ``word``
    (``taxonomy.similar``: a misspelling, or the same words with one misspelt or left out).

    >>> did_you_mean("Patent Acquisition", {"patient acquisition": "Medigy: Patient Acquisition", "ai": "Medigy: AI"})
    ['Medigy: Patient Acquisition']
    """
    return close_matches(word, choices, n)


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
        # a corpus names the same few hundred topics again and again
        self.topic = functools.lru_cache(maxsize=100_000)(self._topic)

    def _topic(self, vendor: str, label: str) -> tuple:
        """``(scheme or None, concept IRI, known)`` of a topic (scheme_for and resolve, three label_key calls)."""
        return (self.taxonomy.scheme_for(vendor),) + self.taxonomy.resolve(vendor, label)

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


@functools.lru_cache(maxsize=8)
def _vocabulary(taxonomy) -> _Vocabulary:
    """The vocabulary of a loaded taxonomy (a :class:`~topicgraph.taxonomy.Taxonomy` is hashed by identity)."""
    return _Vocabulary(taxonomy)


def topic_findings(rec, taxonomy, index: RecordIndex | None = None,
                   profile: Profile = DEFAULT_PROFILE) -> list[Finding]:
    """A vendor that nearly spells a known one (error) or a topic its vendor's scheme lacks (warning), each with a
    did-you-mean from the taxonomy's prefLabels and altLabels (of the same scheme; of every scheme when the vendor is
    a slip); any other vendor without a scheme is a new vendor (warning), as in the build."""
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
        if is_new_vendor(topic.vendor, scheme, profile, taxonomy):
            out.append(new_vendor_finding(rec.path, topic, line=where.line, field=where.field))
            continue
        if scheme is None:
            known = vendor_typo(topic.vendor, taxonomy, profile)
            out.append(vendor_typo_finding(rec.path, topic, known, taxonomy, line=where.line, field=where.field,
                                           guess=_mean(vocab.guesses(None, topic.vendor, topic.label))))
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
