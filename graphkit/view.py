"""`graphkit view`: a self-contained static site with a map and a network of the twinnings.

The site is the bundled assets of graphkit/static/ (page, script, and the vendored Leaflet,
Cytoscape.js, topojson-client and world-atlas outlines) plus data.js, which sets
window.GRAPHKIT_DATA. Data is a script, not fetched JSON, so the page works from file:// and
from any web server, with no internet.
"""
from __future__ import annotations

import json
import shutil
from collections import defaultdict
from importlib.resources import as_file, files
from pathlib import Path

from .store import write_atomically
from .namespaces import sparql_prologue, shorten
from .network import NetworkFilter, build_network
from .search import fold

DETAILS = sparql_prologue() + """
SELECT ?tw ?thing ?class ?label ?date ?dateNotAfter ?kind ?termStart ?termEnd ?years ?place ?placeLabel WHERE {
  ?tw a xbkg:Twinning .
  { ?thing xbkg:concerns|xbkg:reviews|xbkg:renews ?tw }
  ?thing a ?class . FILTER(?class IN (xbkg:Agreement, xbkg:SigningEvent, xbkg:ReviewEvent, xbkg:AidEvent, xbkg:ExchangeEvent, xbkg:TalksEvent))
  OPTIONAL { ?thing rdfs:label ?label }
  OPTIONAL { ?thing xbkg:date ?date }
  OPTIONAL { ?thing xbkg:dateNotAfter ?dateNotAfter }
  OPTIONAL { ?thing xbkg:kind/skos:prefLabel ?kind FILTER(lang(?kind) = "en") }
  OPTIONAL { ?thing xbkg:termStart ?termStart }
  OPTIONAL { ?thing xbkg:termEnd ?termEnd }
  OPTIONAL { ?thing xbkg:yearsReviewed ?years }
  OPTIONAL { ?thing xbkg:place ?place OPTIONAL { ?place rdfs:label ?placeLabel } }
} ORDER BY ?tw ?date ?thing"""

SIGNINGS = sparql_prologue() + """
SELECT ?agreement ?signing ?date ?dateNotAfter WHERE {
  ?agreement a xbkg:Agreement ; prov:wasGeneratedBy ?signing .
  OPTIONAL { ?signing xbkg:date ?date }
  OPTIONAL { ?signing xbkg:dateNotAfter ?dateNotAfter }
}"""

ITEMS = sparql_prologue() + """
SELECT ?agreement ?number ?label ?areaLabel WHERE {
  ?agreement xbkg:contentItem ?item . ?item xbkg:itemNumber ?number ; rdfs:label ?label .
  OPTIONAL { ?item xbkg:cooperationArea/skos:prefLabel ?areaLabel FILTER(lang(?areaLabel) = "en") }
} ORDER BY ?agreement ?number"""

ROLES = sparql_prologue() + """
SELECT ?thing ?agentLabel ?roleLabel WHERE {
  ?thing prov:qualifiedAssociation [ prov:agent ?agent ; prov:hadRole ?role ] .
  ?agent rdfs:label ?agentLabel .
  ?role skos:prefLabel ?roleLabel FILTER(lang(?roleLabel) = "en")
} ORDER BY ?thing ?roleLabel ?agentLabel"""

SOURCES = sparql_prologue() + """
SELECT ?source ?title ?publisher ?issued ?url ?seedFile ?statedSource WHERE {
  ?source a xbkg:Source .
  OPTIONAL { ?source dct:title ?title }
  OPTIONAL { ?source dct:publisher ?publisher }
  OPTIONAL { ?source dct:issued ?issued }
  OPTIONAL { ?source schema:url ?url }
  OPTIONAL { ?source xbkg:seedFile ?seedFile }
  OPTIONAL { ?source xbkg:statedSource ?statedSource }
}"""

QUOTES = sparql_prologue() + """
SELECT ?thing ?quote ?source ?passage WHERE {
  ?thing xbkg:evidence [ prov:value ?quote ; prov:wasQuotedFrom ?source ; xbkg:passage ?passage ] .
} ORDER BY ?thing ?source ?quote"""

NAMES = sparql_prologue() + """
SELECT ?unit ?name WHERE {
  { ?unit a xbkg:AdministrativeUnit } UNION { ?unit a xbkg:BorderPost }
  ?unit skos:prefLabel|skos:altLabel|rdfs:label ?name .
}"""

KINDS = sparql_prologue() + """
SELECT ?kind ?label ?broader ?broaderLabel WHERE {
  ?kind skos:inScheme kind:twinning-kinds ; skos:prefLabel ?label FILTER(lang(?label) = "en")
  OPTIONAL { ?kind skos:broader+ ?broader . ?broader skos:prefLabel ?broaderLabel FILTER(lang(?broaderLabel) = "en") }
}"""

ASSETS = ("index.html", "view.js", "view.css", "context.jsonld", "vendor")


def _text(term) -> str | None:
    return None if term is None else str(term)


def _roles(store) -> dict[str, list[dict]]:
    roles: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(ROLES).rows:
        roles[str(row["thing"])].append({"agent": str(row["agentLabel"]), "role": str(row["roleLabel"])})
    return roles


def _quotes(store) -> dict[str, list[dict]]:
    quotes: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(QUOTES).rows:
        quotes[str(row["thing"])].append({"quote": str(row["quote"]), "source": shorten(str(row["source"])),
                                          "passage": shorten(str(row["passage"])).split(":")[-1]})
    return quotes


def _activities(store) -> dict[str, dict[str, list[dict]]]:
    """Per twinning: its agreements (with content items and signing) and its events."""
    roles, quotes = _roles(store), _quotes(store)
    signings = {str(r["agreement"]): _text(r["date"] or r["dateNotAfter"]) for r in store.query(SIGNINGS).rows}
    items: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in store.query(ITEMS).rows:
        item = items[str(row["agreement"])].setdefault(int(row["number"]), {
            "number": int(row["number"]), "text": str(row["label"]), "areas": []})
        if row["areaLabel"] is not None:
            item["areas"].append(str(row["areaLabel"]))
    found: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: {"agreements": {}, "events": {}})
    for row in store.query(DETAILS).rows:
        thing, cls = str(row["thing"]), shorten(str(row["class"])).split(":")[-1]
        group = "agreements" if cls == "Agreement" else "events"
        entry = found[str(row["tw"])][group].setdefault(thing, {
            "id": shorten(thing), "type": cls, "label": _text(row["label"]),
            "date": _text(row["date"]), "dateNotAfter": _text(row["dateNotAfter"]),
            "kind": _text(row["kind"]), "term": _term(row["termStart"], row["termEnd"]),
            "yearsReviewed": int(row["years"]) if row["years"] is not None else None,
            "places": [], "people": roles.get(thing, []), "quotes": quotes.get(thing, [])})
        if row["placeLabel"] is not None and str(row["placeLabel"]) not in entry["places"]:
            entry["places"].append(str(row["placeLabel"]))
        if group == "agreements":
            entry["signed"] = signings.get(thing)
            entry["items"] = [items[thing][n] for n in sorted(items[thing])]
    return {tw: {g: sorted(v.values(), key=lambda e: (e["date"] or e.get("signed") or "", e["id"]))
                 for g, v in groups.items()} for tw, groups in found.items()}


def _term(start, end) -> str | None:
    if start is None and end is None:
        return None
    return f"{start or '?'}–{end or '?'}"


def _sources(store) -> dict[str, dict]:
    sources = {}
    for row in store.query(SOURCES).rows:
        key = shorten(str(row["source"]))
        if key in sources:
            continue
        sources[key] = {"id": key, "title": _text(row["title"]), "publisher": _text(row["publisher"]),
                        "issued": _text(row["issued"]), "url": _text(row["url"]),
                        "seedFile": _text(row["seedFile"]), "statedSource": _text(row["statedSource"])}
    return sources


def _search_names(store) -> dict[str, list[str]]:
    """Every name of every unit, raw and folded, for diacritic-insensitive search in the page."""
    names: dict[str, set[str]] = defaultdict(set)
    for row in store.query(NAMES).rows:
        name = str(row["name"])
        names[shorten(str(row["unit"]))].update({name, fold(name)})
    return {unit: sorted(n for n in values if n) for unit, values in names.items()}


def _kinds(store) -> dict[str, list[dict]]:
    """Each twinning kind with the broader kinds it falls under, for the kind filter."""
    kinds: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(KINDS).rows:
        key = shorten(str(row["kind"])).split(":")[-1]
        if not kinds[key]:
            kinds[key].append({"id": key, "label": str(row["label"])})
        if row["broader"] is not None:
            kinds[key].append({"id": shorten(str(row["broader"])).split(":")[-1], "label": str(row["broaderLabel"])})
    return kinds


def view_data(store) -> dict:
    """Everything the page shows: nodes, twinnings with their activities, sources, search names."""
    network = build_network(store, NetworkFilter(hierarchy=True))
    names = _search_names(store)
    activities = _activities(store)
    quotes = _quotes(store)
    kinds = _kinds(store)
    nodes = [{"id": node, **data, "names": names.get(node, [])} for node, data in sorted(network.nodes(data=True))]
    twinnings = []
    for source, target, data in sorted(network.edges(data=True), key=lambda e: e[2]["id"]):
        if data["relation"] != "twinning":
            continue
        extra = activities.get(data["iri"], {"agreements": [], "events": []})
        twinnings.append({**data, "source": source, "target": target, **extra,
                          "quotes": quotes.get(data["iri"], []), "kinds": kinds.get(data.get("kind", ""), []),
                          "startDisplay": _display_date(data)})
    parents = [{"source": s, "target": t} for s, t, d in network.edges(data=True) if d["relation"] == "parent"]
    return {"nodes": nodes, "twinnings": twinnings, "parents": parents, "sources": _sources(store)}


def _display_date(twinning: dict) -> str:
    if "established" in twinning:
        return twinning["established"]
    if "established_not_after" in twinning:
        return f"not after {twinning['established_not_after']}"
    return "unknown"


def write_view(store, out: Path) -> list[Path]:
    """Write the site into the folder `out`; returns the files written."""
    out = Path(out)
    written = []
    with as_file(files("graphkit").joinpath("static")) as static:
        for name in ASSETS:
            written.extend(_copy(Path(static) / name, out / name))
    payload = json.dumps(view_data(store), ensure_ascii=False, sort_keys=True)
    data_file = out / "data.js"
    write_atomically(data_file, lambda tmp: tmp.write_text(f"window.GRAPHKIT_DATA = {payload};\n", encoding="utf-8"))
    return written + [data_file]


def _copy(source: Path, target: Path) -> list[Path]:
    if source.is_dir():
        return [p for child in sorted(source.iterdir()) for p in _copy(child, target / child.name)]
    write_atomically(target, lambda tmp: shutil.copyfile(source, tmp))
    return [target]

