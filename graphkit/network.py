"""The one clean network projection of the graph, which every export format starts from.

Units and border posts are nodes; twinnings are edges between their two partners; the parent
hierarchy is an optional second edge type (`relation` = "parent"). Ids are short IRIs
("unit:vn-02", "tw:coc-phuong--tam-binh-ba"). Every attribute is a str, int, float or bool:
an absent value is left out (never None) and a list is joined with "|" (LIST_SEPARATOR),
because networkx's GraphML and GEXF writers refuse None and lists.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx
from rdflib import URIRef
from rdflib.term import Literal, Node

from .errors import InputError
from .geometry import parse_point
from .namespaces import PREFIXES, expand, shorten, sparql_prologue

LIST_SEPARATOR = "|"
XBKG = PREFIXES["xbkg"]
SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]
PROV = PREFIXES["prov"]
OWL = PREFIXES["owl"]
LINK_PREDICATES = (SKOS + "exactMatch", SKOS + "closeMatch", OWL + "sameAs", RDFS + "seeAlso")

FACTS = sparql_prologue() + """
SELECT ?s ?p ?o WHERE {
  VALUES ?class { xbkg:AdministrativeUnit xbkg:BorderPost xbkg:Twinning }
  ?s a ?class ; ?p ?o .
}"""

GEOMETRY = sparql_prologue() + """
SELECT ?s ?wkt WHERE { ?s geo:hasGeometry/geo:asWKT ?wkt } ORDER BY ?s ?wkt"""

LEVELS = sparql_prologue() + """
SELECT ?level ?label ?tier ?rank WHERE {
  ?level xbkg:rank ?rank .
  OPTIONAL { ?level skos:prefLabel ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?level xbkg:tier ?tier }
}"""

COUNTRIES = sparql_prologue() + """
SELECT ?country ?code WHERE { ?country a xbkg:Country ; xbkg:isoCode ?code }"""

KINDS = sparql_prologue() + """
SELECT ?kind ?label ?broader WHERE {
  ?kind skos:inScheme kind:twinning-kinds .
  OPTIONAL { ?kind skos:prefLabel ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?kind skos:broader+ ?broader }
}"""

REVIEWS = sparql_prologue() + """
SELECT ?tw ?review ?date WHERE {
  ?review a xbkg:ReviewEvent ; xbkg:reviews ?tw .
  OPTIONAL { ?review xbkg:date|xbkg:dateNotAfter ?date }
}"""

AGREEMENTS = sparql_prologue() + """
SELECT ?tw ?agreement ?area WHERE {
  ?agreement a xbkg:Agreement ; xbkg:concerns|xbkg:renews ?tw .
  OPTIONAL { ?agreement xbkg:contentItem/xbkg:cooperationArea ?area }
}"""

SOURCE_URLS = sparql_prologue() + """
SELECT ?source ?url WHERE { ?source a xbkg:Source ; schema:url ?url }"""



@dataclass(frozen=True)
class NetworkFilter:
    """Which twinnings to keep; an empty filter keeps them all."""

    countries: frozenset[str] | None = None  # a pair of ISO 3166-1 alpha-2 codes
    level: str | None = None  # a level ("vn-commune") or a tier ("commune") one partner is at
    as_of: date | None = None  # twinnings known to exist by this day
    kind: str | None = None  # a twinning kind, narrower kinds included
    under: str | None = None  # a unit IRI: twinnings with a partner at or under it
    hierarchy: bool = False  # add every partner's ancestors and "parent" edges

    @property
    def is_empty(self) -> bool:
        return not (self.countries or self.level or self.as_of or self.kind or self.under)


def parse_filter(countries: str | None = None, level: str | None = None, as_of: str | None = None,
                 kind: str | None = None, under: str | None = None, hierarchy: bool = False) -> NetworkFilter:
    """A NetworkFilter from command-line text; the values are checked against the graph later."""
    pair = None
    if countries:
        codes = [c.strip().upper() for c in re.split(r"[-,/ ]+", countries.strip()) if c.strip()]
        if len(codes) != 2 or not all(re.fullmatch(r"[A-Z]{2}", c) for c in codes):
            raise InputError(f"--countries takes two ISO country codes such as VN-CN, not {countries!r}")
        pair = frozenset(codes)
    day = None
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of takes a date YYYY-MM-DD, not {as_of!r}") from None
    return NetworkFilter(pair, _short_key(level), day, _short_key(kind), _unit_iri(under), hierarchy)


def _short_key(text: str | None) -> str | None:
    """'lvl:vn-commune', 'kind:village-twinning', an IRI or a bare key -> the bare key."""
    if not text:
        return None
    text = text.strip()
    return re.split(r"[:/#]", text)[-1] if (":" in text or "/" in text) else text


def _unit_iri(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if ":" not in text:
        return PREFIXES["unit"] + text
    return str(expand(text))


def first_day(lexical: str) -> str:
    """The first day a gYear, gYearMonth or date stands for, as YYYY-MM-DD ("" for anything else,
    such as a date typed as "17/8/2013", which validation reports)."""
    if re.fullmatch(r"\d{4}", lexical):
        return f"{lexical}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", lexical):
        return f"{lexical}-01"
    return lexical[:10] if re.match(r"\d{4}-\d{2}-\d{2}", lexical) else ""


def _facts(store) -> dict[str, dict[str, list[Node]]]:
    facts: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(FACTS).rows:
        facts[str(row["s"])][str(row["p"])].append(row["o"])
    return facts


def _one(values: list[Node] | None) -> Node | None:
    return sorted(values, key=str)[0] if values else None


def _joined(values) -> str:
    return LIST_SEPARATOR.join(sorted({str(v) for v in values}))


def _is_a(props: dict[str, list[Node]], local: str) -> bool:
    return URIRef(XBKG + local) in props.get(PREFIXES["rdf"] + "type", [])


@dataclass
class _Context:
    """Lookup tables shared by the node and edge builders."""

    facts: dict
    levels: dict
    countries: dict
    kinds: dict
    points: dict
    parents: dict
    source_urls: dict


def _context(store) -> _Context:
    facts = _facts(store)
    levels = {}
    for row in store.query(LEVELS).rows:
        levels[str(row["level"])] = {"label": str(row["label"] or ""), "rank": int(row["rank"]),
                                     "tier": str(row["tier"] or "")}
    countries = {str(r["country"]): str(r["code"]) for r in store.query(COUNTRIES).rows}
    kinds: dict[str, dict] = {}
    for row in store.query(KINDS).rows:
        entry = kinds.setdefault(str(row["kind"]), {"label": str(row["label"] or ""), "broader": set()})
        if row["broader"] is not None:
            entry["broader"].add(str(row["broader"]))
    points = {}
    for row in store.query(GEOMETRY).rows:
        point = parse_point(row["wkt"])
        if point and str(row["s"]) not in points:
            points[str(row["s"])] = point
    parents = {}
    for iri, props in facts.items():
        parent = _one(props.get(XBKG + "parent") or props.get(XBKG + "locatedIn"))
        if parent is not None:
            parents[iri] = str(parent)
    urls = defaultdict(list)
    for row in store.query(SOURCE_URLS).rows:
        urls[str(row["source"])].append(str(row["url"]))
    return _Context(facts, levels, countries, kinds, points, parents, urls)


def ancestors(iri: str, parents: dict[str, str]) -> list[str]:
    """The chain of parents above a unit, nearest first (cycles cut)."""
    chain, seen = [], {iri}
    while iri in parents and parents[iri] not in seen:
        iri = parents[iri]
        seen.add(iri)
        chain.append(iri)
    return chain


def _names(props: dict[str, list[Node]]) -> dict[str, str]:
    names: dict[str, str] = {}
    alternatives: set[str] = set()
    for label in sorted(props.get(SKOS + "prefLabel", []), key=str):
        if isinstance(label, Literal) and label.language:
            key = "name_" + label.language.lower().replace("-", "_")
            if key in names:
                alternatives.add(str(label))
            else:
                names[key] = str(label)
    alternatives.update(str(a) for a in props.get(SKOS + "altLabel", []))
    alternatives -= set(names.values())
    if alternatives:
        names["alt_names"] = _joined(alternatives)
    return names


def _node_attributes(iri: str, ctx: _Context) -> dict:
    props = ctx.facts.get(iri, {})
    attrs: dict = {"iri": iri, "label": str(_one(props.get(RDFS + "label")) or shorten(iri)),
                   "kind": "post" if _is_a(props, "BorderPost") else "unit"}
    attrs.update(_names(props))
    level = _one(props.get(XBKG + "level"))
    if level is not None and str(level) in ctx.levels:
        info = ctx.levels[str(level)]
        attrs.update(level=shorten(str(level)).split(":")[-1], level_label=info["label"], rank=info["rank"])
        if info["tier"]:
            attrs["tier"] = info["tier"].rsplit("tier-", 1)[-1]
    country = _one(props.get(XBKG + "country"))
    if country is not None and str(country) in ctx.countries:
        attrs["country"] = ctx.countries[str(country)]
    simple = {"parent": XBKG + "parent", "located_in": XBKG + "locatedIn", "iso_code": XBKG + "isoCode",
              "national_code": XBKG + "nationalCode", "valid_from": XBKG + "validFrom",
              "valid_until": XBKG + "validUntil", "successor": XBKG + "successor", "certainty": XBKG + "certainty"}
    for key, predicate in simple.items():
        value = _one(props.get(predicate))
        if value is not None:
            attrs[key] = shorten(str(value)) if isinstance(value, URIRef) else str(value)
    links = [v for p in LINK_PREDICATES for v in props.get(p, [])]
    if links:
        attrs["links"] = _joined(links)
    attrs.update(_coordinates(iri, ctx))
    sources = props.get(PROV + "wasDerivedFrom", [])
    if sources:
        attrs["sources"] = _joined(shorten(str(s)) for s in sources)
    return attrs


def _coordinates(iri: str, ctx: _Context) -> dict:
    """The unit's own point, else its nearest ancestor's, marked as inherited."""
    if iri in ctx.points:
        lon, lat = ctx.points[iri]
        return {"lon": lon, "lat": lat, "coordinates": "own"}
    for ancestor in ancestors(iri, ctx.parents):
        if ancestor in ctx.points:
            lon, lat = ctx.points[ancestor]
            return {"lon": lon, "lat": lat, "coordinates": "inherited", "coordinates_from": shorten(ancestor)}
    return {}


@dataclass
class _Twinning:
    iri: str
    partners: list[str]
    attrs: dict


def _twinnings(store, ctx: _Context) -> list[_Twinning]:
    reviews: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.query(REVIEWS).rows:
        reviews[str(row["tw"])][str(row["review"])] = first_day(str(row["date"])) if row["date"] is not None else ""
    agreements: dict[str, set[str]] = defaultdict(set)
    areas: dict[str, set[str]] = defaultdict(set)
    for row in store.query(AGREEMENTS).rows:
        agreements[str(row["tw"])].add(str(row["agreement"]))
        if row["area"] is not None:
            areas[str(row["tw"])].add(shorten(str(row["area"])).split(":")[-1])
    found = []
    for iri, props in sorted(ctx.facts.items()):
        if not _is_a(props, "Twinning"):
            continue
        partners = sorted(str(p) for p in props.get(XBKG + "partner", []))
        if len(partners) != 2:
            continue
        attrs = _twinning_attributes(iri, props, ctx)
        attrs["reviews"] = len(reviews[iri])
        dates = sorted(d for d in reviews[iri].values() if d)
        if dates:
            attrs["last_review"] = dates[-1]
        attrs["agreements"] = len(agreements[iri])
        if areas[iri]:
            attrs["content_areas"] = _joined(areas[iri])
        found.append(_Twinning(iri, partners, attrs))
    return found


def _twinning_attributes(iri: str, props: dict[str, list[Node]], ctx: _Context) -> dict:
    attrs: dict = {"relation": "twinning", "id": shorten(iri), "iri": iri,
                   "label": str(_one(props.get(RDFS + "label")) or shorten(iri))}
    kind = _one(props.get(XBKG + "kind"))
    if kind is not None:
        attrs["kind"] = shorten(str(kind)).split(":")[-1]
        attrs["kind_label"] = ctx.kinds.get(str(kind), {}).get("label", "")
    scope = _one(props.get(XBKG + "scope"))
    if scope is not None:
        attrs["scope"] = shorten(str(scope)).split(":")[-1]
    established = _one(props.get(XBKG + "established"))
    bound = _one(props.get(XBKG + "establishedNotAfter"))
    if established is not None:
        attrs.update(established=str(established), start=first_day(str(established)), start_from="established")
    elif bound is not None:
        attrs.update(established_not_after=str(bound), start=first_day(str(bound)), start_from="not-after bound")
    if not attrs.get("start"):  # no usable date: the twinning has no start on a timeline
        attrs.pop("start", None)
        attrs.pop("start_from", None)
    if "start" in attrs:
        attrs["start_year"] = int(attrs["start"][:4])
    if any(str(v).lower() == "true" for v in props.get(XBKG + "establishmentUnknown", [])):
        attrs["establishment_unknown"] = True
    certainty = _one(props.get(XBKG + "certainty"))
    if certainty is not None:
        attrs["certainty"] = str(certainty)
    sources = props.get(PROV + "wasDerivedFrom", [])
    if sources:
        attrs["sources"] = _joined(shorten(str(s)) for s in sources)
        urls = [u for s in sources for u in ctx.source_urls.get(str(s), [])]
        if urls:
            attrs["source_urls"] = _joined(urls)
    return attrs


def _check_filter(selection: NetworkFilter, ctx: _Context) -> None:
    if selection.level:
        known = {shorten(l).split(":")[-1] for l in ctx.levels} | {
            shorten(l).split(":")[-1].removeprefix("tier-") for l in ctx.levels}
        if selection.level not in known:
            raise InputError(f"unknown level {selection.level!r}; use a level such as vn-commune or a tier such as commune")
    if selection.kind and not any(shorten(k).split(":")[-1] == selection.kind for k in ctx.kinds):
        names = ", ".join(sorted(shorten(k).split(":")[-1] for k in ctx.kinds))
        raise InputError(f"unknown twinning kind {selection.kind!r}; choose one of {names}")
    if selection.under and selection.under not in ctx.facts:
        raise InputError(f"no unit {shorten(selection.under)!r} in the graph")
    if selection.countries and not selection.countries <= set(ctx.countries.values()):
        unknown = sorted(selection.countries - set(ctx.countries.values()))
        raise InputError(f"no country {unknown[0]!r} in the graph; known: {', '.join(sorted(ctx.countries.values()))}")


def _keeps(twinning: _Twinning, selection: NetworkFilter, ctx: _Context, nodes: dict[str, dict]) -> bool:
    partners = [nodes[p] for p in twinning.partners]
    if selection.countries and {p.get("country") for p in partners} != set(selection.countries):
        return False
    if selection.level and not any(selection.level in (p.get("level"), p.get("tier")) for p in partners):
        return False
    if selection.kind:
        kind_iri = PREFIXES["kind"] + twinning.attrs.get("kind", "")
        kinds = {kind_iri} | ctx.kinds.get(kind_iri, {}).get("broader", set())
        if PREFIXES["kind"] + selection.kind not in kinds:
            return False
    if selection.as_of and not ("start" in twinning.attrs and twinning.attrs["start"] <= selection.as_of.isoformat()):
        return False
    if selection.under and not any(selection.under == p or selection.under in ancestors(p, ctx.parents)
                                   for p in twinning.partners):
        return False
    return True


def build_network(store, selection: NetworkFilter | None = None) -> nx.MultiDiGraph:
    """The twinning network of a loaded graph, narrowed by `selection`."""
    selection = selection or NetworkFilter()
    ctx = _context(store)
    _check_filter(selection, ctx)
    twinnings = _twinnings(store, ctx)
    everyone = {p for t in twinnings for p in t.partners}
    attributes = {iri: _node_attributes(iri, ctx) for iri in everyone}
    kept = [t for t in twinnings if _keeps(t, selection, ctx, attributes)]
    graph = nx.MultiDiGraph(name="graphkit twinning network")
    for twinning in kept:
        for partner in twinning.partners:
            graph.add_node(shorten(partner), **attributes[partner])
        first, second = _oriented(twinning.partners, attributes)
        countries = sorted(attributes[p].get("country", "?") for p in twinning.partners)
        graph.add_edge(shorten(first), shorten(second), key=twinning.attrs["id"],
                       countries="-".join(countries), **twinning.attrs)
    if selection.hierarchy:
        _add_hierarchy(graph, ctx)
    return graph


def _oriented(partners: list[str], attributes: dict[str, dict]) -> tuple[str, str]:
    """Vietnamese partner first, so every edge reads from Vietnam across the border."""
    first, second = partners
    if attributes[second].get("country") == "VN" and attributes[first].get("country") != "VN":
        return second, first
    return first, second


def _add_hierarchy(graph: nx.MultiDiGraph, ctx: _Context) -> None:
    for child in [data["iri"] for _, data in graph.nodes(data=True)]:
        for parent in ancestors(child, ctx.parents):
            if shorten(parent) not in graph:
                graph.add_node(shorten(parent), **_node_attributes(parent, ctx))
    for node, data in list(graph.nodes(data=True)):
        parent = ctx.parents.get(data["iri"])
        if parent is not None:
            key = f"parent:{node}"
            graph.add_edge(node, shorten(parent), key=key, id=key, relation="parent", label="parent")
