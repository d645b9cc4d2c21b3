"""Closeness of two labels as a person would judge it, for did-you-mean: a misspelling of the whole label, or the
same words with one of them misspelt or left out; never a shared suffix such as "…ational".

>>> close_matches("Patient Aquisition", {"patient acquisition": "Medigy: Patient Acquisition",
...                                      "patient experience": "Medigy: Patient Experience"})
['Medigy: Patient Acquisition']
>>> close_matches("observational study", {"conversational ai": "Gartner: Conversational AI"})
[]
>>> close_matches("cloud", {"cloud computing": "Gartner: Cloud Computing", "oud": "Symplur: Opioid Epidemic"})
['Gartner: Cloud Computing']
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from ..iris import label_key

__all__ = ["similarity", "close_matches", "WHOLE", "WORD"]

#: a whole label this close to the word is a misspelling of it ("patient aquisition", "gartnr")
WHOLE = 0.8
#: two words this close are one word misspelt ("experiense" / "experience")
WORD = 0.85
#: how alike a word shorter than five letters must be to another ("covd" / "covid")
_SHORT = 0.85
#: longer texts are never compared (a label is a few words)
_LONGEST = 200


def _ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """difflib's ratio of ``a`` and ``b``, or 0 when its cheap upper bounds already fall below ``cutoff`` (most
    pairs: a did-you-mean compares one word with every label of a taxonomy)."""
    if 2 * min(len(a), len(b)) < cutoff * (len(a) + len(b)):  # real_quick_ratio, without building a matcher
        return 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.quick_ratio() < cutoff:
        return 0.0
    return m.ratio()


@lru_cache(maxsize=65536)  # a taxonomy's labels share their words: each pair of words is compared once
def _word_ratio(a: str, b: str) -> float:
    return _ratio(a, b, WORD)


def _swapped(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped."""
    if len(a) != len(b) or len(a) < 3 or a == b:
        return False
    i = next(i for i in range(len(a)) if a[i] != b[i])
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]


def similarity(word: str, label: str) -> float:
    """0 when a person would not take ``label`` for what ``word`` meant, else a score (higher is closer).

    Both are compared folded (``label_key``). Close enough: the whole texts at least :data:`WHOLE` alike; or every
    word of the shorter one matching a distinct word of the other (equal, or :data:`WORD` alike), a word of three
    letters or more among them ("cloud" for "cloud computing"). A few letters in common are not enough.

    >>> similarity("Gartnr", "gartner") > 0.8, similarity("cloud", "oud"), similarity("ai", "ai")
    (True, 0.0, 1.0)
    >>> similarity("Blgo", "blog"), similarity("ia", "ai")
    (0.85, 0.0)
    """
    return _similarity(label_key(word), label_key(label))


def _similarity(a: str, b: str) -> float:
    """:func:`similarity` of two texts already folded."""
    if not a or not b or len(a) > _LONGEST or len(b) > _LONGEST:
        return 0.0  # no one misspells a paragraph; and comparing one costs time proportional to its square
    if _swapped(a, b):
        return WORD  # two neighbouring letters swapped ("blgo" / "blog"), the commonest slip of all
    # in a short word one letter is a large part: "ai" is not a slip for "aid"
    cutoff = WHOLE if min(len(a), len(b)) >= 5 else _SHORT
    whole = _ratio(a, b, cutoff)
    if whole >= cutoff:
        return whole
    short, long = sorted((a.split(), b.split()), key=len)
    free = list(long)
    for w in short:
        best = w if w in free else max(free, key=lambda x: _word_ratio(w, x), default=None)
        if best is None or (best != w and _word_ratio(w, best) < WORD):
            return 0.0
        free.remove(best)
    if not any(len(w) >= 3 for w in short) or len(short) == len(long) == 1:
        return 0.0
    # below any whole-label misspelling: a label that only shares words is the weaker guess
    return round(WHOLE * len(short) / len(long), 6)


def close_matches(word: str, choices: dict[str, str], n: int = 3) -> list[str]:
    """The values of ``choices`` (folded label, as ``iris.label_key`` folds it -> what to suggest) whose keys a
    person would accept for ``word``, closest first, at most ``n``, each value once."""
    folded = label_key(word)
    scored = [(s, k) for k in choices if (s := _similarity(folded, k)) > 0]
    scored.sort(key=lambda sk: (-sk[0], sk[1]))
    return list(dict.fromkeys(choices[k] for _, k in scored))[:n]
