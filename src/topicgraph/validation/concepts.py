"""One warning per topic missing from the taxonomy, for the whole run: the findings of every record that names the
same missing concept (in any spelling) folded into the first, which lists the spellings and the other files, as
the build report lists them by concept (``unknown_topics``, ``unknown_topic_spellings``).

>>> from topicgraph.errors import Finding, Severity
>>> def w(file, topic):
...     return Finding(file, f"topic {topic!r} is not in the Medigy scheme of the taxonomy", Severity.WARNING, 3,
...                    "communityTopics[0]", UNKNOWN_TOPIC_RULE, "add it", node="tax:medigy/x")
>>> [f.file + ": " + f.message for f in fold_unknown_topics([w("a.md", "Medigy: X y"), w("b.md", "Medigy: x  Y")])]
["a.md: topic 'Medigy: X y' is not in the Medigy scheme of the taxonomy (2 records, spelled 'Medigy: X y' in 1, \
'Medigy: x  Y' in 1; also in b.md)"]
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import replace

from ..errors import Finding

__all__ = ["UNKNOWN_TOPIC_RULE", "fold_unknown_topics"]

UNKNOWN_TOPIC_RULE = "record.topics.unknown-topic"
#: files named in the folded warning (the rest counted)
_FILES_SHOWN = 5


def _spelling(message: str) -> str | None:
    """The topic as the record wrote it, from the message ``topic '…' is not in the …`` (None if not so)."""
    end = message.rfind(" is not in the ")
    if not message.startswith("topic ") or end < 0:
        return None
    try:
        value = ast.literal_eval(message[len("topic "):end])
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def fold_unknown_topics(findings: list[Finding]) -> list[Finding]:
    """``findings`` with each missing concept's unknown-topic warnings folded into its first one (in order)."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule == UNKNOWN_TOPIC_RULE and f.node:
            groups.setdefault(f.node, []).append(f)
    if all(len(g) == 1 for g in groups.values()):
        return findings
    out: list[Finding] = []
    for f in findings:
        group = groups.get(f.node) if f.rule == UNKNOWN_TOPIC_RULE and f.node else None
        if group is None or len(group) == 1:
            out.append(f)
        elif group[0] is f:
            out.append(_folded(group))
    return out


def _folded(group: list[Finding]) -> Finding:
    first = group[0]
    spellings = Counter(s for s in (_spelling(f.message) for f in group) if s is not None)
    files = list(dict.fromkeys(f.file for f in group))
    others = [name for name in files if name != first.file]
    parts = [f"{len(files)} record{'' if len(files) == 1 else 's'}"]
    if len(spellings) > 1:
        parts[0] += ", spelled " + ", ".join(f"{s!r} in {n}" for s, n in sorted(spellings.items(),
                                                                                   key=lambda kv: (-kv[1], kv[0])))
    if others:
        shown = ", ".join(others[:_FILES_SHOWN])
        more = len(others) - _FILES_SHOWN
        parts.append(f"also in {shown}" + (f" and {more} more" if more > 0 else ""))
    return replace(first, message=f"{first.message} ({'; '.join(parts)})")
