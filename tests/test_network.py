"""No input makes topicgraph reach the network: owl:imports in a taxonomy, hostile records."""

from __future__ import annotations

import topicgraph
from topicgraph.taxonomy import load_taxonomy

from .conftest import DATA
from .test_queries import _Listener


def test_owl_imports_in_a_taxonomy_are_not_followed(tmp_path, no_network):
    tax = tmp_path / "tax"
    tax.mkdir()
    (tax / "acme.ttl").write_text("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/topicgraph/taxonomy/acme> a skos:ConceptScheme, owl:Ontology ;
            owl:imports <http://192.0.2.1/evil.ttl>, <https://example.com/evil.ttl> ;
            skos:prefLabel "Acme"@en .
    """)
    load_taxonomy(tax)
    topicgraph.build([DATA / "bad"], out=tmp_path / "out", taxonomy=tax, jobs=1)
    assert no_network == []


def test_hostile_records_do_not_reach_the_network(tmp_path, no_network):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ctx.md").write_text('---\nid: 1\ntitle: T\n"@context": https://example.com/context.jsonld\n'
                                "link:\n  href: https://192.0.2.1/x\n---\n<img src='http://192.0.2.1/p.png'>\n")
    topicgraph.build([src], out=tmp_path / "out", formats=["jsonld", "ttl"], jobs=1)
    assert no_network == []


def test_the_guard_sees_connections(no_network):
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    server.close()
    assert any(event == "socket.connect" and addr[1] == port for event, addr in no_network if isinstance(addr, tuple))


def test_validate_never_fetches_a_remote_jsonld_context(tmp_path, no_network):
    from click.testing import CliRunner

    from topicgraph.cli import cli

    listener = _Listener()
    try:
        doc = tmp_path / "data.jsonld"
        doc.write_text('{"@context": "http://127.0.0.1:%d/context.jsonld", "@id": "https://e.org/a", '
                       '"name": "x"}' % listener.port)
        result = CliRunner().invoke(cli, ["validate", str(doc), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
    finally:
        listener.close()
    assert listener.connections == 0
    assert no_network == [] or all(addr[1] != listener.port for _, addr in no_network if isinstance(addr, tuple))
