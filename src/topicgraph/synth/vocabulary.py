"""The topic vocabulary: labels chosen so that a label found in a record's text is one the generator put there."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from random import Random

from .config import Topic
from .synonyms import concept_of
from .words import (AIRLINES, CITIES, COMMENT_TAGS, DROP_LINE, FILLER_SENTENCES, FIRST_NAMES, HEADS, LAST_NAMES,
                    MEMBERS_BOILERPLATE, MODIFIERS, MONTH_NAMES, ORGS, PAIR_SENTENCES, SPAM, SUBHEADINGS,
                    SUBHEADINGS_T, THEMES, TITLES_ONE, TITLES_TWO, TOPIC_SENTENCES, WHO)


SEED_TOPICS: tuple[tuple[str, str], ...] = (
    ("Medigy", "Patient Acquisition"),
    ("Medigy", "Healthcare Consumer Engagement"),
    ("Gartner", "Customer Experience"),
    ("Symplur", "Patient Experience"),
)
_VENDOR_WEIGHT_FIRST = 2  # the first vendor gets twice the labels of each other vendor

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case alphanumeric tokens: the unit in which labels are matched against text (hyphens split words)."""
    return _TOKEN.findall(text.lower())


def label_tokens(label: str) -> tuple[str, ...]:
    return tuple(tokens(label))


def _slot_values() -> dict[str, tuple[str, ...]]:
    return {"org": ORGS, "who": WHO, "pct": ("42",), "year": ("2021",), "num": ("3",)}


@lru_cache(maxsize=1)
def filler_ngrams() -> frozenset[tuple[str, ...]]:
    """Every word n-gram (n <= 8) of the text the generator writes around topic mentions; no label may be one."""
    texts: list[str] = []
    slots = _slot_values()
    templates = (TOPIC_SENTENCES + PAIR_SENTENCES + FILLER_SENTENCES + TITLES_ONE + TITLES_TWO
                 + SUBHEADINGS_T + SUBHEADINGS)
    for tpl in templates:
        base = {k: v[0] for k, v in slots.items()} | {"T": "|", "U": "|"}
        texts.append(tpl.format(**base))
        for key, values in slots.items():
            if "{" + key + "}" in tpl:
                texts.extend(tpl.format(**(base | {key: v})) for v in values)
    texts.extend(SPAM)
    texts.extend(a + " " + c for a in AIRLINES for c in CITIES)
    texts += [MEMBERS_BOILERPLATE, COMMENT_TAGS, DROP_LINE, "Leave a Reply", "Responses to", "By"]
    texts.extend(FIRST_NAMES)
    texts.extend(LAST_NAMES)
    texts.extend(MONTH_NAMES)
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        for piece in text.split("|"):  # a topic slot separates pieces: no n-gram spans it
            toks = tokens(piece)
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + 8) + 1):
                    grams.add(tuple(toks[i:j]))
    return frozenset(grams)


def subgrams(toks: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {toks[i:j] for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)}


@lru_cache(maxsize=16)
def build_vocabulary(seed: int, groups: int, topics_per_group: int, vendors: tuple[str, ...]) -> tuple[Topic, ...]:
    """The ``groups * topics_per_group`` topics, group by group, each group in popularity order.

    Labels are unique across vendors, no label's words are a run of another label's words, and no label occurs in
    the generator's filler text, so a label found in a record's text is one the generator put there. No two topics
    of one vendor are one concept of the shipped taxonomy (:mod:`.synonyms`): a label whose drawn vendor already
    has its synonym goes to the next vendor that has not, so the planted topics stay distinct once built.
    """
    rng = Random(f"topicgraph.synth/vocabulary/{seed}")
    filler = filler_ngrams()
    chosen: set[tuple[str, ...]] = set()
    inside: set[tuple[str, ...]] = set()  # every run of words of a chosen label

    def accept(label: str, force: bool = False) -> bool:
        toks = label_tokens(label)
        subs = subgrams(toks)
        if not force and (not toks or toks in inside or subs & chosen or toks in filler):
            return False
        chosen.add(toks)
        inside.update(subs)
        return True

    seeds = [(v, label) for v, label in SEED_TOPICS if v in vendors]
    for _, label in seeds:
        if label_tokens(label) in filler:  # pragma: no cover - guarded by the tests
            raise AssertionError(f"seed topic label {label!r} occurs in the filler text")
        accept(label, force=True)
    seed_labels = {label for _, label in seeds}
    themes = [[lab for lab in theme if lab not in seed_labels] for theme in THEMES]
    for theme in themes:
        rng.shuffle(theme)
    spill = [lab for theme in themes[groups:] for lab in theme]
    rng.shuffle(spill)
    combos = [f"{m} {h}" for m in MODIFIERS for h in HEADS if m.split()[-1] != h.split()[0]]
    rng.shuffle(combos)
    spill_iter = itertools.chain(spill, combos)
    weights = [_VENDOR_WEIGHT_FIRST] + [1] * (len(vendors) - 1)
    out: list[Topic] = []
    taken = {(v, concept_of(v, label)) for v, label in seeds}
    for g in range(groups):
        members: list[tuple[str, str]] = list(seeds) if g == 0 else []
        own = iter(themes[g]) if g < len(themes) else iter(())
        for source in (own, spill_iter):
            for label in source:
                if len(members) >= topics_per_group:
                    break
                if accept(label):
                    vendor = rng.choices(vendors, weights)[0]
                    if (vendor, concept_of(vendor, label)) in taken:
                        free = [v for v in vendors if (v, concept_of(v, label)) not in taken]
                        if not free:
                            continue
                        vendor = free[0]
                    taken.add((vendor, concept_of(vendor, label)))
                    members.append((vendor, label))
        if len(members) < topics_per_group:
            raise ValueError(f"the vocabulary holds too few labels for {groups} groups x {topics_per_group} topics")
        out.extend(Topic(f"{v}: {lab}", v, lab, g, r) for r, (v, lab) in enumerate(members[:topics_per_group]))
    return tuple(out)
