"""The weights of the related-items score, with their documented defaults (the formula is in :mod:`.related`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from ..errors import TopicgraphError

__all__ = ["RelatedWeights", "DEFAULT_WEIGHTS"]


@dataclass(frozen=True)
class RelatedWeights:
    """The weights of the related-items score (documented defaults; see the module docstring for the formula).

    >>> RelatedWeights.parse(["brand=0", "half_life=365"]).brand
    0.0
    """

    topic: float = 1.0            # a topic both articles are about, × its idf
    exact_match: float = 0.8      # a topic of one is skos:exactMatch a topic of the other, × √(idf·idf)
    close_match: float = 0.6      # ... skos:closeMatch ...
    related_match: float = 0.3    # ... skos:relatedMatch ...
    author: float = 0.5           # each shared author
    brand: float = 0.25           # the same source brand (publisher)
    half_life: float | None = None  # days; when set, the score halves for every half_life days between the dates
    threshold: float = 0.0        # results must score at least this much

    def mapping(self, kind: str) -> float:
        return {"exactMatch": self.exact_match, "closeMatch": self.close_match,
                "relatedMatch": self.related_match}[kind]

    @classmethod
    def parse(cls, assignments, base: "RelatedWeights | None" = None) -> "RelatedWeights":
        """``["brand=0", "half_life=365"]`` (names as in this class; ``-`` may stand for ``_``) over ``base``."""
        names = {f.name for f in fields(cls)}
        changes: dict[str, float | None] = {}
        for item in assignments:
            name, sep, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in names:
                raise TopicgraphError(f"bad weight {item!r}: write NAME=VALUE with NAME one of {', '.join(sorted(names))}")
            if name == "half_life" and value.strip().lower() in ("", "none", "off"):
                changes[name] = None
                continue
            try:
                number = float(value)
            except ValueError:
                raise TopicgraphError(f"bad weight {item!r}: {value!r} is not a number") from None
            if not math.isfinite(number) or (number < 0 and name != "threshold") or (name == "half_life" and number <= 0):
                raise TopicgraphError(f"bad weight {item!r}: use a finite number >= 0 (half_life > 0)")
            changes[name] = number
        return replace(base or cls(), **changes)


DEFAULT_WEIGHTS = RelatedWeights()
