"""`topicgraph crosswalk`: suggest cross-vendor mappings from co-tagging as SSSOM, review them, accept or reject."""

from __future__ import annotations

import json

import click

from .common import handle_errors, json_option, store_option

__all__ = ["crosswalk_group", "load_inputs", "default_negatives", "curation_folder", "settings_options",
           "MAPPING_SET", "TAXONOMY_HELP"]

MAPPING_SET = "https://w3id.org/topicgraph/crosswalk/"
TAXONOMY_HELP = "Taxonomy folder (default: the taxonomy in the build's store, the one the build used)."


def store_taxonomy_option(f):
    return click.option("--taxonomy", "taxonomy_dir", type=click.Path(exists=True, file_okay=False), default=None,
                        help=TAXONOMY_HELP)(f)


@click.group("crosswalk")
def crosswalk_group() -> None:
    """Mappings between vendors' topics learned from co-tagging, as SSSOM files curators review.

    `suggest` writes the suggestions, `review` shows them most uncertain first, `accept` writes rows into the
    taxonomy's mappings.ttl and `reject` into its negatives file; `evaluate` measures them. docs/crosswalks.md.
    """


def settings_options(f):
    f = click.option("--top", "top", type=click.IntRange(1), default=None, help="At most this many rows.")(f)
    f = click.option("--min-support", type=click.IntRange(1), default=3, show_default=True,
                     help="Shared articles a pair needs before anything is suggested.")(f)
    return f


def load_inputs(store: str, taxonomy_dir):
    """The build's incidence, the taxonomy and its links: the taxonomy in the build's store (the one the build
    resolved topics with), or the folder given as --taxonomy."""
    from pyoxigraph import RdfFormat, parse

    from ..analysis import load_incidence
    from ..crosswalk import build_taxonomy_folder, links_from_triples, stored_taxonomy, taxonomy_links
    from ..errors import TopicgraphError
    from ..store import GraphStore
    from ..taxonomy import load_taxonomy, taxonomy_files

    graph = GraphStore.open(store)
    inc = load_incidence(graph)
    if taxonomy_dir is None:
        tax, links = stored_taxonomy(graph)
        try:  # links accepted since the build are in the folder's files, not yet in the store: never re-suggested
            folder = build_taxonomy_folder(store)
        except TopicgraphError:
            return inc, tax, links
        for path in taxonomy_files(folder):
            with open(path, "rb") as fh:
                links_from_triples(parse(fh, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()), path, links)
        return inc, tax, links
    tax = load_taxonomy(taxonomy_dir, strict=False)
    return inc, tax, taxonomy_links(tax)


def default_negatives(store: str, taxonomy_dir, negatives):
    """The negatives file to read: --negatives, else the one in --taxonomy, else the one in the folder the build
    used; None (with a note on stderr) when that folder is not known."""
    from ..crosswalk import build_taxonomy_folder, negatives_path
    from ..errors import TopicgraphError

    if negatives is not None or taxonomy_dir is not None:
        return negatives or negatives_path(taxonomy_dir)
    try:
        return negatives_path(build_taxonomy_folder(store))
    except TopicgraphError:
        click.echo("note: no negatives file read (the build's taxonomy folder is not recorded): pass --taxonomy "
                   "DIR or --negatives FILE to leave rejected pairs out", err=True)
        return None


def curation_folder(store: str, taxonomy_dir):
    """The taxonomy folder accept and reject write into: --taxonomy, else the one the build in --store used."""
    from ..crosswalk import build_taxonomy_folder

    return taxonomy_dir if taxonomy_dir is not None else build_taxonomy_folder(store)


def _author(author: str | None) -> str:
    import getpass
    import os

    return author or os.environ.get("TOPICGRAPH_AUTHOR") or getpass.getuser()


@crosswalk_group.command("suggest")
@store_option
@store_taxonomy_option
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="The SSSOM TSV to write (FILE.sssom.tsv).")
@settings_options
@click.option("--negatives", type=click.Path(dir_okay=False), default=None,
              help="Rejected pairs never to suggest (default: negatives.sssom.tsv in the taxonomy folder the "
                   "build used).")
@handle_errors
def suggest_command(store, taxonomy_dir, output, min_support, top, negatives):
    """Suggest skos:exactMatch, closeMatch, broadMatch, narrowMatch and relatedMatch between concepts of
    different vendors from how curators co-tag articles; rows ordered by confidence.

    Pairs the taxonomy already maps and pairs rejected before are left out. The taxonomy is the one in the
    build's store unless --taxonomy is given.
    """
    from ..crosswalk import Settings, load_negatives, suggest_crosswalks, write_sssom

    inc, tax, links = load_inputs(store, taxonomy_dir)
    rejected = load_negatives(default_negatives(store, taxonomy_dir, negatives))
    found = suggest_crosswalks(inc, taxonomy=tax, links=links, negatives=rejected,
                               settings=Settings(min_support=min_support), top=top)
    path = write_sssom(output, found, mapping_set_id=MAPPING_SET + "suggestions",
                       comment=f"Cross-vendor mappings suggested from the co-tagging of {len(inc.articles)} articles.")
    click.echo(f"wrote {len(found)} suggestions to {path} ({len(inc.articles)} articles, {len(inc.topics)} topics, "
               f"{len(rejected)} rejected pairs left out)")


@crosswalk_group.command("review")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--store", "store", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Build folder to take example articles from (default: graph, when it holds a build).")
@click.option("--examples", "n_examples", type=click.IntRange(0, 20), default=3, show_default=True,
              help="Example articles (about both topics) per row.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Show at most this many rows.")
@json_option()
@handle_errors
def review_command(file, store, n_examples, limit, as_json):
    """Show the rows of FILE most uncertain first (confidence nearest 0.5), each with its evidence and example
    articles from the build (identifier and headline). Then `crosswalk accept` or `reject` their ids.

    Without a build (no --store, and no graph/ here) the rows and their evidence come from FILE alone."""
    from pathlib import Path

    from ..analysis import load_incidence
    from ..crosswalk import EVIDENCE_COLUMNS, examples, read_sssom, review_order
    from ..store import MANIFEST, GraphStore

    table = read_sssom(file)
    inc = None
    if n_examples and store is None and not (Path("graph") / MANIFEST).exists():
        click.echo("note: no build in graph/: example articles need --store DIR (the build the suggestions came "
                   "from)", err=True)
    elif n_examples:
        inc = load_incidence(GraphStore.open(store or "graph"))
    rows = review_order(table)[:limit]
    out = []
    for r in rows:
        ex = examples(inc, r["subject"], r["object"], n_examples) if inc is not None else []
        out.append({"record_id": r["record_id"], "subject": r.get("subject_label") or r["subject"],
                    "predicate": r.get("predicate_id"), "object": r.get("object_label") or r["object"],
                    "confidence": r.get("confidence"),
                    "evidence": {c: r[c] for c in EVIDENCE_COLUMNS if r.get(c)},
                    "examples": [{"identifier": i, "headline": h} for i, h in ex]})
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for row in out:
        ev = row["evidence"]
        click.echo(f"{row['record_id']}  {row['subject']}  {row['predicate']}  {row['object']}  "
                   f"confidence {row['confidence']}")
        if ev:
            click.echo(f"    shared {ev.get('shared_articles')} of {ev.get('subject_articles')} / "
                       f"{ev.get('object_articles')} articles;  P(object|subject) {ev.get('p_object_given_subject')} "
                       f"[{ev.get('p_object_given_subject_low')}, {ev.get('p_object_given_subject_high')}];  "
                       f"P(subject|object) {ev.get('p_subject_given_object')} "
                       f"[{ev.get('p_subject_given_object_low')}, {ev.get('p_subject_given_object_high')}]")
            click.echo(f"    jaccard {ev.get('jaccard')}  npmi {ev.get('npmi')}  q {ev.get('q_value')}  "
                       f"label similarity {ev.get('label_similarity')}")
            if ev.get("context_articles"):
                click.echo(f"    P(object|context) {ev.get('p_object_given_context')} "
                           f"[..., {ev.get('p_object_given_context_high')}] over the "
                           f"{ev.get('context_articles')} articles about the subject's associates")
        for e in row["examples"]:
            click.echo(f"    e.g. [{e['identifier']}] {e['headline']}")


def _curate(kind: str, file, ids, store, taxonomy_dir, negatives, author, date):
    from ..crosswalk import accept, read_sssom, reject

    table = read_sssom(file)
    do = accept if kind == "accept" else reject
    if taxonomy_dir is None and (kind == "accept" or negatives is None):
        taxonomy_dir = curation_folder(store, taxonomy_dir)
    outcome = do(table, ids, taxonomy_dir=taxonomy_dir, author=_author(author), date=date, negatives=negatives)
    for rid, why in outcome.skipped:
        click.echo(f"skipped {rid}: {why}", err=True)
    where = ", ".join(str(p) for p in outcome.files) or "nothing"
    click.echo(f"{kind}ed {len(outcome.written)} of {len(ids)} rows into {where}")


_curation_options = [
    click.argument("file", type=click.Path(exists=True, dir_okay=False)),
    click.argument("ids", nargs=-1, required=True),
    click.option("--taxonomy", "taxonomy_dir", type=click.Path(exists=True, file_okay=False), default=None,
                 help="Taxonomy folder to write into (default: the folder the build in --store used, when its "
                      "manifest records it or it is the shipped taxonomy/)."),
    click.option("--store", "store", default="graph", show_default=True, metavar="DIR",
                 type=click.Path(file_okay=False), help="Build folder whose taxonomy folder is the default."),
    click.option("--negatives", type=click.Path(dir_okay=False), default=None,
                 help="The negatives file (default: negatives.sssom.tsv in the taxonomy folder)."),
    click.option("--author", default=None, help="Who decided (default: $TOPICGRAPH_AUTHOR, else the user name)."),
    click.option("--date", default=None, help="The date to record (default: today, YYYY-MM-DD)."),
]


def _with_curation_options(f):
    for option in reversed(_curation_options):
        f = option(f)
    return f


@crosswalk_group.command("accept")
@_with_curation_options
@handle_errors
def accept_command(file, ids, taxonomy_dir, store, negatives, author, date):
    """Write rows IDS of FILE into the taxonomy: mappings into mappings.ttl (both directions), skos:broader into the
    narrower concept's scheme file, each with its provenance (who, when, the evidence) in a comment block.

    The taxonomy folder is --taxonomy, else the one the build in --store used (when its manifest records the
    folder, or the build used the shipped taxonomy/); otherwise give --taxonomy.

    The graph changes at the next `topicgraph build --taxonomy DIR`: then `query --name cross-vendor-mappings`
    lists the mapping and `related` counts an exactMatch, closeMatch or relatedMatch.
    """
    _curate("accept", file, list(ids), store, taxonomy_dir, negatives, author, date)


@crosswalk_group.command("reject")
@_with_curation_options
@handle_errors
def reject_command(file, ids, taxonomy_dir, store, negatives, author, date):
    """Add rows IDS of FILE to the negatives file (SSSOM, predicate_modifier Not): `suggest` never proposes those
    pairs again."""
    _curate("reject", file, list(ids), store, taxonomy_dir, negatives, author, date)


@crosswalk_group.command("evaluate")
@store_option
@store_taxonomy_option
@click.option("--truth", type=click.Path(exists=True), default=None,
              help="A generated corpus's .manifest.json (or its folder) with planted pairs.")
@click.option("-k", "ks", type=click.IntRange(1), multiple=True,
              help="Cut-offs for precision@K and recall@K (repeatable; default 5, 10 and the number planted).")
@settings_options
@json_option()
@handle_errors
def evaluate_command(store, taxonomy_dir, truth, ks, min_support, top, as_json):
    """Precision@K and recall@K of the suggestions against a corpus's planted pairs (--truth), and a leave-one-out
    over the taxonomy's own broader links (Hit@1, Hit@5)."""
    from ..crosswalk import Settings, leave_one_out, planted_truth, precision_recall, suggest_broader, suggest_crosswalks
    from ..synth import load_manifest

    inc, tax, links = load_inputs(store, taxonomy_dir)
    settings = Settings(min_support=min_support)
    result: dict = {"articles": len(inc.articles), "topics": len(inc.topics)}
    if truth:
        cross, broad = planted_truth(load_manifest(truth), tax, links)
        for name, found, pairs, is_broader in (
                ("crosswalk", suggest_crosswalks(inc, taxonomy=tax, links=links, settings=settings, top=top), cross,
                 False),
                ("broader", suggest_broader(inc, taxonomy=tax, links=links, settings=settings, top=top), broad, True)):
            cut = sorted(set(ks or (5, 10, max(1, len(pairs)))))
            result[name] = {"planted": len(pairs), "suggested": len(found),
                            "at": [r.to_dict() for r in precision_recall(found, pairs, cut, broader=is_broader)]}
    loo = leave_one_out(inc, tax, links, settings=settings)
    loo.pop("details")
    result["leave_one_out"] = loo
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"{result['articles']} articles, {result['topics']} topics")
    for name in ("crosswalk", "broader"):
        if name in result:
            r = result[name]
            click.echo(f"{name}: {r['planted']} planted, {r['suggested']} suggested")
            for at in r["at"]:
                click.echo(f"  precision@{at['k']} {at['precision']:.3f}  recall@{at['k']} {at['recall']:.3f}  "
                           f"({at['hits']} hits)")
    hit1, hit5 = loo["hit@1"], loo["hit@5"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    click.echo(f"leave-one-out over {loo['evaluable']} of the taxonomy's {loo['links']} broader links whose two "
               f"concepts have articles: Hit@1 {fmt(hit1)}  Hit@5 {fmt(hit5)}")
