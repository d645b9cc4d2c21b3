"""`topicgraph related`: related articles of one article, or of every article (--all)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import Number, console, handle_errors, progress_bar, store_option


@click.command("related")
@click.argument("article", required=False)
@click.option("-k", "--top", "k", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many related articles to give for each article.")
@click.option("--all", "all_articles", is_flag=True,
              help="Compute the top k of every article; write them into the store (graph .../graph/related) and "
                   "to related.json and related.csv.")
@click.option("--weight", "-w", "weights", multiple=True, metavar="NAME=VALUE",
              help="Change a weight (repeatable): topic, exact_match, close_match, related_match, author, brand, "
                   "half_life (days), threshold. See docs/analysis.md for the defaults.")
@click.option("--half-life", type=Number(min=0, min_open=True), default=None, metavar="DAYS",
              help="Recency: halve the score for every DAYS between the two articles' dates (off by default).")
@click.option("--threshold", type=Number(), default=None, help="Leave out results scoring below this.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="With --all: folder for related.json and related.csv (default: the --store folder).")
@click.option("--no-store", "no_store", is_flag=True, help="With --all: do not write the links into the store.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Threads for --all (default: the cores, at most 8).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="With --all: print only the summary line.")
@store_option
@handle_errors
def related_command(article, k, all_articles, weights, half_life, threshold, out_dir, no_store, jobs, as_json, quiet,
                    store):
    """Articles related to ARTICLE (an article IRI, a record id, a slug or a record file's path).

    Each result has a score and its reasons: the topics both articles are about (rarer topics weigh more),
    topics mapped across vendors (skos:exactMatch, closeMatch, relatedMatch), shared authors and the same
    brand, and optionally a recency factor.
    """
    import time

    from ..analysis.related import RelatedIndex, RelatedWeights
    from ..errors import TopicgraphError
    from ..store import GraphStore

    if bool(article) == bool(all_articles):
        raise TopicgraphError("give one ARTICLE, or --all for every article")
    w = RelatedWeights.parse(weights)
    extra = {}
    if half_life is not None:
        extra["half_life"] = half_life
    if threshold is not None:
        extra["threshold"] = threshold
    if extra:
        from dataclasses import replace

        w = replace(w, **extra)
    started = time.perf_counter()
    graph_store = GraphStore.open(store)
    index = RelatedIndex(graph_store, w)
    if article:
        query = index.resolve(article)
        items = index.related(query, k)
        inc = index.incidence
        if as_json:
            click.echo(json.dumps({"article": query, "identifier": inc.article_identifier.get(query),
                                   "title": inc.article_label(query), "k": k, "weights": _weights(w),
                                   "related": [i.to_dict() for i in items]}, indent=2, ensure_ascii=False))
            return
        con = console(err=False)
        con.print(f"Related to {inc.article_label(query)} <{query}>:", markup=False)
        if not items:
            con.print(f"  {_why_nothing(index, query, k)}", markup=False)
        for item in items:
            ident = f" [{item.identifier}]" if item.identifier else ""
            con.print(f"{item.rank:>3}. {item.score:8.4f}  {item.title}{ident}", markup=False)
            for reason in item.reasons():
                con.print(f"             {reason}", markup=False)
        return

    with progress_bar("Related items", enabled=not quiet and not as_json) as bar:
        table = index.all(k, jobs=jobs, progress=bar)
    # the store must have no reader left before it is opened for writing
    index.store = None
    graph_store.close()
    del graph_store
    out = Path(out_dir or store)
    out.mkdir(parents=True, exist_ok=True)
    graph_iri = None
    if no_store:
        json_path = table.write_json(out / "related.json")
        csv_path = table.write_csv(out / "related.csv")
    else:
        from concurrent.futures import ThreadPoolExecutor

        # the store write spends most of its time in pyoxigraph's bulk loader, which releases the GIL: the JSON
        # and CSV files are written meanwhile
        with ThreadPoolExecutor(1) as pool:
            stored = pool.submit(table.write_store, store)
            try:
                json_path = table.write_json(out / "related.json")
                csv_path = table.write_csv(out / "related.csv")
            finally:
                graph_iri, _ = stored.result()
    seconds = time.perf_counter() - started
    n_articles = len(set(table.source.tolist()))
    summary = {"articles": len(table.incidence.articles), "with_related": n_articles, "links": len(table), "k": k,
               "json": str(json_path), "csv": str(csv_path), "graph": graph_iri, "seconds": round(seconds, 3),
               "weights": _weights(w)}
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        where = f" and into <{graph_iri}>" if graph_iri else ""
        console(err=False).print(
            f"Related items for {n_articles} of {summary['articles']} articles: {len(table)} links (top {k}) "
            f"written to {json_path}, {csv_path}{where} in {seconds:.2f}s.", markup=False)


def _why_nothing(index, query: str, k: int) -> str:
    """Why ``query`` has no related articles: nothing in common with it, or the recency factor or the threshold left
    nothing out of what it has in common (a half-life of minutes makes 2^(-days apart / half-life) round every
    score to 0)."""
    from dataclasses import replace

    w = index.weights

    def attempt(trial):
        index.weights = trial
        try:
            return index.related(query, k)
        finally:
            index.weights = w

    def share(n: int) -> str:
        return f"{n} or more articles share" if n == k and n > 1 else f"{n} article{'s share' if n > 1 else ' shares'}"

    if w.threshold > 0 and (found := attempt(replace(w, threshold=0.0))):
        return (f"nothing scores {w.threshold:g} or more (the threshold), though {share(len(found))} a topic or a "
                "mapped topic with it; lower --threshold.")
    if w.half_life and (found := attempt(replace(w, half_life=None, threshold=0.0))):
        return (f"nothing is left with a half-life of {w.half_life:g} days: the recency factor "
                f"2^(-days apart / half-life) rounds every score to 0, though {share(len(found))} a topic or a "
                "mapped topic with it; give --half-life in days (365: a year), or leave it out.")
    return "nothing shares a topic or a mapped topic with it."


def _weights(w) -> dict:
    from dataclasses import asdict

    return asdict(w)
