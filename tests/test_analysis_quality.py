"""Quality, measured on a synthetic corpus with planted topic groups (topicgraph.synth): clusters recover the
groups (NMI >= 0.9) and the top-10 related items of an article come from its group (precision >= 0.9)."""

from __future__ import annotations

import numpy as np
import pytest

import topicgraph
from topicgraph.analysis import load_incidence
from topicgraph.analysis.clusters import find_clusters
from topicgraph.analysis.related import RelatedIndex
from topicgraph.analysis.topk import row_blocks, top_k_rows
from topicgraph.synth import SynthConfig, generate
from topicgraph.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    corpus = generate(tmp_path_factory.mktemp("synth"), SynthConfig(n=1500, seed=11, groups=8))
    out = tmp_path_factory.mktemp("synth-graph")
    topicgraph.build([corpus.root], out=out, jobs=2)
    return corpus, load_incidence(topicgraph.GraphStore.open(out))


def nmi(a, b) -> float:
    """Normalised mutual information (arithmetic mean of the entropies, as scikit-learn's default)."""
    a = np.unique(np.asarray(a), return_inverse=True)[1]
    b = np.unique(np.asarray(b), return_inverse=True)[1]
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1)
    p = joint / len(a)
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    ha, hb = float(-(pa * np.log(pa)).sum()), float(-(pb * np.log(pb)).sum())
    return 2 * mi / (ha + hb) if ha + hb else 1.0


def test_nmi_helper():
    assert nmi([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx(1.0)
    assert nmi([0, 1, 0, 1], [0, 0, 1, 1]) == pytest.approx(0.0)


@pytest.mark.parametrize("weight", ["count", "jaccard"])
def test_clusters_recover_the_planted_groups(synth, weight):
    corpus, inc = synth
    result = find_clusters(inc, seed=3, weight=weight)
    cluster = result.cluster_of()
    # the planted group of each concept, through the taxonomy lookup the build uses (altLabels included)
    taxonomy = load_taxonomy()
    group_of_iri = {taxonomy.resolve(*name.split(": ", 1))[0]: g for name, g in corpus.group_of_topic.items()}
    truth = [group_of_iri[t] for t in inc.topics]
    found = [cluster.get(t, -1 - i) for i, t in enumerate(inc.topics)]
    assert nmi(truth, found) >= 0.9
    assert 0.3 < result.modularity < 1
    assert sum(c.size for c in result.clusters) + len(result.unclustered) == len(inc.topics)


def test_clusters_are_deterministic_for_a_seed(synth):
    _, inc = synth
    one, two = find_clusters(inc, seed=5), find_clusters(inc, seed=5)
    assert [c.topics for c in one.clusters] == [c.topics for c in two.clusters]
    assert one.modularity == two.modularity


def test_related_items_share_the_group(synth):
    corpus, inc = synth
    index = RelatedIndex(inc)
    table = index.all(10, jobs=2)
    group = np.array([corpus.group_of_article.get(inc.article_identifier.get(a), -1) for a in inc.articles])
    assert (group[table.source] >= 0).all()
    precision = float((group[table.source] == group[table.target]).mean())
    assert precision >= 0.9, precision
    # every article about something gets its 10 (the groups are large)
    with_topics = int((np.diff(inc.matrix.indptr) > 0).sum())
    assert len(table) == 10 * with_topics


def test_pruned_top_k_equals_the_exhaustive_one(synth):
    _, inc = synth
    index = RelatedIndex(inc)
    for lo, hi in row_blocks(index._row_cost, 200_000)[:3]:
        pruned = top_k_rows(*index._scores(lo, hi, 10), 10)
        full = top_k_rows(*index._scores(lo, hi, None), 10)
        for x, y in zip(pruned, full):
            np.testing.assert_array_equal(x, y)


def test_general_author_path_matches_the_coded_one(synth, monkeypatch):
    _, inc = synth
    coded = RelatedIndex(inc)
    assert coded.author_codes is not None
    general = RelatedIndex(inc)
    general.author_codes = None
    for a in inc.articles[:40]:
        assert [(r.article, r.score) for r in coded.related(a)] == [(r.article, r.score) for r in general.related(a)]
