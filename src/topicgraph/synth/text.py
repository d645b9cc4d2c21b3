"""Text of a record: sentences that mention given labels among filler, titles, paragraphs, YAML scalars, dates."""

from __future__ import annotations

import datetime as _dt
from random import Random
from typing import Sequence

from .vocabulary import tokens
from .words import FILLER_SENTENCES, ORGS, PAIR_SENTENCES, TITLES_ONE, TITLES_TWO, TOPIC_SENTENCES, WHO


def yaml_quote(value: str) -> str:
    """A YAML single-quoted scalar on one line."""
    if "\n" in value or "\r" in value:  # pragma: no cover - generated values are single-line
        raise ValueError("multi-line value")
    return "'" + value.replace("'", "''") + "'"


def slugify(text: str) -> str:
    return "-".join(tokens(text.replace("’", "").replace("'", "")))


def fill_template(rng: Random, template: str, t: str = "", u: str = "") -> str:
    return template.format(T=t, U=u, org=rng.choice(ORGS), who=rng.choice(WHO), pct=rng.randrange(12, 91),
                           year=rng.randrange(2016, 2027), num=rng.randrange(2, 16))


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def topic_sentences(rng: Random, labels: Sequence[str], total: int) -> list[str]:
    """Sentences mentioning each label once (some in pairs) plus filler, topic sentences spread through."""
    topic: list[str] = []
    todo = list(labels)
    rng.shuffle(todo)
    while todo:
        if len(todo) >= 2 and rng.random() < 0.3:
            topic.append(fill_template(rng, rng.choice(PAIR_SENTENCES), todo.pop(), todo.pop()))
        else:
            topic.append(fill_template(rng, rng.choice(TOPIC_SENTENCES), todo.pop()))
    n_fill = max(1, total - len(topic))
    fill = [fill_template(rng, s) for s in rng.sample(FILLER_SENTENCES, min(n_fill, len(FILLER_SENTENCES)))]
    out = fill + topic[1:]
    rng.shuffle(out)
    if topic:  # lead with a topic sentence most of the time, as curated summaries do
        out.insert(0 if rng.random() < 0.7 else min(1, len(out)), topic[0])
    return [_capitalize(s) for s in out]


def paragraphs(rng: Random, sentences: list[str], lo: int, hi: int) -> list[str]:
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(lo, hi)
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return paras


def headline(rng: Random, labels: Sequence[str]) -> str:
    if len(labels) >= 2:
        return fill_template(rng, rng.choice(TITLES_TWO), labels[0], labels[1])
    return fill_template(rng, rng.choice(TITLES_ONE), labels[0])


def iso_timestamp(dt: _dt.datetime, micro: int) -> str:
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}.{micro:06d}Z"


EPOCH = _dt.datetime(2015, 1, 1)
SPAN_SECONDS = int((_dt.datetime(2025, 1, 1) - EPOCH).total_seconds())
