"""Author and brand names, and the Zipf-distributed draws that pick them."""

from __future__ import annotations

import bisect
import itertools
from random import Random

from .words import (BRAND_CORE, BRAND_PREFIX, BRAND_SUFFIX, BRAND_TLD, FIRST_NAMES, HANDLE_DOMAINS, LAST_NAMES,
                    SEED_AUTHORS, SEED_BRANDS)


def author_names(seed: int, k: int) -> list[str]:
    rng = Random(f"topicgraph.synth/authors/{seed}")
    fl = len(FIRST_NAMES) * len(LAST_NAMES)
    space = fl * 27  # no middle initial, or one of 26
    if k > space:
        raise ValueError(f"at most {space} authors")
    names = list(SEED_AUTHORS[:k])
    seen = set(names)
    plain_names = rng.sample(range(fl), fl)  # names without a middle initial first, then with one
    more = rng.sample(range(fl, space), min(space - fl, max(0, 2 * (k - fl) + 100)))
    for c in itertools.chain(plain_names, more):
        if len(names) >= k:
            break
        first, last, mid = FIRST_NAMES[c % len(FIRST_NAMES)], LAST_NAMES[(c // len(FIRST_NAMES)) % len(LAST_NAMES)], c // fl
        if c % 29 == 0:
            name = f"{first} @{last.lower().replace(chr(39), '')}{HANDLE_DOMAINS[mid % len(HANDLE_DOMAINS)]}.com"
        elif mid:
            name = f"{first} {chr(64 + mid)}. {last}"
        else:
            name = f"{first} {last}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    if len(names) < k:
        raise ValueError(f"at most {len(names)} authors")
    return names


def brand_names(seed: int, k: int) -> list[str]:
    """``k`` distinct source domains with distinct stems (the slug prefix); seed brands first."""
    rng = Random(f"topicgraph.synth/brands/{seed}")
    stems = sorted({p + c + s for p in BRAND_PREFIX for c in BRAND_CORE for s in BRAND_SUFFIX})
    rng.shuffle(stems)
    names = list(SEED_BRANDS[:k])
    seen = {n.split(".")[0] for n in SEED_BRANDS}
    for round_ in itertools.count(1):
        for stem in stems:
            if len(names) >= k:
                return names
            stem = stem if round_ == 1 else f"{stem}{round_}"
            if stem not in seen:
                seen.add(stem)
                names.append(stem + rng.choice(BRAND_TLD))
    raise AssertionError("unreachable")  # pragma: no cover


def zipf_cum(k: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(k)))


def zipf_pick(rng: Random, cum: list[float]) -> int:
    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)
