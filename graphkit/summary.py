"""Counts that describe the graph: by kind, level and country pair, and the aggregate claims."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .namespaces import sparql_prologue, shorten
from .query import find_query, run_query

COUNT_BY_CLASS = sparql_prologue() + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { xbkg:AdministrativeUnit xbkg:BorderPost xbkg:Twinning xbkg:Agreement xbkg:ContentItem
                  xbkg:SigningEvent xbkg:ReviewEvent xbkg:AidEvent xbkg:ExchangeEvent xbkg:TalksEvent xbkg:Congress
                  xbkg:AggregateClaim xbkg:LocationClaim xbkg:Source org:Organization org:FormalOrganization prov:Person }
  ?s a ?class .
} GROUP BY ?class ORDER BY ?class"""

UNITS_BY_LEVEL = sparql_prologue() + """
SELECT ?level (COUNT(?unit) AS ?n) WHERE {
  ?unit a xbkg:AdministrativeUnit ; xbkg:level ?level .
} GROUP BY ?level ORDER BY ?level"""

TWINNINGS_BY_PAIR = sparql_prologue() + """
SELECT ?kind ?countryPair ?levelPair (COUNT(?tw) AS ?n) WHERE {
  { SELECT ?tw (MIN(?c) AS ?c1) (MAX(?c) AS ?c2) (MIN(?l) AS ?l1) (MAX(?l) AS ?l2) WHERE {
      ?tw a xbkg:Twinning ; xbkg:partner ?p .
      ?p xbkg:country/xbkg:isoCode ?c .
      OPTIONAL { ?p xbkg:level/xbkg:tier ?tier . BIND(STRAFTER(STR(?tier), "tier-") AS ?l) }
    } GROUP BY ?tw }
  ?tw xbkg:kind ?kind .
  BIND(CONCAT(?c1, "-", ?c2) AS ?countryPair)
  BIND(CONCAT(COALESCE(?l1, "?"), "-", COALESCE(?l2, "?")) AS ?levelPair)
} GROUP BY ?kind ?countryPair ?levelPair ORDER BY ?countryPair ?kind ?levelPair"""


class ClaimCheck(NamedTuple):
    """A count a source states beside the number of such twinnings the graph holds."""

    label: str
    claimed: int
    held: int


@dataclass
class Summary:
    triples: int
    by_class: list[tuple[str, int]] = field(default_factory=list)
    units_by_level: list[tuple[str, int]] = field(default_factory=list)
    twinnings_by_pair: list[tuple[str, str, str, int]] = field(default_factory=list)
    claims: list[ClaimCheck] = field(default_factory=list)


def summarise(store) -> Summary:
    """The counts of a loaded graph."""
    summary = Summary(len(store))
    summary.by_class = [(shorten(str(r["class"])), int(r["n"])) for r in store.query(COUNT_BY_CLASS).rows]
    summary.units_by_level = [(shorten(str(r["level"])), int(r["n"])) for r in store.query(UNITS_BY_LEVEL).rows]
    summary.twinnings_by_pair = [(shorten(str(r["kind"])), str(r["countryPair"]), str(r["levelPair"]), int(r["n"]))
                                 for r in store.query(TWINNINGS_BY_PAIR).rows]
    summary.claims = aggregate_claims(store)
    return summary


def aggregate_claims(store) -> list[ClaimCheck]:
    """Every aggregate claim with the count its source states and the count the graph holds."""
    rows = run_query(store, find_query("aggregate-claims")).rows
    return [ClaimCheck(str(r["claimLabel"]), int(r["claimed"]), int(r["held"])) for r in rows]
