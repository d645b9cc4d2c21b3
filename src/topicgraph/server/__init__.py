"""SPARQL over HTTP: our read-only endpoint (``serve``), and pushing the graph to other servers (``push``).

``SparqlServer`` answers the SPARQL 1.1 Protocol over a build folder; ``push`` loads a build into any server
that speaks the SPARQL 1.1 Graph Store HTTP Protocol, through the client in :mod:`topicgraph.remote`.
"""

from __future__ import annotations

from ..remote import EndpointError, HttpClient
from .endpoint import PATHS, ServerSettings, SparqlServer
from .push import PushReport, push

__all__ = ["SparqlServer", "ServerSettings", "PATHS", "push", "PushReport", "EndpointError", "HttpClient"]
