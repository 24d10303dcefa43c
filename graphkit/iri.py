"""Minting and reading the project's IRIs: one base, one function, keys never taken from labels."""
from __future__ import annotations

import re

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/xbkg/"
XBKG = Namespace(BASE + "ontology#")
ONTOLOGY = URIRef(BASE + "ontology")

# Instance kinds, each a path segment under id/. Closed: a typo raises.
KINDS = frozenset({
    "unit", "post", "twinning", "agreement", "item", "event", "claim",
    "source", "org", "person", "role", "evidence",
})
# Vocabulary namespaces (SKOS schemes) live beside id/.
VOCABULARIES = frozenset({"level", "kind", "area", "role", "passage"})

_KEY = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*(?:--[a-z0-9]+(?:[-.][a-z0-9]+)*)*$")


def mint(kind: str, key: str) -> URIRef:
    """The IRI of the thing of `kind` whose curator-chosen stable `key` is given."""
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of {sorted(KINDS)}")
    if not _KEY.match(key):
        raise ValueError(f"IRI key {key!r} must be lower-case letters, digits, '-' and '.'")
    return URIRef(f"{BASE}id/{kind}/{key}")


def vocabulary_term(scheme: str, key: str) -> URIRef:
    """The IRI of a term in one of the project's SKOS vocabularies."""
    if scheme not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary {scheme!r}")
    return URIRef(f"{BASE}{scheme}/{key}")


def parse(iri: str) -> tuple[str, str] | None:
    """(kind, key) of a minted instance IRI, or None when the IRI is not one of ours."""
    prefix = BASE + "id/"
    if not iri.startswith(prefix):
        return None
    kind, _, key = iri[len(prefix):].partition("/")
    if kind in KINDS and _KEY.match(key):
        return kind, key
    return None
