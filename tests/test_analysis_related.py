"""Related items (topicgraph.analysis.related): the documented score, its reasons, --all, and the store graph."""

from __future__ import annotations

import math
from pathlib import Path

import frontmatter
import numpy as np
import pytest
import scipy.sparse as sp

import topicgraph
from topicgraph.analysis.related import RelatedIndex, RelatedTable, RelatedWeights
from topicgraph.analysis.topk import kth_floor, kth_largest, top_k_rows
from topicgraph.errors import TopicgraphError

ART = "https://w3id.org/topicgraph/id/article/"
SEED = Path("seeds/000_e196614bccfeda88.txt")

# id: (topics, author, brand, date)
CORPUS = {
    "r1": (["Medigy: Alpha Topic", "Medigy: Beta Topic"], "Ann Author", "a-news.com", "2020-01-01"),
    "r2": (["Medigy: Alpha Topic"], "Ann Author", "a-news.com", "2020-01-01"),
    "r3": (["Medigy: Alpha Topic"], "Bob Writer", "b-news.com", "2010-01-01"),
    "r4": (["Medigy: Beta Topic", "Medigy: Gamma Topic"], "Bob Writer", "a-news.com", "2020-01-11"),
    "r5": (["Medigy: Gamma Topic"], "Ann Author", "a-news.com", "2020-01-01"),
    "r6": (["Medigy: Alpha Topic", "Medigy: Beta Topic"], "Cid Person", "c-news.com", "2020-06-01"),
}
N = len(CORPUS)
IDF_A = math.log((1 + N) / (1 + 4)) + 1  # Alpha: r1 r2 r3 r6
IDF_B = math.log((1 + N) / (1 + 3)) + 1  # Beta: r1 r4 r6


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    base = frontmatter.load(SEED)
    for rid, (topics, author, brand, date) in CORPUS.items():
        post = frontmatter.Post(base.content, **base.metadata)
        post["id"] = rid
        post["communityTopics"] = topics
        post["author"] = [author]
        post["link"] = {"brand": brand, "href": f"https://www.{brand}/{rid}", "original": f"https://www.{brand}/{rid}"}
        post["date"] = f"{date}T00:00:00Z"
        post["slug"] = f"slug-{rid}"
        post["title"] = f"Title {rid}"
        (folder / f"{rid}.md").write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("related-seeds")
    topicgraph.build(["seeds"], out=out, jobs=1)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    src = tmp_path_factory.mktemp("related-src")
    write_corpus(src)
    out = tmp_path_factory.mktemp("related-graph")
    topicgraph.build([src], out=out, jobs=1)
    return src, out


def test_seed_4463_ranks_3896_first_with_the_documented_score(seeds_store):
    index = RelatedIndex(topicgraph.GraphStore.open(seeds_store))
    [first] = index.related("4463", k=10)
    assert first.article == ART + "3896" and first.rank == 1
    # N = 5 articles; Patient Acquisition is on 2 of them, the other three seed topics on 1 each
    idf_pa, idf_1 = math.log(6 / 3) + 1, math.log(6 / 2) + 1
    topics = 1.0 * idf_pa                                   # both are about Medigy: Patient Acquisition
    mappings = (0.6 * idf_1                                 # Gartner CX closeMatch Symplur PX
                + 0.3 * idf_1                               # Gartner CX relatedMatch Medigy HCE
                + 0.3 * math.sqrt(idf_1 * idf_pa))          # Gartner CX relatedMatch Medigy PA
    assert first.score == pytest.approx(topics + mappings, abs=1e-9)
    assert first.score == pytest.approx(4.147400984, abs=1e-9)
    assert first.parts == pytest.approx({"topics": topics, "mappings": mappings, "authors": 0.0, "brand": 0.0})
    assert first.shared_topics == ["Medigy: Patient Acquisition"]
    assert first.mapped_topics == [
        ("Gartner: Customer Experience", "Symplur: Patient Experience", "closeMatch"),
        ("Gartner: Customer Experience", "Medigy: Healthcare Consumer Engagement", "relatedMatch"),
        ("Gartner: Customer Experience", "Medigy: Patient Acquisition", "relatedMatch"),
    ]
    assert first.shared_authors == [] and first.same_brand is None and first.recency == 1.0
    assert "Gartner: Customer Experience closeMatch Symplur: Patient Experience" in first.reasons()


def test_mapping_weights_are_configurable(seeds_store):
    w = RelatedWeights.parse(["close_match=0", "related-match=0"])
    [first] = RelatedIndex(topicgraph.GraphStore.open(seeds_store), w).related("4463")
    assert first.score == pytest.approx(math.log(2) + 1, abs=1e-9)
    assert first.mapped_topics == []


def test_small_corpus_ranking_and_reasons(small):
    _, out = small
    index = RelatedIndex(topicgraph.GraphStore.open(out))
    got = index.related("r1")
    assert [(r.identifier, r.rank) for r in got] == [("r6", 1), ("r2", 2), ("r4", 3), ("r3", 4)]
    scores = {r.identifier: r.score for r in got}
    assert scores["r6"] == pytest.approx(IDF_A + IDF_B, abs=1e-9)
    assert scores["r2"] == pytest.approx(IDF_A + 0.5 + 0.25, abs=1e-9)   # + same author + same brand
    assert scores["r4"] == pytest.approx(IDF_B + 0.25, abs=1e-9)          # + same brand
    assert scores["r3"] == pytest.approx(IDF_A, abs=1e-9)
    r2 = got[1]
    assert r2.shared_topics == ["Medigy: Alpha Topic"] and r2.shared_authors == ["Ann Author"]
    assert r2.same_brand == "a-news.com"
    assert sum(r2.parts.values()) == pytest.approx(r2.score)
    # r5 has the same author and brand as r1 but no topic in common: never related
    assert "r5" not in scores
    assert r2.title == "Title r2"


def test_ties_go_to_the_smaller_iri(small):
    w = RelatedWeights(author=0, brand=0)
    got = RelatedIndex(topicgraph.GraphStore.open(small[1]), w).related("r1")
    assert [r.identifier for r in got] == ["r6", "r4", "r2", "r3"]   # idf(Beta) > idf(Alpha)
    assert got[2].score == got[3].score == pytest.approx(IDF_A, abs=1e-9)


def test_threshold_and_k(small):
    index = RelatedIndex(topicgraph.GraphStore.open(small[1]), RelatedWeights(threshold=2.0))
    assert [r.identifier for r in index.related("r1")] == ["r6", "r2"]
    assert [r.identifier for r in index.related("r1", k=1)] == ["r6"]


def test_recency_half_life(small):
    index = RelatedIndex(topicgraph.GraphStore.open(small[1]), RelatedWeights(half_life=365))
    got = {r.identifier: r for r in index.related("r1")}
    assert got["r2"].recency == 1.0
    assert got["r6"].recency == pytest.approx(2 ** (-152 / 365), abs=1e-9)   # 2020-01-01 .. 2020-06-01
    assert got["r6"].score == pytest.approx((IDF_A + IDF_B) * 2 ** (-152 / 365), abs=1e-8)
    assert got["r3"].score == pytest.approx(IDF_A * 2 ** (-3652 / 365), abs=1e-8)


def test_resolve_every_kind_of_reference(small):
    src, out = small
    index = RelatedIndex(topicgraph.GraphStore.open(out))
    for ref in (ART + "r3", "r3", "slug-r3", str(src / "r3.md")):
        assert index.resolve(ref) == ART + "r3", ref
    with pytest.raises(TopicgraphError, match="no article 'r9'"):
        index.resolve("r9")


def test_all_matches_one_by_one(small):
    index = RelatedIndex(topicgraph.GraphStore.open(small[1]))
    table = index.all(k=3, jobs=2)
    for a in index.incidence.articles:
        one = [(r.article, r.score) for r in index.related(a, k=3)]
        assert table.of(a) == one
    assert set(table.rank.tolist()) <= {1, 2, 3}


def test_all_is_written_to_the_store(small, tmp_path):
    _, out = small
    store = topicgraph.GraphStore.open(out)
    table = RelatedIndex(store).all(k=2)
    store.close()
    del store
    graph, lines = table.write_store(out)
    assert graph == "https://w3id.org/topicgraph/id/graph/related" and lines == 5 * len(table)
    reader = topicgraph.GraphStore.open(out)
    rows = reader.query(
        "SELECT ?rank ?b ?score ?n WHERE { GRAPH <https://w3id.org/topicgraph/id/graph/related> {"
        f" <{ART}r1> tg:relatedness ?n . ?n tg:relatedArticle ?b ;"
        " tg:rank ?rank ; tg:score ?score } } ORDER BY ?rank")
    assert rows == [
        {"rank": 1, "b": ART + "r6", "score": pytest.approx(IDF_A + IDF_B, abs=1e-9), "n": ART + "r1#related-1"},
        {"rank": 2, "b": ART + "r2", "score": pytest.approx(IDF_A + 0.75, abs=1e-9), "n": ART + "r1#related-2"}]
    # five triples a link: tg:relatedTo, the link to the node, the related article, the score and the rank
    shape = reader.query(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/topicgraph/id/graph/related> { ?s ?p ?o } }"
        " GROUP BY ?p ORDER BY ?p")
    assert shape == [{"p": "https://w3id.org/topicgraph/ns#" + p, "n": len(table)}
                     for p in ("rank", "relatedArticle", "relatedTo", "relatedness", "score")]
    assert reader.query("SELECT ?b WHERE { ?a schema:identifier 'r1' ; tg:relatedTo ?b } ORDER BY ?b") == \
        reader.query("SELECT ?b WHERE { ?a schema:identifier 'r1' ; tg:relatedness/tg:relatedArticle ?b }"
                     " ORDER BY ?b") == [{"b": ART + "r2"}, {"b": ART + "r6"}]
    reader.close()
    del reader
    # replacing, not adding: a second run with k=1 leaves one link per article
    store = topicgraph.GraphStore.open(out)
    table1 = RelatedIndex(store).all(k=1)
    store.close()
    del store
    table1.write_store(out)
    n = topicgraph.GraphStore.open(out).query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a tg:relatedTo ?b }")[0]["n"]
    assert n == len(table1) == 6
    # JSON and CSV
    csv_text = table.write_csv(tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert csv_text[0] == "article,identifier,rank,related,related_identifier,score"
    assert csv_text[1].startswith(f"{ART}r1,r1,1,{ART}r6,r6,")
    import json

    data = json.loads(table.write_json(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["k"] == 2 and data["articles"][0]["related"][0]["identifier"] == "r6"


def test_weights_parse_rejects_bad_input():
    assert RelatedWeights.parse(["half_life=none"], RelatedWeights(half_life=3)).half_life is None
    for bad in ("nope=1", "topic", "topic=x", "brand=-1", "half_life=0"):
        with pytest.raises(TopicgraphError, match="bad weight"):
            RelatedWeights.parse([bad])


@pytest.mark.parametrize("seed", range(5))
def test_top_k_matches_a_full_sort(seed):
    rng = np.random.default_rng(seed)
    m = sp.random(40, 60, density=0.3, format="csr", random_state=seed)
    m.data = np.round(rng.integers(1, 6, size=m.nnz) / 2.0, 9)   # many ties
    for k in (1, 3, 10, 100):
        row, col, rank, score = top_k_rows(m.indptr, m.indices, m.data, k)
        expect = []
        for i in range(m.shape[0]):
            start, end = m.indptr[i], m.indptr[i + 1]
            entries = sorted(zip(-m.data[start:end], m.indices[start:end]))[:k]
            expect += [(i, c, r + 1, -s) for r, (s, c) in enumerate(entries)]
        assert list(zip(row.tolist(), col.tolist(), rank.tolist(), score.tolist())) == expect


@pytest.mark.parametrize("seed", range(5))
def test_kth_floor_is_a_lower_bound_within_one_bin(seed):
    """The pruning bound of --all: never above a row's k-th largest value, at most one bin width below it."""
    rng = np.random.default_rng(seed)
    m = sp.random(60, 300, density=0.2, format="csr", random_state=seed)
    values = rng.choice([0.0, 0.5, 1.7, 2.25, 3.0, 40.0 * seed], size=m.nnz)     # ties, and a wide range
    m.data = np.round(values + rng.random(m.nnz) * (seed % 2), 9)
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    for k in (1, 3, 10, 70):
        floor = kth_floor(rows, m.data, m.shape[0], k)
        exact = kth_largest(m.indptr, m.data, k)
        short = np.diff(m.indptr) <= k
        exact[short & (np.diff(m.indptr) == k)] = [np.sort(m.data[m.indptr[i]:m.indptr[i + 1]])[0]
                                                   for i in np.flatnonzero(short & (np.diff(m.indptr) == k))]
        width = max(1 / 16, m.data.max() / 1023)
        ok = np.isfinite(exact)
        assert np.all(floor[ok] <= exact[ok] + 1e-9) and np.all(floor[ok] >= exact[ok] - width - 1e-9)
        assert np.all(np.isneginf(floor[np.diff(m.indptr) < k]))
    assert kth_floor(rows, -m.data, m.shape[0], 3) is None           # negative values: not for this bound


def test_json_and_csv_are_what_the_json_and_csv_modules_write(tmp_path):
    """The files are built from strings made once per article; they must equal json.dumps / csv.writer output,
    whatever the IRIs and ids hold."""
    import csv
    import io
    import json
    from dataclasses import asdict

    from topicgraph.analysis.graphs import Incidence

    arts = [ART + "a,1", ART + 'b"2', ART + "c\u00e9", ART + "d"]
    ident = {arts[0]: "1,5", arts[1]: 'say "x"', arts[2]: "caf\u00e9\nline"}      # d has no id
    inc = Incidence(articles=arts, topics=[], matrix=sp.csr_matrix((4, 0)), article_identifier=ident)
    source, target = np.array([0, 0, 1, 3]), np.array([1, 3, 2, 0])
    table = RelatedTable(inc, source, target, np.array([1, 2, 1, 1]), np.array([2.5, 1e-9, 1 / 3, 7.0]), 2,
                         RelatedWeights())
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["article", "identifier", "rank", "related", "related_identifier", "score"])
    w.writerows((a, ident.get(a, ""), r, b, ident.get(b, ""), f"{x:.9f}") for a, r, b, x in table.rows())
    assert table.write_csv(tmp_path / "r.csv").read_bytes() == buf.getvalue().encode("utf-8")
    expect = (f'{{"k": 2, "weights": {json.dumps(asdict(table.weights))}, "articles": [\n'
              + ",\n".join(json.dumps(r, ensure_ascii=False) for r in table.records()) + "\n]}\n")
    assert table.write_json(tmp_path / "r.json").read_text(encoding="utf-8") == expect
    empty = RelatedTable(inc, *(np.zeros(0, dtype=np.int64),) * 3, np.zeros(0), 2, RelatedWeights())
    assert json.loads(empty.write_json(tmp_path / "e.json").read_text(encoding="utf-8"))["articles"] == []
    assert empty.write_json(tmp_path / "e.json").read_text(encoding="utf-8").endswith('"articles": [\n\n]}\n')
    assert list(empty.ntriples()) == []


def test_large_graphs_are_replaced_by_copy_and_swap(small, tmp_path):
    """Above COPY_ABOVE quads the store is copied without the old graph and the manifest switched to the copy."""
    import json
    import shutil

    from topicgraph.store import replace_graph

    out = tmp_path / "graph"
    shutil.copytree(small[1], out)
    store = topicgraph.GraphStore.open(out)
    table = RelatedIndex(store).all(k=3)
    before = {g: n for g, n in ((r["g"], r["n"]) for r in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))}
    store.close()
    del store
    replace_graph(out, "related", table.ntriples())          # absent: written in place
    old_folder = json.loads((out / "topicgraph-store.json").read_text())["store"]
    table2 = RelatedIndex(topicgraph.GraphStore.open(out)).all(k=1)
    graph, lines = replace_graph(out, "related", table2.ntriples(), copy_above=0)
    manifest = json.loads((out / "topicgraph-store.json").read_text())
    assert manifest["store"] != old_folder and not (out / old_folder).exists()
    assert not any(p.name.startswith(".tmp-build-") for p in out.iterdir())
    after = {r["g"]: r["n"] for r in topicgraph.GraphStore.open(out).query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    assert after.pop(graph) == lines == 5 * len(table2)
    before.pop(graph, None)                                   # an earlier test may have written one
    assert after == before                                    # every other graph as it was


@pytest.mark.parametrize("extra", [[], ["not a date"], ["2021-02-30"]])
def test_dates_parsed_at_once_equal_dates_parsed_one_by_one(extra):
    from topicgraph.analysis.related import _all_days, _days

    values = ["2019-06-10T23:30:45.947084Z", None, "", "2020-01-01", "1969-12-31", "2021-02-28T00:00:00+05:00",
              "NaT", "0001-01-01", "9999-12-31T23:59:59Z", *extra]
    want = np.array([_days(v) for v in values], dtype=np.float64)
    assert np.array_equal(_all_days(values), want, equal_nan=True)
    assert np.isnan(want[1]) and np.isnan(want[6]) and want[3] == 18262.0 and want[4] == -1.0
