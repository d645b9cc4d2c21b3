"""taxonomy.similar (did-you-mean closeness) and taxonomy.extract.vendor_typo / is_new_vendor (the one vendor rule)."""

from __future__ import annotations

import pytest

from topicgraph.records import DEFAULT_PROFILE, Profile
from topicgraph.taxonomy import load_taxonomy
from topicgraph.taxonomy.extract import is_new_vendor, vendor_typo
from topicgraph.taxonomy.similar import close_matches, similarity
from topicgraph.validation.topics import did_you_mean


@pytest.fixture(scope="module")
def everything():
    tax = load_taxonomy()
    out = {}
    for scheme, vendor in tax.schemes.items():
        for label, iri in tax.labels_in(scheme).items():
            out.setdefault(label, f"{vendor}: {tax.concepts[iri].label}")
    return out


@pytest.mark.parametrize("word, never", [
    ("observational study", "Gartner: Conversational AI"),
    ("cloud", "Symplur: Opioid Epidemic"),
    ("cloud", "Symplur: COVID-19"),
    ("Patient Aquisition", "Medigy: Patient Experience"),
    ("market", "Symplur: Rare Diseases"),
])
def test_nonsense_is_never_suggested(everything, word, never):
    assert never not in did_you_mean(word, everything)


@pytest.mark.parametrize("word, first", [
    ("Patient Aquisition", "Medigy: Patient Acquisition"),
    ("Customr Experiense", "Gartner: Customer Experience"),
    ("cloud computin", "Gartner: Cloud Computing"),
])
def test_real_near_misses_are_suggested_first(everything, word, first):
    assert did_you_mean(word, everything)[0] == first


def test_similarity_rules():
    assert similarity("patient aquisition", "patient acquisition") >= 0.8
    assert similarity("cloud", "cloud computing") > 0  # a word left out
    assert similarity("cloud", "oud") == 0 and similarity("ai", "aid") == 0
    assert similarity("a" * 500, "a" * 500) == 0  # never compared: too long to be a slip
    assert close_matches("x", {}) == []


def test_one_vendor_rule():
    tax = load_taxonomy()
    assert [vendor_typo(v, tax) for v in ("Gartnr", "gartner ", "Medgy", "Symplr", "Acme", "Blog", "Gart")] == \
        ["Gartner", None, "Medigy", "Symplur", None, None, None]
    assert is_new_vendor("Acme", None, DEFAULT_PROFILE, tax)
    assert not is_new_vendor("Gartnr", None, DEFAULT_PROFILE, tax)
    # the profile's default vendor is the site's own, whatever its name is close to
    assert is_new_vendor("Gartnr", None, Profile(default_vendor="Gartnr"), tax)
    assert not is_new_vendor("Acme", "https://w3id.org/topicgraph/taxonomy/acme", DEFAULT_PROFILE, tax)
