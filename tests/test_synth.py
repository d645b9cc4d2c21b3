"""The synthetic corpus generator: layout like the seeds, determinism, planted structure, ground truth."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
import yaml

from topicgraph import synth
from topicgraph.synth import SEED_TOPICS, SynthConfig, generate

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
DATE_LINE = re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December) "
                       r"([1-9]|[12]\d|3[01]), (20\d\d)$")
BYLINE = re.compile(r"^(?:// By (?P<a>[^/]+) //|By (?P<b>.+))$")
N = 2000


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def _seed_front(name: str) -> dict:
    return _front(next(SEEDS.glob(name + "_*.txt")))[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synth") / "out", SynthConfig(n=N, seed=7, shard_size=500))


@pytest.fixture(scope="module")
def fronts(corpus) -> dict[Path, tuple[dict, str]]:
    """Every front-matter record of the corpus, parsed once with ``yaml.safe_load``."""
    return {p: _front(p) for p in corpus.files if p.suffix == ".md"}


def _files_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_config_gives_byte_identical_output_and_another_seed_differs(tmp_path):
    cfg = SynthConfig(n=300, seed=3, plain_fraction=0.1, shard_size=64)
    a = _files_bytes(generate(tmp_path / "a", cfg).root)
    b = _files_bytes(generate(tmp_path / "b", cfg).root)
    assert a == b
    assert len(a) == 301  # records + manifest
    c = _files_bytes(generate(tmp_path / "c", SynthConfig(n=300, seed=4, plain_fraction=0.1, shard_size=64)).root)
    assert set(c) != set(a)
    assert sum(a[k] != c.get(k) for k in a) > 290


def test_layout_shards_and_names(corpus):
    assert len(corpus.files) == N
    assert sorted(p.name for p in corpus.root.iterdir()) == [".manifest.json", "0000", "0001", "0002", "0003"]
    for i, p in enumerate(corpus.files):
        assert p.parent.name == f"{i // 500:04d}"
        assert re.fullmatch(rf"{i:07d}_[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{2}}\.(md|txt)", p.name), p.name
        assert p.is_file()


def test_front_matter_records_parse_and_match_the_seed_layout(corpus, fronts):
    seed_keys = list(_seed_front("000"))
    assert seed_keys == list(_seed_front("001"))
    seed = _seed_front("000")
    ids, md_names, n = set(), set(), 0
    for index, path in enumerate(corpus.files):
        if path.suffix != ".md":
            continue
        n += 1
        post = frontmatter.load(path)
        data, body = fronts[path]
        assert data == post.metadata and body.strip() == post.content.strip()
        assert list(data) == seed_keys
        for key in seed_keys:
            assert type(data[key]) is type(seed[key]), key
        for key in ("featuredImage", "link", "openProjectCustomFields"):
            assert list(data[key]) == list(seed[key])
            for sub in data[key]:
                assert type(data[key][sub]) is type(seed[key][sub]), (key, sub)
        assert list(data["featuredImage"]["wpAttachment"]) == list(seed["featuredImage"]["wpAttachment"])
        assert all(type(x) is int for x in data["featuredImage"]["size"])
        assert data["author"] and all(type(a) is str and a for a in data["author"])
        assert 2 <= len(data["communityTopics"]) <= 6
        assert all(re.fullmatch(r"(Medigy|Gartner|Symplur): \S.*", t) for t in data["communityTopics"])
        assert json.loads(data["openProjectCustomFields"]["medigyTopics"]) == data["communityTopics"]
        assert ISO.match(data["date"]) and ISO.match(data["lastMod"]) and data["lastMod"] > data["date"]
        assert "2015" <= data["date"][:4] <= "2024"
        assert data["breadcrumbs"][-1] == data["title"] == data["featuredImage"]["alt"]
        assert data["mastHead"] == data["identifier"] + " CoP"
        assert data["link"]["href"].startswith("https://") and data["link"]["brand"] in data["link"]["href"]
        assert data["featuredImage"]["workPackage"] == data["id"]
        assert path.name.startswith(f"{index:07d}_{data['mdName'][:16]}")
        assert body.startswith("\n<p>") and body.endswith("</p>")
        assert data["id"] not in ids and data["mdName"] not in md_names
        ids.add(data["id"])
        md_names.add(data["mdName"])
    assert n == N - len(corpus.plain_articles)


def test_every_string_value_is_single_quoted_on_one_line(corpus):
    for path in corpus.files[:300]:
        if path.suffix != ".md":
            continue
        for line in path.read_text(encoding="utf-8").split("\n---\n", 1)[0].splitlines()[1:]:
            item = line.lstrip()
            if item.startswith("- "):
                value = item[2:]
            elif item.endswith(":"):
                continue  # a mapping or list follows
            else:
                value = item.split(": ", 1)[1]
            assert re.fullmatch(r"'(?:[^']|'')*'|\d+|true|\[\]", value), line


@pytest.mark.parametrize("value", ["O'Brien", "a: b", "'", "#x", "- y", "It’s Complicated!", "{x}", "%x", "@a"])
def test_yaml_quoting_round_trips(value):
    assert yaml.safe_load("k: " + synth.text.yaml_quote(value)) == {"k": value}


def test_plain_articles_state_title_date_and_byline(corpus):
    plain = [p for p in corpus.files if p.suffix == ".txt"]
    assert 30 <= len(plain) <= 100  # 3% of 2000
    assert [p.stem for p in plain] == corpus.plain_articles
    for path in plain:
        text = path.read_text(encoding="utf-8")
        assert not text.startswith("---")
        assert frontmatter.loads(text).metadata == {}
        lines = text.split("\n")
        title, blank1, date, blank2, byline, blank3 = lines[:6]
        assert title and not title.endswith((".", ",", ";")) and blank1 == blank2 == blank3 == ""
        assert DATE_LINE.match(date), date
        m = BYLINE.match(byline)
        assert m and "@" not in byline, byline
        assert len(lines[6]) > 80  # the body starts


def _labels_in(text: str, vocab: dict[tuple[str, ...], str]) -> set[str]:
    toks = synth.tokens(text)
    longest = max(len(k) for k in vocab)
    return {vocab[tuple(toks[i:j])] for i in range(len(toks)) for j in range(i + 1, min(len(toks), i + longest) + 1)
            if tuple(toks[i:j]) in vocab}


def test_text_mentions_exactly_the_planted_labels(corpus, fronts):
    vocab = {synth.label_tokens(t.label): t.key for t in corpus.topics}
    plain = set(corpus.plain_articles)
    for path in corpus.files:
        if path.suffix == ".md":
            data, body = fronts[path]
            rid = str(data["id"])
            text = data["title"] + "\n" + html.unescape(re.sub(r"<[^>]+>", " ", body))
            assert tuple(data["communityTopics"]) == corpus.topics_of_article[rid]
        else:
            rid = path.stem
            assert rid in plain
            text = path.read_text(encoding="utf-8")
        mentioned = corpus.mentioned_of_article[rid]
        assert mentioned and set(mentioned) <= set(corpus.topics_of_article[rid])
        assert _labels_in(text, vocab) == set(mentioned), path.name
    assert set(corpus.mentioned_of_article[p] for p in plain) <= set(corpus.topics_of_article[p] for p in plain)


def test_planted_group_shares(corpus):
    cfg = corpus.config
    own = total = 0
    for rid, topics in corpus.topics_of_article.items():
        g = corpus.group_of_article[rid]
        own += sum(corpus.group_of_topic[t] == g for t in topics)
        total += len(topics)
    expected = cfg.in_group_share + (1 - cfg.in_group_share) / cfg.groups
    assert abs(own / total - expected) < 0.03, own / total
    assert 3.8 <= total / N <= 4.2  # mean of uniform 2..6 is 4
    sizes = Counter(corpus.group_of_article.values())
    assert len(sizes) == cfg.groups and min(sizes.values()) > N / cfg.groups / 2
    # topic popularity inside a group falls with rank (Zipf-like)
    by_rank = Counter()
    for rid, topics in corpus.topics_of_article.items():
        g = corpus.group_of_article[rid]
        for t in topics:
            if corpus.group_of_topic[t] == g:
                by_rank[next(x.rank for x in corpus.topics if x.key == t)] += 1
    assert by_rank[0] > 2 * by_rank[6] > 0 and by_rank[0] > 3 * by_rank[cfg.topics_per_group - 1]


def test_authors_and_brands_are_zipf_like_and_dates_spread(fronts):
    authors, brands, years = Counter(), Counter(), Counter()
    for data, _ in fronts.values():
        authors.update(data["author"])
        brands[data["link"]["brand"]] += 1
        years[data["date"][:4]] += 1
    counts = sorted(authors.values(), reverse=True)
    assert counts[0] > 10 * counts[len(counts) // 2] and len(authors) > 100
    bcounts = sorted(brands.values(), reverse=True)
    assert bcounts[0] > 5 * bcounts[len(bcounts) // 2] and len(brands) >= 30
    assert sorted(years) == [str(y) for y in range(2015, 2025)] and min(years.values()) > 100


def test_seed_topics_appear(corpus):
    keys = [f"{v}: {label}" for v, label in SEED_TOPICS]
    assert [t.key for t in corpus.topics[:4]] == keys
    assert all(corpus.group_of_topic[k] == 0 for k in keys)
    data, _ = _front(corpus.files[0])
    assert data["communityTopics"] == keys
    used = Counter(t for topics in corpus.topics_of_article.values() for t in topics)
    assert all(used[k] > 10 for k in keys)
    assert len(corpus.topics) == len(corpus.group_of_topic) == 240
    assert len({t.label for t in corpus.topics}) == 240


def test_seed_labels_are_not_in_the_filler_text():
    filler = synth.vocabulary.filler_ngrams()
    assert not [label for _, label in SEED_TOPICS if synth.label_tokens(label) in filler]


def test_manifest_matches(corpus):
    m = synth.load_manifest(corpus.root)
    assert m == json.loads((corpus.root / ".manifest.json").read_text(encoding="utf-8"))
    assert m["config"] == corpus.config.to_json() and SynthConfig(**{
        **m["config"], "topics_per_article": tuple(m["config"]["topics_per_article"]),
        "vendors": tuple(m["config"]["vendors"])}) == corpus.config
    assert m["files"] == [p.relative_to(corpus.root).as_posix() for p in corpus.files]
    assert m["group_of_article"] == corpus.group_of_article
    assert m["group_of_topic"] == corpus.group_of_topic
    assert m["plain_articles"] == corpus.plain_articles
    assert m["topics_of_article"] == {k: list(v) for k, v in corpus.topics_of_article.items()}
    assert m["mentioned_of_article"] == {k: list(v) for k, v in corpus.mentioned_of_article.items()}
    assert [t["key"] for t in m["topics"]] == [t.key for t in corpus.topics]
    assert m["counts"]["records"] == N == len(m["group_of_article"])
    assert m["counts"]["plain"] + m["counts"]["front_matter"] == N


def test_cli_writes_corpus_and_manifest(tmp_path, capsys):
    out = tmp_path / "cli"
    assert synth.main([str(out), "-n", "25", "--seed", "1", "--shard-size", "10"]) == 0
    m = synth.load_manifest(out)
    assert m["config"]["n"] == 25 and m["config"]["seed"] == 1 and len(m["files"]) == 25
    assert sorted(p.name for p in out.iterdir()) == [".manifest.json", "0000", "0001", "0002"]
    assert synth.main([str(out), "-n", "5"]) == 2  # not empty
    assert "not empty" in capsys.readouterr().err
    assert synth.main([str(out), "-n", "5", "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".manifest.json", "0000"]
    assert synth.main([str(out), "-n", "25", "--seed", "1", "--shard-size", "10", "--force"]) == 0
    api = generate(tmp_path / "api", SynthConfig(n=25, seed=1, shard_size=10))
    assert _files_bytes(api.root) == _files_bytes(out)


def test_invalid_configs_are_refused():
    for kwargs in ({"n": -1}, {"n": 1, "plain_fraction": 2}, {"n": 1, "topics_per_article": (3, 2)},
                   {"n": 1, "groups": 0}, {"n": 1, "vendors": ()}, {"n": 1, "vendors": ("A:B",)},
                   {"n": 1, "shard_size": 0}):
        with pytest.raises(ValueError):
            SynthConfig(**kwargs)
    with pytest.raises(ValueError):
        synth.build_vocabulary(0, 500, 12, ("Medigy",))


def test_vocabulary_labels_do_not_nest():
    vocab = synth.build_vocabulary(0, 60, 12, ("Medigy", "Gartner", "Symplur"))
    toks = [synth.label_tokens(t.label) for t in vocab]
    assert len(set(toks)) == len(toks) == 720
    for a in toks:
        subs = synth.vocabulary.subgrams(a) - {a}
        assert not subs.intersection(toks), a


def test_the_corpus_taxonomy_knows_all_but_a_planted_few_topics(corpus, tmp_path):
    """write_taxonomy: the shipped taxonomy plus a concept per generated topic but about 5% (never a seed topic),
    deterministic, clean under `taxonomy check`, and `validate` warns about exactly the left-out topics."""
    from click.testing import CliRunner

    from topicgraph.cli import cli
    from topicgraph.taxonomy import load_taxonomy

    folder = synth.write_taxonomy(corpus, tmp_path / "tax")
    again = synth.write_taxonomy(corpus, tmp_path / "tax2")
    assert (folder / "synthetic.ttl").read_bytes() == (again / "synthetic.ttl").read_bytes()
    shipped = load_taxonomy()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in shipped.files] + ["synthetic.ttl"])
    tax = load_taxonomy(folder)
    unknown = sorted(t.key for t in corpus.topics if not tax.resolve(t.vendor, t.label)[1])
    new = [t for t in corpus.topics if not shipped.resolve(t.vendor, t.label)[1]]
    assert unknown and len(unknown) == round(len(new) * 0.05)
    assert not set(unknown) & {f"{v}: {label}" for v, label in SEED_TOPICS}

    runner = CliRunner()
    res = runner.invoke(cli, ["taxonomy", "check", "--taxonomy", str(folder)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["validate", str(corpus.root / "0000"), "--taxonomy", str(folder), "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    flagged = {re.search(r"topic '([^']+)'", f["message"]).group(1)
               for f in json.loads(res.output)["findings"] if f["rule"] == "record.topics.unknown-topic"}
    used = {t for rid, topics in corpus.topics_of_article.items() for t in topics}
    in_shard = {t for p in (corpus.root / "0000").iterdir() for t in unknown if t in p.read_text(encoding="utf-8")}
    assert flagged == in_shard and flagged <= set(unknown) & used


def test_build_and_validate_of_a_generated_folder_see_records_only(tmp_path):
    """The ground truth is a dot file: a build maps every file and skips none (so --strict passes), and validate
    reports on records only. A corpus from an older generator (manifest.json) is still read, and --force
    replaces it."""
    from click.testing import CliRunner

    from topicgraph.cli import cli

    out = tmp_path / "c"
    generate(out, SynthConfig(n=40, seed=2, shard_size=20))
    r = CliRunner().invoke(cli, ["build", str(out), "--out", str(tmp_path / "g"), "--strict", "--json"])
    assert r.exit_code == 0, r.output
    counts = json.loads(r.output)["counts"]
    assert counts["files"] == counts["mapped"] == 40 and counts["skipped"] == 0
    v = CliRunner().invoke(cli, ["validate", str(out), "--no-cache", "--format", "json"])
    files = json.loads(v.output)["files"]
    assert len(files) == 40 and not [f for f in files if "manifest" in f]
    legacy = out / "manifest.json"
    (out / ".manifest.json").rename(legacy)
    assert synth.load_manifest(out)["config"]["n"] == 40
    generate(out, SynthConfig(n=10, seed=2, shard_size=20), overwrite=True)
    assert not legacy.exists() and synth.load_manifest(out)["config"]["n"] == 10


def test_shipped_synonyms_table_matches_the_shipped_taxonomy():
    from topicgraph.synth.synonyms import SHIPPED_SYNONYMS, shipped_synonyms
    from topicgraph.synth.words import HEADS, MODIFIERS, THEMES
    from topicgraph.taxonomy import load_taxonomy

    labels = {lab for theme in THEMES for lab in theme} | {lab for _, lab in SEED_TOPICS}
    labels |= {f"{m} {h}" for m in MODIFIERS for h in HEADS}
    vendors = {v for v, _ in SHIPPED_SYNONYMS} | {"Medigy", "Gartner", "Symplur"}
    assert shipped_synonyms(load_taxonomy(), labels, vendors) == SHIPPED_SYNONYMS


@pytest.mark.parametrize("seed", [0, 6, 11, 39])
def test_no_two_planted_topics_are_one_concept_of_the_shipped_taxonomy(seed):
    # Medigy: Care Transitions is an altLabel of Medigy: Care Coordination: planted in two groups, the build merged
    # them (and their groups) into one concept, so the ground truth contradicted the taxonomy
    from topicgraph.taxonomy import load_taxonomy

    tax = load_taxonomy()
    vocab = synth.build_vocabulary(seed, 20, 12, ("Medigy", "Gartner", "Symplur"))
    concepts = [tax.resolve(t.vendor, t.label)[0] for t in vocab]
    assert len(set(concepts)) == len(concepts)
