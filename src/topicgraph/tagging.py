"""Topic suggestions for records without curated topics, from the taxonomy's labels found in their text.

Machine suggestions are kept apart from curated topics: never ``schema:about``, but
``article tg:suggestedTopic [ a tg:TopicSuggestion ; tg:topic concept ; tg:score ; tg:rank ; tg:evidence ]`` in
the named graph ``IriMinter(base).graph("suggestions")``, so an analyst can always tell a curator's choice from a
machine's guess.

Matching and scoring (docs/taxonomy.md has a worked example):

- every ``skos:prefLabel`` and ``skos:altLabel`` is a phrase; a phrase matches the text case-insensitively, on
  word boundaries, with any run of spaces or hyphens between its words. A label written in capitals without a space
  (``AI``, ``CX``, ``HIT``) is an abbreviation and matches only in capitals, so ``hit`` or ``ex`` in prose do not
  count;
- overlapping matches go to the longest phrase (leftmost first): "patient experience" counts once for the concept
  labelled *Patient Experience*, not also for one labelled *Experience*;
- a concept's weight in a text is the sum, over its labels, of (times matched x words in the label), hyphenated
  parts counting as words: longer labels are more specific, so they weigh more;
- rarity: ``idf = 1 + ln((1 + N) / (1 + df))`` over a corpus of N texts, ``df`` of them mentioning the concept; a
  concept every text mentions keeps its weight (``idf = 1``), a rarer one gains. The corpus is the build's
  untagged articles when a build is given (:func:`suggest_store`, and :func:`suggest_files` with ``store``), so a
  file gets the same scores whether it is tagged alone or with others; without a build, the texts tagged together;
- ``score = round(weight x idf, 3)``; a concept is suggested when its score reaches ``min_score`` (default 2: one
  two-word label, or a one-word label twice), best first, at most ``top`` (default 5) per text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RecordError
from .iris import IriMinter
from .mapping.nquads import iri, literal
from .namespaces import DEFAULT_BASE_IRI, RDF, TG, XSD
from .records import DEFAULT_PROFILE, NotARecord, read_record
from .sources import discover_entries, display_path, link_problem
from .store import GraphStore, replace_graph
from .taxonomy import load_taxonomy

__all__ = ["Corpus", "Suggestion", "Tagger", "TaggedFile", "suggest_files", "suggest_store", "write_suggestions",
           "suggestion_ntriples", "store_texts", "SUGGESTIONS_GRAPH"]

SUGGESTIONS_GRAPH = "suggestions"
_SEP = r"[\s\-\u2010\u2011\u2012\u2013]+"


@dataclass(frozen=True)
class Suggestion:
    """One suggested topic for one text: the concept, its score and rank, and the phrases that matched."""

    concept: str
    topic: str  # "Vendor: Label"
    score: float
    rank: int
    weight: int
    evidence: tuple[tuple[str, int], ...]  # (phrase as written in the text, times matched), most frequent first

    def to_dict(self) -> dict:
        return {"topic": self.topic, "concept": self.concept, "score": self.score, "rank": self.rank,
                "weight": self.weight, "evidence": [{"phrase": p, "count": n} for p, n in self.evidence]}


@dataclass(frozen=True)
class Corpus:
    """The texts rarity is counted over: how many (``n``), and how many mention each concept (``df``)."""

    n: int
    df: Mapping[str, int]


@dataclass
class _Phrase:
    key: str
    words: int
    concepts: set[str] = field(default_factory=set)


def _words(label: str) -> list[str]:
    return [w for w in re.split(_SEP, label.strip()) if w]


def _is_abbreviation(label: str) -> bool:
    return not any(c.islower() for c in label) and not any(c.isspace() for c in label.strip())


class Tagger:
    """Finds the taxonomy's labels in text and scores concepts.

    >>> from topicgraph.taxonomy import load_taxonomy
    >>> t = Tagger(load_taxonomy())
    >>> found = t.suggest({"d": "Customer experience, CX and customer-experience."})["d"]
    >>> [(s.topic, s.score, s.evidence) for s in found]
    [('Gartner: Customer Experience', 5.0, (('Customer experience', 2), ('CX', 1)))]
    """

    def __init__(self, taxonomy) -> None:
        self.taxonomy = taxonomy
        phrases: dict[str, _Phrase] = {}
        for info in taxonomy.concepts.values():
            if info.scheme is None:
                continue
            for labels in (info.pref_labels, info.alt_labels):
                for values in labels.values():
                    for label in values:
                        words = _words(label)
                        if not words:
                            continue
                        abbreviation = _is_abbreviation(label)
                        k = " ".join(words) if abbreviation else " ".join(words).casefold()
                        k = ("=" if abbreviation else "~") + k
                        phrases.setdefault(k, _Phrase(k, len(words))).concepts.add(info.iri)
        self.phrases = phrases
        alternatives = []
        for k in sorted(phrases, key=lambda k: (-len(k), k)):
            body = _SEP.join(re.escape(w) for w in k[1:].split(" "))
            alternatives.append(f"(?P<p{len(alternatives)}>{body})" if k[0] == "=" else
                                f"(?P<p{len(alternatives)}>(?i:{body}))")
        self._keys = sorted(phrases, key=lambda k: (-len(k), k))
        self._regex = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)") if alternatives else None

    def matches(self, text: str) -> dict[str, dict[str, list]]:
        """``{concept: {phrase key: [times, first surface form]}}`` for one text (leftmost-longest matching)."""
        found: dict[str, dict[str, list]] = {}
        if self._regex is None:
            return found
        for m in self._regex.finditer(text):
            k = self._keys[int(m.lastgroup[1:])]
            surface = " ".join(m.group(0).split())
            for concept in self.phrases[k].concepts:
                slot = found.setdefault(concept, {}).setdefault(k, [0, surface])
                slot[0] += 1
        return found

    def corpus(self, texts: Iterable[str]) -> Corpus:
        """How many of ``texts`` there are and how many mention each concept: the rarity that scores count."""
        n = 0
        df: dict[str, int] = {}
        for text in texts:
            n += 1
            for concept in self.matches(text):
                df[concept] = df.get(concept, 0) + 1
        return Corpus(n, df)

    def suggest(self, texts: Mapping[str, str], *, top: int = 5, min_score: float = 2.0,
                corpus: Corpus | None = None) -> dict[str, list[Suggestion]]:
        """Suggestions for each text of ``texts`` (id -> text); ``idf`` over ``corpus`` (default: these texts)."""
        matched = {doc: self.matches(text) for doc, text in texts.items()}
        if corpus is None:
            n = len(texts)
            df: dict[str, int] = {}
            for found in matched.values():
                for concept in found:
                    df[concept] = df.get(concept, 0) + 1
        else:
            n, df = corpus.n, corpus.df
        out: dict[str, list[Suggestion]] = {}
        for doc, found in matched.items():
            scored = []
            for concept, by_phrase in found.items():
                weight = sum(times * self.phrases[k].words for k, (times, _) in by_phrase.items())
                idf = 1 + math.log((1 + n) / (1 + df.get(concept, 0)))
                score = round(weight * idf, 3)
                if score < min_score:
                    continue
                evidence = tuple(sorted(((surface, times) for times, surface in by_phrase.values()),
                                        key=lambda e: (-e[1], e[0].casefold())))
                scored.append((score, self._topic(concept), concept, weight, evidence))
            scored.sort(key=lambda s: (-s[0], s[1]))
            out[doc] = [Suggestion(concept, topic, score, rank, weight, evidence)
                        for rank, (score, topic, concept, weight, evidence) in enumerate(scored[:top], 1)]
        return out

    def _topic(self, concept: str) -> str:
        info = self.taxonomy.concepts[concept]
        return f"{self.taxonomy.schemes.get(info.scheme, info.scheme)}: {info.label}"


def _text(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------------------- files
@dataclass
class TaggedFile:
    """Suggestions for one record file (``tagged`` when it already has curated topics)."""

    file: str
    record_id: str | None
    article: str | None
    tagged: bool
    suggestions: list[Suggestion] = field(default_factory=list)
    problem: str | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "record_id": self.record_id, "article": self.article, "tagged": self.tagged,
                "problem": self.problem, "suggestions": [s.to_dict() for s in self.suggestions]}


def suggest_files(paths: Iterable[str | Path], *, taxonomy: str | Path | None = None, profile=None,
                  base_iri: str | None = None, include_tagged: bool = False, top: int = 5,
                  min_score: float = 2.0, store: str | Path | None = None) -> list[TaggedFile]:
    """Suggestions for each record under ``paths`` that has no curated topics (all of them with
    ``include_tagged``), read with ``profile`` (which fields hold the title, text and topics). Rarity is counted
    over the untagged articles of the build in ``store`` when one is given (the corpus :func:`suggest_store`
    scores), else over the records tagged together.

    >>> [(f.file, [s.topic for s in f.suggestions][:2]) for f in suggest_files(["seeds/004_7f7bd89bfa8fa00f.txt"])]
    [('seeds/004_7f7bd89bfa8fa00f.txt', ['Medigy: Patient Experience', 'Symplur: Patient Experience'])]
    """

    minter = IriMinter(base_iri or DEFAULT_BASE_IRI)
    tax = load_taxonomy(taxonomy)
    out: list[TaggedFile] = []
    texts: dict[int, str] = {}
    for path, skip in discover_entries(paths)[0]:
        display = display_path(path)
        if skip is not None:  # a symlink leading out of the paths is reported as the build reports it, unread
            if skip[0] in ("outside", "broken"):
                out.append(TaggedFile(display, None, None, False,
                                      problem=f"{link_problem(skip[0], display_path(skip[1]))}: not read"))
            continue
        try:
            rec = read_record(path, profile=profile or DEFAULT_PROFILE, display=display)
        except (NotARecord, RecordError) as exc:
            out.append(TaggedFile(display, None, None, False, problem=str(exc).split("; ")[0]))
            continue
        item = TaggedFile(display, rec.id, minter.article(rec.id), bool(rec.topics))
        out.append(item)
        if include_tagged or not rec.topics:
            texts[len(out) - 1] = _text(rec.title, rec.description, rec.body)
    tagger = Tagger(tax)
    corpus = tagger.corpus(store_texts(store).values()) if store is not None else None
    found = tagger.suggest({str(i): t for i, t in texts.items()}, top=top, min_score=min_score, corpus=corpus)
    for i in texts:
        out[i].suggestions = found[str(i)]
    return out


# ----------------------------------------------------------------------------------------------------- store
_UNTAGGED = """
SELECT ?article ?headline ?description ?body WHERE {
  ?article a schema:Article .
  FILTER NOT EXISTS { ?article schema:about ?topic }
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:description ?description }
  OPTIONAL { ?article schema:articleBody ?body }
} ORDER BY ?article"""


def suggest_store(folder: str | Path = "graph", *, taxonomy: str | Path | None = None, top: int = 5,
                  min_score: float = 2.0) -> dict[str, list[Suggestion]]:
    """Suggestions for every article of the build in ``folder`` that has no ``schema:about``, from its headline,
    description and body (the same text as :func:`suggest_files` reads from the file)."""

    return Tagger(load_taxonomy(taxonomy)).suggest(store_texts(folder), top=top, min_score=min_score)


def store_texts(folder: str | Path = "graph") -> dict[str, str]:
    """The text (headline, description, body) of every article of the build in ``folder`` without ``schema:about``,
    by article IRI: what :func:`suggest_store` tags, and the corpus its scores count rarity over."""
    store = GraphStore.open(folder)
    try:
        rows = store.query(_UNTAGGED)
    finally:
        store.close()
    return {r["article"]: _text(r.get("headline"), r.get("description"), r.get("body")) for r in rows}


def suggestion_ntriples(article: str, suggestions: Iterable[Suggestion]) -> list[str]:
    """N-Triples lines stating ``suggestions`` of ``article`` (node ``{article}#suggestion-{vendor}-{label}``)."""

    lines = []
    for s in suggestions:
        node = iri(f"{article}#suggestion-{s.concept.rstrip('/').rsplit('/', 2)[-2]}-"
                   f"{s.concept.rsplit('/', 1)[-1]}")
        lines += [f"{iri(article)} {iri(str(TG.suggestedTopic))} {node} .",
                  f"{node} {iri(str(RDF.type))} {iri(str(TG.TopicSuggestion))} .",
                  f"{node} {iri(str(TG.topic))} {iri(s.concept)} .",
                  f"{node} {iri(str(TG.score))} {literal(f'{s.score:.3f}', str(XSD.decimal))} .",
                  f"{node} {iri(str(TG.rank))} {literal(str(s.rank), str(XSD.integer))} ."]
        lines += [f"{node} {iri(str(TG.evidence))} {literal(phrase)} ." for phrase, _ in s.evidence]
    return lines


def write_suggestions(folder: str | Path, suggestions: Mapping[str, list[Suggestion]]) -> tuple[str, int]:
    """Replace the build's ``suggestions`` graph by ``suggestions`` (article IRI -> list); ``(graph IRI, triples)``.

    Close every reader of the store first (RocksDB allows one writer and no reader beside it).
    """
    lines = [line for article in sorted(suggestions) for line in suggestion_ntriples(article, suggestions[article])]
    return replace_graph(folder, SUGGESTIONS_GRAPH, lines)
