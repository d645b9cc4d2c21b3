"""Property-based build: front matter with arbitrary Unicode, keys, nesting and sizes never breaks a build.

Whatever hypothesis writes into a folder of records, ``topicgraph build`` (in-process, through the CLI) ends with
exit 0 or 1, never a traceback; its report accounts for every file (mapped + skipped = files); and every export
format parses in rdflib and pyoxigraph.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from topicgraph.cli import cli

pytestmark = pytest.mark.slow

FORMATS = {"ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE), "nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
           "nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS), "trig": ("trig", pyoxigraph.RdfFormat.TRIG),
           "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD)}

# any Unicode scalar value (hypothesis leaves out surrogates, which no UTF-8 file holds)
text = st.text(max_size=40)
words = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), min_size=1,
                max_size=20)
scalars = st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(text, inner, max_size=4)), max_leaves=12)
# Vendors and labels may end in '.' or hold '/': `Acme Inc.: Widgets` once gave Turtle rdflib could not read.
topics = st.builds(lambda v, label: f"{v}: {label}", words, words)
web = st.builds(lambda host, path: f"https://{host}.example/{path}", st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
                text)

# Each field is mostly what a record holds, sometimes anything at all: most records map, and the rest are
# skipped with a reason.
def sometimes(good, hostile=values):
    return st.one_of(good, good, good, hostile)


front_matter = st.fixed_dictionaries(
    {"id": sometimes(words, st.one_of(text, st.integers())), "title": sometimes(words, st.one_of(text, values))},
    optional={
        "description": text,
        "author": sometimes(st.one_of(words, st.lists(words, max_size=4))),
        "date": sometimes(st.dates().map(str), text),
        "communityTopics": sometimes(st.lists(topics, max_size=6)),
        "tags": sometimes(st.lists(words, max_size=4), st.lists(text, max_size=4)),
        "aliases": sometimes(st.lists(st.just("/news/a"), max_size=1), st.one_of(text, st.lists(text, max_size=3))),
        "link": sometimes(st.fixed_dictionaries({"href": web}, optional={"brand": words}),
                          st.one_of(st.fixed_dictionaries({"href": text}), values)),
        "featuredImage": sometimes(st.fixed_dictionaries({"href": st.just("a.jpeg")}, optional={"alt": text}),
                                   st.one_of(st.fixed_dictionaries({"href": text}), text, values)),
        "breadcrumbs": st.lists(text, max_size=3),
        # sizes: one character many times (a quote or a backslash doubles when escaped); nesting past the limit
        "note": st.builds(lambda c, n: c * n, st.characters(blacklist_categories=("Cs",)), st.integers(0, 200_000)),
        "deep": st.integers(0, 80).map(lambda depth: json.loads("[" * depth + "]" * depth) if depth else []),
    },
).flatmap(lambda known: st.dictionaries(text, values, max_size=6).map(lambda extra: {**extra, **known}))


def _record(fm: dict, body: str, raw: bool) -> bytes:
    if raw:  # front matter as any text: often not YAML at all
        head = body[:200]
    else:
        head = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False)
    return f"---\n{head}\n---\n{body}\n".encode("utf-8", errors="surrogatepass")


#: (front matter, body, whether the front matter is the body's first characters instead of YAML)
records = st.lists(st.tuples(front_matter, st.text(max_size=300), st.sampled_from([False, False, False, True])),
                   min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(records)
def test_any_front_matter_builds_and_every_export_reads_back(files):
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        src.mkdir()
        for i, (fm, body, raw) in enumerate(files):
            (src / f"r{i}.md").write_bytes(_record(fm, body, raw))
        args = ["build", str(src), "--out", str(out), "--jobs", "1"]
        for fmt in FORMATS:
            args += ["--format", fmt]
        result = CliRunner().invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        report = json.loads((out / "build-report.json").read_text())
        counts = report["counts"]
        assert counts["files"] == len(files) == counts["mapped"] + counts["skipped"] == len(report["files"])
        event(f"{counts['mapped']} of {len(files)} mapped")
        for fmt, (rdflib_name, ox_format) in FORMATS.items():
            path = out / f"graph.{fmt}"
            with open(path, "rb") as fh:
                parsed = list(pyoxigraph.parse(fh, format=ox_format))
            graph = rdflib.Dataset() if fmt in ("nq", "trig") else rdflib.Graph()
            graph.parse(path, format=rdflib_name)
            assert len(parsed) >= counts["mapped"], fmt
