"""Deterministic, always-valid IRIs for articles, people, brands, topics and graphs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from .vocab import DEFAULT_BASE_IRI
from .vocab import TAX as TAX_IRI

__all__ = ["key", "label_key", "IriMinter", "check_web_iri", "is_valid_iri"]

_SPACE = re.compile(r"[\s_]+")
_UNSAFE_URL = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`\s]')
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.~")


def label_key(text: str) -> str:
    """Normalise a label for comparison: NFC, case folded, white space collapsed.

    >>> label_key("  Patient\\tAcquisition ")
    'patient acquisition'
    """
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@lru_cache(maxsize=65536)  # the same people, brands and topics recur in record after record
def key(text: str) -> str:
    """Turn any text into an IRI path segment that is safe and deterministic.

    Letters and digits of ASCII, ``-``, ``.`` and ``~`` stay; white space becomes ``-``; everything else is
    percent-encoded as UTF-8, so two different labels never share a key (apart from case and spacing).

    >>> key("Patient Acquisition")
    'patient-acquisition'
    >>> key("C++ <script>")
    'c%2B%2B-%3Cscript%3E'
    >>> key("Vinit @maxinovip.com")
    'vinit-%40maxinovip.com'
    """
    folded = _SPACE.sub("-", label_key(text)).strip("-") or "-"
    out = []
    for ch in folded:
        if ch in _SAFE:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    segment = "".join(out)
    # "." and ".." are path navigation, not names
    return segment if segment.strip(".") else segment.replace(".", "%2E")


def is_valid_iri(value: str) -> bool:
    """True when pyoxigraph accepts ``value`` as an absolute IRI (it checks RFC 3987 strictly).

    >>> is_valid_iri("https://example.org/a b")
    False
    """
    from pyoxigraph import NamedNode

    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def check_web_iri(value: str, *, relative: bool = False) -> str | None:
    """Return why ``value`` is not a usable http(s) link, or ``None`` when it is: the one rule for every address
    a record gives (``link.href``, ``link.original``, ``featuredImage.href``, ``aliases``).

    ``relative``: a reference without a scheme (an image's file name, an alias's path on the site) is fine too;
    any scheme other than http(s) is refused all the same.

    >>> check_web_iri("javascript:alert(1)")
    "scheme 'javascript' is not allowed: use an http:// or https:// link"
    >>> check_web_iri("https://www.example.com/a") is None
    True
    >>> check_web_iri("/news/a-post", relative=True) is None, check_web_iri("JavaScript:x", relative=True)[:19]
    (True, "scheme 'javascript'")
    """
    if _UNSAFE_URL.search(value):
        return "contains white space, a control character or one of <>\"{}|\\^`: percent-encode it"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if not parts.scheme:
        if not relative:
            return "is not an absolute URL: start it with https://"
        # resolved against the site it belongs to: checked as an address on some site
        return None if is_valid_iri(_SOME_SITE + value.lstrip("/")) else "is not a valid IRI reference"
    if parts.scheme.lower() not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not allowed: use an http:// or https:// link"
    if not parts.netloc:
        return "has no host name"
    if not is_valid_iri(value):
        return "is not a valid IRI"
    return None


#: where a relative reference is resolved to check it (any site would do)
_SOME_SITE = "https://example.org/"


class IriMinter:
    """Mints every IRI a build writes, under one base IRI.

    >>> m = IriMinter("https://example.org/kg/")
    >>> m.article("4463")
    'https://example.org/kg/article/4463'
    >>> m.concept("Medigy", "Patient Acquisition")
    'https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition'
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        problem = None
        if "#" in base_iri or "?" in base_iri:
            # IRIs are minted by appending paths (article/ID) and fragments (article/ID#image): a base with a
            # fragment would give a second "#", one with a query would put every path inside the query
            problem = (f"has a {'fragment (#)' if '#' in base_iri else 'query (?)'}, and IRIs are minted under it "
                       "as paths (.../article/ID#image)")
        elif not base_iri.endswith("/"):
            base_iri += "/"
        if problem is None and not is_valid_iri(base_iri + "x"):
            problem = "is not a valid absolute IRI"
        if problem:
            from .errors import TopicgraphError

            raise TopicgraphError(f"base IRI {base_iri!r} {problem}: use something like {DEFAULT_BASE_IRI}")
        self.base = base_iri

    def article(self, record_id: str) -> str:
        return f"{self.base}article/{key(record_id)}"

    def person(self, name: str) -> str:
        return f"{self.base}person/{key(name)}"

    def brand(self, domain: str) -> str:
        return f"{self.base}brand/{key(domain)}"

    def community(self, name: str) -> str:
        return f"{self.base}community/{key(name)}"

    def source_file(self, sha256: str) -> str:
        return f"{self.base}file/{sha256}"

    def record_graph(self, record_id: str) -> str:
        return f"{self.base}graph/record/{key(record_id)}"

    @property
    def entities_graph(self) -> str:
        return f"{self.base}graph/entities"

    @property
    def taxonomy_graph(self) -> str:
        return f"{self.base}graph/taxonomy"

    def graph(self, name: str) -> str:
        """A named graph for derived data (``suggestions``, ``related``, ``clusters``)."""
        return f"{self.base}graph/{key(name)}"

    @staticmethod
    def scheme(vendor: str) -> str:
        return f"{TAX_IRI}{key(vendor)}"

    @staticmethod
    def concept(vendor: str, label: str) -> str:
        return f"{TAX_IRI}{key(vendor)}/{key(label)}"
